"""The official `stripe` library talks to the fake as to Stripe: both ways of aiming it at a
local base, Stripe's error shapes, idempotency keys, the test-controlled clock, and webhook
events whose signatures the library itself verifies."""
import threading
import time
from datetime import UTC, datetime

import pytest
import stripe
import time_machine
from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.serving import make_server

from tests.stripe_server.api import decode


def test_a_stripe_client_with_the_fake_as_api_base_address_reaches_it(stripe_server):
    client = stripe.StripeClient(stripe_server.api_key,
                                 base_addresses={"api": stripe_server.base_url})

    customer = client.v1.customers.create({"email": "anna@example.org",
                                           "metadata": {"member": "7"}})

    assert customer.id.startswith("cus_") and customer.object == "customer"
    assert client.v1.customers.retrieve(customer.id).metadata.to_dict() == {"member": "7"}
    assert stripe_server.requests[0]["path"] == "/v1/customers"


def test_the_module_level_api_base_reaches_it_too(stripe_server, monkeypatch):
    monkeypatch.setattr(stripe, "api_key", stripe_server.api_key)
    monkeypatch.setattr(stripe, "api_base", stripe_server.base_url)

    customer = stripe.Customer.create(email="ben@example.org")

    assert stripe.Customer.retrieve(customer.id).email == "ben@example.org"


def test_form_parameters_are_read_back_as_stripe_reads_them():
    form = MultiDict([("line_items[0][price_data][product_data][name]", "Day pass"),
                      ("line_items[0][quantity]", "1"), ("line_items[1][price]", "price_1"),
                      ("metadata[0]", "zero"), ("expand[]", "payment_intent"),
                      ("expand[]", "customer")])

    assert decode(form) == {
        "line_items": [{"price_data": {"product_data": {"name": "Day pass"}}, "quantity": "1"},
                       {"price": "price_1"}],
        "metadata": {"0": "zero"}, "expand": ["payment_intent", "customer"]}


def test_errors_have_stripes_shape_and_raise_the_librarys_exceptions(stripe_server):
    client = stripe_server.client()

    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.customers.retrieve("cus_nothere")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    assert missing.value.json_body["error"]["type"] == "invalid_request_error"

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.customers.create({"emial": "typo@example.org"})
    assert unknown.value.http_status == 400 and unknown.value.param == "emial"

    with pytest.raises(stripe.InvalidRequestError) as expand:
        client.v1.customers.retrieve(client.v1.customers.create().id, {"expand": ["created"]})
    assert expand.value.param == "expand"

    with pytest.raises(stripe.APIError) as gap:  # line_items must be a list
        stripe_server.client(max_network_retries=2).v1.checkout.sessions.create({"mode": "payment", "line_items": {"price": "x"}})
    assert gap.value.http_status == 500  # and not retried:
    assert [r["path"] for r in stripe_server.requests].count("/v1/checkout/sessions") == 1

    with pytest.raises(stripe.AuthenticationError):
        stripe.StripeClient("sk_test_wrong", base_addresses={"api": stripe_server.base_url},
                            max_network_retries=0).v1.customers.create()


def test_the_same_idempotency_key_replays_the_answer_and_refuses_other_params(stripe_server):
    client = stripe_server.client()
    once = {"idempotency_key": "signup-7"}

    first = client.v1.customers.create({"email": "cem@example.org"}, once)
    again = client.v1.customers.create({"email": "cem@example.org"}, once)

    assert again.id == first.id
    assert [o["object"] for o in stripe_server.account.objects.values()].count("customer") == 1
    with pytest.raises(stripe.IdempotencyError) as refused:
        client.v1.customers.create({"email": "other@example.org"}, once)
    assert refused.value.http_status == 400
    assert refused.value.json_body["error"]["type"] == "idempotency_error"
    assert {r["idempotency_key"] for r in stripe_server.requests} == {"signup-7"}


def test_the_server_thread_reads_the_clock_that_time_machine_moves(stripe_server):
    frozen = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    with time_machine.travel(frozen, tick=False):
        customer = stripe_server.client().v1.customers.create()
    assert customer.created == int(frozen.timestamp())

    stripe_server.clock = lambda: 1_900_000_000
    assert stripe_server.client().v1.customers.create().created == 1_900_000_000


def test_events_are_signed_so_that_the_library_verifies_them(stripe_server):
    now = int(time.time())
    stripe_server.clock = lambda: now
    customer = stripe_server.client().v1.customers.create({"email": "dora@example.org"})
    (created,) = stripe_server.events

    payload, headers = stripe_server.signed(created)
    event = stripe.Webhook.construct_event(payload, headers["Stripe-Signature"],
                                           stripe_server.webhook_secret)

    assert event.type == "customer.created" and event.data.object.id == customer.id
    assert event.api_version == stripe.api_version == "2026-10-28.endive"
    assert event.request.idempotency_key == stripe_server.requests[0]["idempotency_key"]
    assert headers["Stripe-Signature"].startswith(f"t={now},v1=")


@pytest.mark.parametrize("tampering", ["wrong secret", "stale timestamp", "changed body"])
def test_a_forged_or_stale_event_fails_verification(stripe_server, tampering):
    event = stripe_server.event("customer.created", {"id": "cus_x", "object": "customer"})
    secret = "whsec_other" if tampering == "wrong secret" else None
    timestamp = stripe_server.now() - 301 if tampering == "stale timestamp" else None
    payload, headers = stripe_server.signed(event, secret=secret, timestamp=timestamp)
    if tampering == "changed body":
        payload = payload.replace("cus_x", "cus_y")

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, headers["Stripe-Signature"],
                                       stripe_server.webhook_secret)


def _receiver(secret):
    """A stand-in for the app's webhook endpoint: verifies, then remembers the event."""
    app, received = Flask(__name__), []

    @app.post("/webhooks/stripe")
    def webhook():
        try:
            event = stripe.Webhook.construct_event(request.get_data(),
                                                   request.headers.get("Stripe-Signature"),
                                                   secret)
        except stripe.SignatureVerificationError:
            return "bad signature", 400
        received.append(event)
        return "", 204

    return app, received


def test_send_event_posts_through_a_flask_test_client(stripe_server):
    app, received = _receiver(stripe_server.webhook_secret)
    client = app.test_client()

    response = stripe_server.send_event(client, "checkout.session.expired",
                                        {"id": "cs_test_1", "object": "checkout.session"},
                                        id="evt_fixed")
    forged = stripe_server.send_event(client, "checkout.session.expired", {"id": "cs_test_1"},
                                      secret="whsec_forged")

    assert response.status_code == 204 and forged.status_code == 400
    assert [(e.id, e.type) for e in received] == [("evt_fixed", "checkout.session.expired")]


def test_with_a_webhook_url_every_event_is_delivered_as_it_happens(stripe_server):
    app, received = _receiver(stripe_server.webhook_secret)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        stripe_server.webhook_url = f"http://127.0.0.1:{server.server_port}/webhooks/stripe"
        stripe_server.client().v1.customers.create({"email": "emil@example.org"})
        redelivery = stripe_server.deliver(stripe_server.webhook_url, stripe_server.events[0])
    finally:
        server.shutdown()
        server.server_close()
    assert redelivery.status_code == 204
    assert [e.id for e in received] == [stripe_server.events[0]["id"]] * 2
    assert received[0].data.object.email == "emil@example.org"
