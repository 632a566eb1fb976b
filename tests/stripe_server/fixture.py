"""The `stripe_server` fixture: a fresh fake Stripe account on its own port for each test.

    from tests.stripe_server.fixture import stripe_server  # in tests/conftest.py

    def test_…(stripe_server, …):
        # the app: STRIPE_API_BASE=stripe_server.base_url, STRIPE_SECRET_KEY=stripe_server.api_key,
        #          STRIPE_WEBHOOK_SECRET=stripe_server.webhook_secret
        stripe_server.complete_session(session_id)        # or POST the hosted page at session.url
        for event in stripe_server.events:                # in any order, or twice
            stripe_server.deliver(client, event)          # signed POST to /webhooks/stripe

What it offers (see server.FakeStripe): `client()`; `clock` (settable; default `time.time`);
`create_price(name, cents, interval=None)`; `complete_session(id, async_payment=False)`,
`succeed_async(id)`, `fail_async(id)`, `renew(sub_id)`, `fail_renewal(sub_id)`; `object(id)`;
`events`; `requests`; `event(type, obj)`, `signed(event)`, `deliver(target, event)`,
`send_event(target, type, obj, id=, created=, secret=, timestamp=)`; `webhook_url`.
"""
import pytest

from .server import FakeStripe


@pytest.fixture
def stripe_server():
    with FakeStripe() as server:
        yield server
