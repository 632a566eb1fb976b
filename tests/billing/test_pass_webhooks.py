"""A 10-visit card paid through Checkout: Stripe's events, genuinely signed, delivered twice
and out of order, by card and by bank debit, expiring, and refunded."""
import pytest

from coworking.jobs import run_all
from coworking.memberships.service import buy, credits_left
from tests.billing.paying import (
    checkout,
    deliver,
    events,
    fresh,
    ledger,
    outbox_topics,
    recorded_events,
)

SESSION_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded",
                  "checkout.session.async_payment_failed", "checkout.session.expired")


@pytest.fixture
def card(shop):
    """The member is buying the card; Checkout is open."""
    membership, payment = buy(shop.member, shop.card.id, online=True)
    return membership, checkout(payment)


def test_a_paid_session_makes_the_card_active_with_its_ten_credits(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id)

    (completed,) = events(shop.fake, "checkout.session.completed")
    assert deliver(shop.fake, client, completed, completed) == ["applied", "repeat"]

    assert fresh(membership).status == "active"
    assert credits_left(membership) == 10 and ledger(membership) == [(10, "purchase")]
    paid = fresh(payment)
    assert paid.status == "paid" and paid.stripe_payment_intent_id.startswith("pi_")
    assert membership.stripe_customer_id.startswith("cus_")  # a refund or the next pass knows them
    assert recorded_events() == {completed["id"]: "applied"}
    assert outbox_topics().count("membership.activated") == 1


def test_every_event_of_a_purchase_in_any_order_and_twice_applies_once(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id)

    everything = list(reversed(events(shop.fake)))  # charge, intent, customer, session events
    outcomes = deliver(shop.fake, client, *everything, *everything)

    assert outcomes[len(everything):] == ["repeat"] * len(everything)
    assert fresh(membership).status == "active" and ledger(membership) == [(10, "purchase")]
    assert set(recorded_events().values()) == {"applied", "ignored"}


def test_a_bank_debit_waits_for_its_money_and_then_activates_the_card(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    (completed,) = events(shop.fake, "checkout.session.completed")

    assert deliver(shop.fake, client, completed) == ["awaiting payment"]
    assert fresh(membership).status == "pending" and fresh(payment).status == "due"
    # The checkout's time runs out while the bank works: the purchase waits, it does not end.
    shop.frozen.set("2027-03-01T08:00:00+01:00")
    run_all()
    assert fresh(membership).status == "pending"

    shop.fake.succeed_async(payment.checkout_session_id)
    (succeeded,) = events(shop.fake, "checkout.session.async_payment_succeeded")
    assert deliver(shop.fake, client, succeeded, completed) == ["applied", "repeat"]
    assert fresh(membership).status == "active" and credits_left(membership) == 10


def test_a_settled_debit_reported_before_its_completion_still_activates_once(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    shop.fake.succeed_async(payment.checkout_session_id)
    completed, succeeded = events(shop.fake, "checkout.session.completed",
                                  "checkout.session.async_payment_succeeded")

    assert deliver(shop.fake, client, succeeded, completed, succeeded) == [
        "applied", "already paid", "repeat"]
    assert fresh(membership).status == "active" and ledger(membership) == [(10, "purchase")]


def test_a_failed_bank_debit_ends_the_purchase(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    shop.fake.fail_async(payment.checkout_session_id)
    completed, failed = events(shop.fake, "checkout.session.completed",
                               "checkout.session.async_payment_failed")

    assert deliver(shop.fake, client, failed, completed, failed) == [
        "released", "already failed", "repeat"]
    assert fresh(membership).status == "cancelled" and fresh(payment).status == "failed"
    assert ledger(membership) == []


def test_an_expired_session_ends_the_pending_purchase(shop, client, card):
    membership, payment = card
    shop.fake.client().v1.checkout.sessions.expire(payment.checkout_session_id)
    (expired,) = events(shop.fake, "checkout.session.expired")

    assert deliver(shop.fake, client, expired, expired) == ["released", "repeat"]
    assert fresh(membership).status == "expired" and fresh(payment).status == "expired"


def test_a_refund_ends_the_card_and_voids_its_remaining_credits(shop, client, card):
    membership, payment = card
    session = shop.fake.complete_session(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))

    stripe = shop.fake.client()
    stripe.v1.refunds.create({"payment_intent": session["payment_intent"], "amount": 2000})
    stripe.v1.refunds.create({"payment_intent": session["payment_intent"]})
    part, whole = events(shop.fake, "charge.refunded")

    assert deliver(shop.fake, client, whole, part, whole) == [
        "applied", "partly refunded: nothing changed", "repeat"]
    assert fresh(membership).status == "cancelled" and fresh(payment).status == "refunded"
    assert ledger(membership) == [(10, "purchase"), (-10, "refund")]
    assert credits_left(membership) == 0


def test_a_late_payment_for_a_purchase_that_ran_out_still_buys_the_card(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id)
    shop.frozen.set("2027-03-01T07:31:00+01:00")
    run_all()  # the webhook is late: the job has ended the purchase meanwhile
    assert fresh(membership).status == "expired"

    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))

    assert fresh(membership).status == "active" and credits_left(membership) == 10
    assert fresh(payment).status == "paid"


def test_an_unknown_session_is_recorded_and_changes_nothing(shop, client, card, caplog):
    membership, _payment = card
    foreign = shop.fake.client().v1.checkout.sessions.create({
        "mode": "payment", "success_url": "https://elsewhere.test/",
        "metadata": {"payment_id": "999"}, "client_reference_id": "someone",
        "line_items": [{"price_data": {"currency": "eur", "unit_amount": 900,
                                       "product_data": {"name": "Kaffee"}}, "quantity": 1}]})
    shop.fake.complete_session(foreign.id)
    (completed,) = events(shop.fake, "checkout.session.completed")

    assert deliver(shop.fake, client, completed) == ["unknown session"]
    assert recorded_events() == {completed["id"]: "unknown session"}
    assert fresh(membership).status == "pending"
    assert "unknown session" in caplog.text


def test_a_refund_of_an_unknown_charge_is_recorded_and_changes_nothing(shop, client):
    charge = {"id": "ch_elsewhere", "object": "charge", "payment_intent": "pi_elsewhere",
              "refunded": True, "amount": 500, "amount_refunded": 500}

    response = shop.fake.send_event(client, "charge.refunded", charge)

    assert response.status_code == 200 and response.get_json()["outcome"] == "unknown payment"
