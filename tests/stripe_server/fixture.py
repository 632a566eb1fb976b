"""The `stripe_server` fixture: a fresh fake Stripe account on its own port for each test.

    from tests.stripe_server.fixture import stripe_server  # in tests/conftest.py

    def test_…(stripe_server):
        client = stripe_server.client()  # or the app with STRIPE_API_BASE=stripe_server.base_url
        session = client.v1.checkout.sessions.create({...})
        stripe_server.complete_session(session.id)
        for event in stripe_server.events:
            stripe_server.deliver(app_client, event)  # signed with stripe_server.webhook_secret
"""
import pytest

from .server import FakeStripe


@pytest.fixture
def stripe_server():
    with FakeStripe() as server:
        yield server
