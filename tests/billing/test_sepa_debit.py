"""SEPA Direct Debit for plans through Checkout: offered beside cards for plans and passes
(never for a booking's day pass, nor a day pass), the plan active only once Stripe reports the
debit arrived, ended (and the member told) when it bounces. All through the local Stripe
server with signed events, in either order."""
import pytest
import requests
from sqlalchemy import select

from coworking.bookings import day_pass
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import Payment
from coworking.memberships.service import buy
from coworking.outbox import OutboxMessage
from tests.billing.paying import (
    CANCEL_URL,
    NINE,
    SUCCESS_URL,
    TEN,
    checkout,
    deliver,
    events,
    fresh,
)

FIRST_DEBIT = ("checkout.session.completed", "checkout.session.async_payment_succeeded",
               "checkout.session.async_payment_failed", "invoice.paid",
               "invoice.payment_failed", "customer.subscription.updated")


@pytest.fixture
def debit(shop):
    """The member chose the monthly plan and paid by SEPA Direct Debit on the hosted page."""
    membership, payment = buy(shop.member, shop.monthly.id, online=True)
    payment = checkout(payment)
    session = shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    return membership, payment, session


def payments_of(membership):
    db.session.commit()
    return [p.status.value for p in db.session.scalars(
        select(Payment).where(Payment.membership_id == membership.id).order_by(Payment.id))]


def ended_mails():
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail"))
        if m.payload["subject"].startswith("Beendet")]


def test_plans_and_passes_offer_a_debit_and_a_day_pass_only_cards(shop):
    offered = {}
    for plan in (shop.monthly, shop.card, shop.day_pass):
        _membership, payment = buy(shop.member, plan.id, online=True)
        payment = checkout(payment)
        offered[plan.kind.value] = shop.fake.object(payment.checkout_session_id)[
            "payment_method_types"]
    assert offered == {"monthly": ["card", "sepa_debit"], "multi_pass": ["card", "sepa_debit"],
                       "day_pass": ["card"]}


def test_the_debit_can_be_turned_off(shop, app):
    app.config["STRIPE_SEPA_DEBIT"] = False
    _membership, payment = buy(shop.member, shop.monthly.id, online=True)
    payment = checkout(payment)
    assert shop.fake.object(payment.checkout_session_id)["payment_method_types"] == ["card"]


def test_the_hosted_page_offers_the_debit_and_the_member_waits_for_the_bank(
        shop, client, login, debit):
    membership, payment, session = debit
    assert deliver(shop.fake, client, *events(shop.fake, *FIRST_DEBIT)) == ["awaiting payment"]
    assert fresh(membership).status == "pending"
    shop.frozen.set("2027-03-02T08:00:00+01:00")  # the checkout's 30 minutes are long over
    run_all()
    assert fresh(membership).status == "pending" and payments_of(membership) == ["due"]

    login(shop.member.email)
    html = client.get("/memberships").get_data(as_text=True)
    assert "Deine Lastschrift ist unterwegs." in html
    assert "Die Zeit zum Bezahlen ist abgelaufen" not in html
    page = client.get(f"/billing/payments/{payment.id}").get_data(as_text=True)
    assert 'id="pay"' not in page  # nothing to pay again


@pytest.mark.parametrize("order", ["as sent", "reversed"])
def test_the_plan_is_active_once_the_debit_arrives_in_either_order(shop, client, debit, order):
    membership, _payment, session = debit
    shop.fake.succeed_async(session["id"])
    sent = events(shop.fake, *FIRST_DEBIT)
    assert [e["type"] for e in sent] == [
        "checkout.session.completed", "invoice.paid", "customer.subscription.updated",
        "checkout.session.async_payment_succeeded"]
    if order == "reversed":
        sent.reverse()
    deliver(shop.fake, client, *sent, *sent)
    membership = fresh(membership)
    assert membership.status == "active" and membership.current_period_end is not None
    assert membership.stripe_subscription_id == session["subscription"]
    assert payments_of(membership) == ["paid"]
    assert shop.fake.object(session["subscription"])["status"] == "active"


@pytest.mark.parametrize("order", ["as sent", "reversed"])
def test_a_bounced_first_debit_ends_the_plan_and_the_member_is_told(shop, client, debit, order):
    membership, _payment, session = debit
    shop.fake.fail_async(session["id"])
    sent = events(shop.fake, *FIRST_DEBIT)
    assert [e["type"] for e in sent] == [
        "checkout.session.completed", "invoice.payment_failed",
        "checkout.session.async_payment_failed"]
    if order == "reversed":
        sent.reverse()
    deliver(shop.fake, client, *sent)
    assert fresh(membership).status == "cancelled"
    assert payments_of(membership) == ["failed"]  # the one payment, no stray ones
    (mail,) = ended_mails()
    assert "Deine Bank konnte die Lastschrift nicht einlösen" in mail["text"]
    assert shop.fake.object(session["subscription"])["status"] == "incomplete"


def test_a_card_bought_by_debit_that_bounces_tells_the_member_too(shop, client):
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    shop.fake.fail_async(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, *FIRST_DEBIT))
    assert fresh(membership).status == "cancelled"
    (mail,) = ended_mails()
    assert "10er-Karte" in mail["subject"] and "Lastschrift" in mail["text"]


def test_an_abandoned_checkout_ends_without_blaming_the_bank(shop, client):
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.client().v1.checkout.sessions.expire(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.expired"))
    assert fresh(membership).status == "expired"
    (mail,) = ended_mails()
    assert "Lastschrift" not in mail["text"]


def test_the_hosted_page_offers_no_debit_for_a_bookings_day_pass(shop):
    booking = book(shop.member, shop.desk.id, NINE, TEN, pay="day_pass", online=True)
    payment = day_pass.checkout(booking, SUCCESS_URL, CANCEL_URL)
    form = requests.get(payment.checkout_url, timeout=10).text
    assert 'value="sepa_debit"' not in form and 'id="iban"' not in form
    refused = requests.post(payment.checkout_url, timeout=10, allow_redirects=False, data={
        "method": "sepa_debit", "iban": "DE89370400440532013000", "email": "m@example.org"})
    assert refused.status_code == 402 and "not offered" in refused.text
    assert shop.fake.object(payment.checkout_session_id)["status"] == "open"


def test_a_plans_hosted_page_takes_an_iban(shop):
    _membership, payment = buy(shop.member, shop.monthly.id, online=True)
    payment = checkout(payment)
    form = requests.get(payment.checkout_url, timeout=10).text
    assert 'value="sepa_debit"' in form and 'id="iban"' in form
    incomplete = requests.post(payment.checkout_url, timeout=10, allow_redirects=False, data={
        "method": "sepa_debit", "iban": "DE89", "email": "m@example.org"})
    assert incomplete.status_code == 402 and "IBAN is incomplete" in incomplete.text
    paid = requests.post(payment.checkout_url, timeout=10, allow_redirects=False, data={
        "method": "sepa_debit", "iban": "DE89 3704 0044 0532 0130 00",
        "email": "m@example.org"})
    assert paid.status_code == 303
    session = shop.fake.object(payment.checkout_session_id)
    assert (session["status"], session["payment_status"]) == ("complete", "unpaid")
