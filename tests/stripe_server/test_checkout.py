"""Checkout Sessions for a one-off pass, through the official library: the 30-minute hold,
paying on the hosted page with a plain HTTP POST, expiry, delayed payments and refunds."""
import re

import pytest
import requests
import stripe

NOW = 1_803_600_000  # a fixed instant the fake reads as "now"


def day_pass(**overrides):
    return {"mode": "payment", "client_reference_id": "booking-41",
            "line_items": [{"price_data": {"currency": "eur", "unit_amount": 1500,
                                           "product_data": {"name": "Day pass"}},
                            "quantity": 1}],
            "metadata": {"plan": "day-pass", "member": "7"},
            "success_url": "https://cowork.test/paid?session={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://cowork.test/plans", **overrides}


@pytest.fixture
def fake(stripe_server):
    stripe_server.clock = lambda: NOW
    return stripe_server


@pytest.fixture
def client(fake):
    return fake.client()


def pay(session, **form):
    """The member's browser submits the hosted payment form."""
    return requests.post(session.url, allow_redirects=False, data={
        "email": "anna@example.org", "name": "Anna", "card": "4242 4242 4242 4242", **form})


def test_a_session_holds_for_thirty_minutes_with_its_metadata(client):
    session = client.v1.checkout.sessions.create(day_pass(expires_at=NOW + 30 * 60))

    again = client.v1.checkout.sessions.retrieve(session.id)
    assert session.id.startswith("cs_test_") and again.object == "checkout.session"
    assert (again.status, again.payment_status, again.expires_at) == ("open", "unpaid",
                                                                     NOW + 1800)
    assert again.metadata.to_dict() == {"plan": "day-pass", "member": "7"}
    assert (again.client_reference_id, again.amount_total, again.currency) == (
        "booking-41", 1500, "eur")
    assert again.url.endswith(f"/pay/{session.id}")


@pytest.mark.parametrize("seconds", [29 * 60, 24 * 3600 + 1])
def test_stripe_refuses_a_hold_under_thirty_minutes_or_over_a_day(client, seconds):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.checkout.sessions.create(day_pass(expires_at=NOW + seconds))
    assert refused.value.param == "expires_at"


def test_paying_on_the_hosted_page_completes_the_session(fake, client):
    session = client.v1.checkout.sessions.create(day_pass())
    page = requests.get(session.url).text
    assert re.search(r'<label for="email">Email</label>', page) and ">Pay</button>" in page
    assert 'href="https://cowork.test/plans"' in page

    response = pay(session)

    assert response.status_code == 303
    assert response.headers["Location"] == f"https://cowork.test/paid?session={session.id}"
    paid = client.v1.checkout.sessions.retrieve(session.id, {"expand": ["payment_intent"]})
    assert (paid.status, paid.payment_status, paid.url) == ("complete", "paid", None)
    assert paid.customer_details.email == "anna@example.org" and paid.customer is None
    assert paid.payment_intent.status == "succeeded" and paid.payment_intent.amount == 1500
    charge = client.v1.charges.retrieve(paid.payment_intent.latest_charge)
    assert (charge.status, charge.paid, charge.refunded) == ("succeeded", True, False)
    found = client.v1.checkout.sessions.list({"payment_intent": paid.payment_intent.id})
    assert [s.id for s in found.data] == [session.id]
    completed = fake.events[-1]
    assert completed["type"] == "checkout.session.completed"
    assert completed["data"]["object"]["metadata"] == {"plan": "day-pass", "member": "7"}


def test_a_declined_card_leaves_the_session_open(client):
    session = client.v1.checkout.sessions.create(day_pass())

    response = pay(session, card="4000 0000 0000 0002")

    assert response.status_code == 402 and "Your card was declined." in response.text
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_a_session_expires_on_request_or_when_its_time_is_up(fake, client):
    expired = client.v1.checkout.sessions.expire(client.v1.checkout.sessions.create(day_pass()).id)
    assert (expired.status, expired.url) == ("expired", None)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(expired.id)

    lapsing = client.v1.checkout.sessions.create(day_pass(expires_at=NOW + 1800))
    fake.clock = lambda: NOW + 1800
    assert client.v1.checkout.sessions.retrieve(lapsing.id).status == "expired"
    assert requests.get(lapsing.url).status_code == 410
    assert [e["data"]["object"]["id"] for e in fake.events
            if e["type"] == "checkout.session.expired"] == [expired.id, lapsing.id]


@pytest.mark.parametrize("settles", [True, False])
def test_a_bank_debit_completes_unpaid_and_settles_later(fake, client, settles):
    session = client.v1.checkout.sessions.create(day_pass())
    fake.complete_session(session.id, async_payment=True)
    waiting = client.v1.checkout.sessions.retrieve(session.id, {"expand": ["payment_intent"]})
    assert (waiting.status, waiting.payment_status) == ("complete", "unpaid")
    assert waiting.payment_intent.status == "processing"

    (fake.succeed_async if settles else fake.fail_async)(session.id)

    outcome = "succeeded" if settles else "failed"
    assert fake.events[-1]["type"] == f"checkout.session.async_payment_{outcome}"
    assert fake.events[-1]["data"]["object"]["payment_status"] == ("paid" if settles
                                                                   else "unpaid")
    assert client.v1.payment_intents.retrieve(waiting.payment_intent.id).status == (
        "succeeded" if settles else "requires_payment_method")


