"""Opening Checkout for a due payment: what Stripe is asked for, the hold that lasts as long as
the session, starting again, and what happens when Stripe cannot be reached."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from coworking.billing import gateway
from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.database import unit_of_work
from coworking.errors import Unavailable
from coworking.extensions import db
from coworking.memberships.service import buy
from tests.billing.paying import ELEVEN, NINE, TEN, checkout, fresh, payment_of
from tests.factories import csrf_token, make_plan

MINUTE = timedelta(minutes=1)


def session_requests(fake):
    return [r for r in fake.requests if r["method"] == "POST"
            and r["path"] == "/v1/checkout/sessions"]


def test_a_pass_opens_a_payment_session_that_names_our_payment(shop):
    membership, payment = buy(shop.member, shop.card.id, online=True)

    paid_here = checkout(payment)

    (sent,) = session_requests(shop.fake)
    params = sent["params"]
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == str(shop.member.id)
    assert params["metadata"] == {"payment_id": str(payment.id),
                                  "membership_id": str(membership.id)}
    assert params["customer_email"] == shop.member.email and "customer" not in params
    (line,) = params["line_items"]
    assert line["price_data"]["unit_amount"] == "12000"
    assert line["price_data"]["product_data"]["name"] == "10er-Karte"
    assert int(params["expires_at"]) == int(paid_here.expires_at.timestamp())
    assert sent["idempotency_key"] == f"checkout-payment-{payment.id}-{params['expires_at']}"
    session = shop.fake.object(paid_here.checkout_session_id)
    assert paid_here.checkout_url == session["url"] and session["status"] == "open"


def test_the_session_lives_thirty_minutes_and_a_minute_for_clock_drift(shop):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    assert payment.expires_at == payment.created_at + 30 * MINUTE

    started = checkout(payment)

    assert started.expires_at == payment.created_at + 31 * MINUTE
    assert shop.fake.object(started.checkout_session_id)["expires_at"] == \
        int(started.expires_at.timestamp())


def test_seconds_of_clock_drift_do_not_make_stripe_refuse_the_session(shop):
    shop.fake.clock = lambda: time.time() + 25  # Stripe's clock runs ahead of ours
    _membership, payment = buy(shop.member, shop.card.id, online=True)

    assert checkout(payment).checkout_url


def test_a_monthly_plan_opens_a_subscription_that_names_the_membership(shop):
    membership, payment = buy(shop.member, shop.monthly.id, online=True)

    checkout(payment)

    params = session_requests(shop.fake)[0]["params"]
    assert params["mode"] == "subscription"
    assert params["subscription_data"]["metadata"]["membership_id"] == str(membership.id)
    assert params["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert "customer_creation" not in params and "payment_intent_data" not in params


def test_a_plan_with_a_stripe_price_is_sold_at_that_price(shop):
    price = shop.fake.create_price("10er-Karte", 12000)
    plan = make_plan("Karte mit Preis", spaces=[shop.space], stripe_price_id=price)
    _membership, payment = buy(shop.member, plan.id, online=True)

    checkout(payment)

    assert session_requests(shop.fake)[0]["params"]["line_items"] == [
        {"price": price, "quantity": "1"}]


def test_a_member_known_to_stripe_is_not_asked_for_their_address_again(shop):
    earlier, _payment = buy(shop.member, shop.card.id, online=False)
    earlier.stripe_customer_id = "cus_known"
    db.session.commit()
    _membership, payment = buy(shop.member, shop.card.id, online=True)

    with pytest.raises(Unavailable):  # the fake knows no such customer, so it refuses
        checkout(payment)

    params = session_requests(shop.fake)[0]["params"]
    assert params["customer"] == "cus_known" and "customer_email" not in params


def test_a_booking_day_pass_holds_the_desk_as_long_as_its_session_lives(shop):
    booking = book(shop.member, shop.desk.id, NINE, TEN, pay="day_pass", online=True)
    payment = payment_of(booking_id=booking.id)

    started = checkout(payment)

    params = session_requests(shop.fake)[0]["params"]
    assert params["metadata"] == {"payment_id": str(payment.id), "booking_id": str(booking.id)}
    assert params["line_items"][0]["price_data"]["unit_amount"] == "1500"
    assert fresh(booking).hold_until == started.expires_at
    assert (booking.status, started.status) == ("pending_payment", "due")


def test_starting_again_goes_to_the_same_open_session(shop):
    _membership, payment = buy(shop.member, shop.card.id, online=True)

    first = checkout(payment).checkout_url
    shop.frozen.set("2027-03-01T07:20:00+01:00")
    again = checkout(payment).checkout_url

    assert again == first and len(session_requests(shop.fake)) == 1


def test_a_payment_whose_time_ran_out_cannot_be_started(shop):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    shop.frozen.set("2027-03-01T07:30:00+01:00")

    with pytest.raises(Exception) as refused:
        checkout(payment)

    assert refused.value.status == 409 and session_requests(shop.fake) == []


def test_checkout_failing_releases_the_desk_and_says_nothing_was_charged(shop, make_user):
    booking = book(shop.member, shop.desk.id, NINE, TEN, pay="day_pass", online=True)
    payment = payment_of(booking_id=booking.id)
    shop.fake.stop()

    with pytest.raises(Unavailable) as failed:
        checkout(payment)

    assert failed.value.status == 503 and "nothing was charged" in str(failed.value.message)
    assert fresh(booking).status == "cancelled" and fresh(payment).status == "failed"
    # The desk is free at once, not only when the hold would have run out.
    other = book(make_user(), shop.desk.id, NINE, ELEVEN)
    assert other.status == "confirmed"


def test_checkout_failing_ends_the_pending_membership(shop):
    membership, payment = buy(shop.member, shop.card.id, online=True)
    shop.fake.stop()

    with pytest.raises(Unavailable):
        checkout(payment)

    assert fresh(membership).status == "cancelled" and fresh(payment).status == "failed"


def test_stripe_is_never_called_inside_a_unit_of_work(shop):
    with pytest.raises(RuntimeError, match="inside a unit of work"):
        with unit_of_work():
            gateway.retrieve_checkout_session("cs_test_anything")


def test_the_pay_button_takes_the_member_to_checkout(shop, client, login):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    login(shop.member.email)

    page = client.get(f"/billing/payments/{payment.id}")
    assert page.status_code == 200 and 'id="pay"' in page.get_data(as_text=True)
    # The browser applies the page's form-action to the redirect to Stripe as well.
    assert f"form-action 'self' {shop.fake.base_url}" in page.headers["Content-Security-Policy"]
    response = client.post(f"/billing/payments/{payment.id}/checkout",
                           data={"csrf_token": csrf_token(client, f"/billing/payments/{payment.id}")})

    assert response.status_code == 303
    assert response.headers["Location"] == payment_of(id=payment.id).checkout_url
    params = session_requests(shop.fake)[0]["params"]
    assert params["success_url"] == (f"http://localhost/billing/return/{payment.id}"
                                     "?session_id={CHECKOUT_SESSION_ID}")
    assert params["cancel_url"] == f"http://localhost/billing/cancel/{payment.id}"
    assert params["locale"] == "de"


def test_another_members_payment_does_not_exist_for_them(shop, client, login, make_user):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    other = make_user()
    login(other.email)

    assert client.get(f"/billing/payments/{payment.id}").status_code == 404
    response = client.post(f"/billing/payments/{payment.id}/checkout",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404 and session_requests(shop.fake) == []


def test_when_checkout_fails_the_member_reads_why_on_the_payment_page(shop, client, login):
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    login(shop.member.email)
    token = csrf_token(client, f"/billing/payments/{payment.id}")
    shop.fake.stop()

    response = client.post(f"/billing/payments/{payment.id}/checkout",
                           data={"csrf_token": token}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "nichts berechnet" in page
    assert db.session.scalars(select(Booking)).all() == []
