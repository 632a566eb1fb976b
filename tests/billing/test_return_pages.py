"""The pages Stripe sends the member back to: the true state from the database, caught up
with Stripe when the member is quicker than the webhook, and the cancel page."""
import re

import pytest

from coworking.bookings.service import book
from coworking.memberships.service import buy, credits_left
from tests.billing.paying import NINE, TEN, checkout, deliver, events, fresh, ledger, payment_of


@pytest.fixture
def card(shop, login):
    membership, payment = buy(shop.member, shop.card.id, online=True)
    login(shop.member.email)
    return membership, checkout(payment)


def state_of(page):
    return re.search(r'id="payment-state" data-status="(\w+)"', page).group(1)


def test_a_member_back_before_the_webhook_sees_the_card_active(shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id)

    response = client.get(f"/billing/return/{payment.id}?session_id={payment.checkout_session_id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and state_of(page) == "paid"
    assert "Danke für deine Zahlung!" in page and "Dein Tarif „10er-Karte“ ist aktiv." in page
    assert '<dd id="credits-left">10</dd>' in page
    assert fresh(membership).status == "active"
    # The webhook comes after and finds it done.
    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed")) == [
        "already paid"]
    assert ledger(membership) == [(10, "purchase")]


def test_the_return_page_shows_what_the_webhook_applied_without_asking_stripe(
        shop, client, card):
    membership, payment = card
    shop.fake.complete_session(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))
    asked = len(shop.fake.requests)

    page = client.get(f"/billing/return/{payment.id}").get_data(as_text=True)

    assert state_of(page) == "paid" and len(shop.fake.requests) == asked


def test_the_session_id_in_the_address_is_only_a_hint(shop, client, card, make_user):
    """Someone else's paid session in the query string pays nothing of the member's."""
    membership, payment = card
    _other_membership, other_payment = buy(make_user(), shop.card.id, online=True)
    other_session = checkout(other_payment).checkout_session_id
    shop.fake.complete_session(other_session)

    page = client.get(f"/billing/return/{payment.id}?session_id={other_session}")

    assert state_of(page.get_data(as_text=True)) == "due"
    assert fresh(membership).status == "pending" and fresh(payment).status == "due"


def test_while_stripe_has_not_confirmed_the_page_says_so(shop, client, card):
    _membership, payment = card

    page = client.get(f"/billing/return/{payment.id}").get_data(as_text=True)

    assert state_of(page) == "due" and "wird noch bestätigt" in page


def test_a_returning_member_whose_desk_was_taken_reads_about_the_credit(
        shop, client, login, make_user):
    booking = book(shop.member, shop.desk.id, NINE, TEN, pay="day_pass", online=True)
    payment = checkout(payment_of(booking_id=booking.id))
    shop.frozen.set("2027-03-01T07:30:59+01:00")
    shop.fake.complete_session(payment.checkout_session_id)
    shop.frozen.set("2027-03-01T07:31:00+01:00")
    book(make_user(), shop.desk.id, NINE, TEN)
    login(shop.member.email)

    page = client.get(f"/billing/return/{payment.id}").get_data(as_text=True)

    assert state_of(page) == "paid" and "Guthaben für einen Tag" in page
    assert '<dd id="credits-left">1</dd>' in page
    assert fresh(booking).status == "cancelled"


def test_the_cancel_page_offers_to_go_back_to_the_payment_while_it_can(shop, client, card):
    membership, payment = card

    page = client.get(f"/billing/cancel/{payment.id}").get_data(as_text=True)
    assert "Zahlung abgebrochen" in page and "nichts berechnet" in page.lower()
    assert f'action="/billing/payments/{payment.id}/checkout"' in page

    shop.frozen.set("2027-03-01T07:31:00+01:00")
    page = client.get(f"/billing/cancel/{payment.id}").get_data(as_text=True)
    assert "/checkout" not in page and credits_left(membership) == 0


def test_pages_of_someone_elses_payment_do_not_exist(shop, client, login, make_user):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    login(make_user().email)

    assert client.get(f"/billing/return/{payment.id}").status_code == 404
    assert client.get(f"/billing/cancel/{payment.id}").status_code == 404