def test_a_refund_by_payment_intent_or_charge_marks_the_charge_refunded(fake, client):
    session = client.v1.checkout.sessions.create(day_pass(customer_creation="always"))
    intent = client.v1.payment_intents.retrieve(fake.complete_session(session.id)
                                                ["payment_intent"])

    part = client.v1.refunds.create({"charge": intent.latest_charge, "amount": 500})
    rest = client.v1.refunds.create({"payment_intent": intent.id,
                                     "reason": "requested_by_customer"})

    assert part.id.startswith("re_") and (part.amount, rest.amount) == (500, 1000)
    assert rest.charge == intent.latest_charge and rest.status == "succeeded"
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (1500, True)
    assert intent.customer.startswith("cus_")
    assert [e["type"] for e in fake.events[-2:]] == ["refund.created", "charge.refunded"]
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create({"payment_intent": intent.id})
    assert again.value.code == "charge_already_refunded"


def test_sessions_are_checked_as_stripe_checks_them(client):
    refusals = [day_pass(mode="subscription"),
                day_pass(customer="cus_nothere"),
                day_pass(customer_email="a@example.org", customer="cus_x"),
                day_pass(line_items=[{"price": "price_nothere", "quantity": 1}]),
                day_pass(line_items=[{"price_data": {"currency": "eur", "unit_amount": 10,
                                                     "product_data": {"name": "Tea"}},
                                      "quantity": 1}]),
                {key: value for key, value in day_pass().items() if key != "mode"}]
    for params in refusals:
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.checkout.sessions.create(params)


def test_payment_method_types_are_checked_and_limit_the_hosted_page(client):
    card_only = client.v1.checkout.sessions.create(day_pass(payment_method_types=["card"]))
    assert card_only.payment_method_types == ["card"]
    assert 'value="sepa_debit"' not in requests.get(card_only.url).text
    refused = pay(card_only, method="sepa_debit", iban="DE89370400440532013000")
    assert refused.status_code == 402 and "not offered" in refused.text

    both = client.v1.checkout.sessions.create(
        day_pass(payment_method_types=["card", "sepa_debit"]))
    assert 'id="iban"' in requests.get(both.url).text
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.checkout.sessions.create(day_pass(payment_method_types=["giropay_x"]))
    assert unknown.value.param == "payment_method_types"
    dollars = day_pass(payment_method_types=["card", "sepa_debit"])
    dollars["line_items"][0]["price_data"]["currency"] = "usd"
    with pytest.raises(stripe.InvalidRequestError, match="sepa_debit"):
        client.v1.checkout.sessions.create(dollars)


def test_a_subscription_paid_by_debit_is_incomplete_until_its_first_invoice_settles(
        fake, client):
    monthly = {"mode": "subscription", "client_reference_id": "7",
               "payment_method_types": ["card", "sepa_debit"],
               "line_items": [{"price_data": {"currency": "eur", "unit_amount": 8900,
                                              "recurring": {"interval": "month"},
                                              "product_data": {"name": "Monat"}},
                               "quantity": 1}],
               "subscription_data": {"metadata": {"membership_id": "3"}},
               "success_url": "https://cowork.test/ok", "cancel_url": "https://cowork.test/no"}
    for succeeded in (True, False):
        session = client.v1.checkout.sessions.create(monthly)
        assert pay(session, method="sepa_debit", iban="DE89370400440532013000") \
            .status_code == 303
        done = client.v1.checkout.sessions.retrieve(session.id)
        subscription = client.v1.subscriptions.retrieve(done.subscription)
        invoice = client.v1.invoices.retrieve(done.invoice)
        assert (done.payment_status, subscription.status, invoice.status) == (
            "unpaid", "incomplete", "open")
        seen = len(fake.events)
        if succeeded:
            fake.succeed_async(session.id)
        else:
            fake.fail_async(session.id)
        kinds = [e["type"] for e in fake.events[seen:]]
        subscription = client.v1.subscriptions.retrieve(done.subscription)
        invoice = client.v1.invoices.retrieve(done.invoice)
        if succeeded:
            assert (subscription.status, invoice.status) == ("active", "paid")
            assert kinds == ["charge.succeeded", "payment_intent.succeeded", "invoice.paid",
                             "invoice.payment_succeeded", "customer.subscription.updated",
                             "checkout.session.async_payment_succeeded"]
        else:
            assert (subscription.status, invoice.status) == ("incomplete", "open")
            assert invoice.next_payment_attempt is None
            assert kinds == ["charge.failed", "payment_intent.payment_failed",
                             "invoice.payment_failed", "checkout.session.async_payment_failed"]
