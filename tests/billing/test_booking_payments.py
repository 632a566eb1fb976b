"""One booking paid with a day pass: the desk is held while the member pays; payment confirms
it, expiry frees it, and a payment that arrives after the hold was freed either confirms it
again (the desk is still free) or becomes a day credit (it is not)."""
import pytest
from sqlalchemy import select

from coworking.billing.holds import expire_holds
from coworking.bookings.availability import availability
from coworking.bookings.service import book, cancel
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import Membership
from coworking.memberships.service import credits_left
from tests.billing.paying import (
    ELEVEN,
    NINE,
    TEN,
    checkout,
    deliver,
    events,
    fresh,
    ledger,
    outbox_topics,
    payment_of,
)
from tests.factories import give_membership

# The session lives 30 minutes and one more for clock drift, from 07:00 on the frozen clock.
LAST_HELD, FREED = "2027-03-01T07:30:59+01:00", "2027-03-01T07:31:00+01:00"


@pytest.fixture
def held(shop):
    """The member books desk 1, 09:00-10:00 tomorrow, paying with a day pass; Checkout is open."""
    booking = book(shop.member, shop.desk.id, NINE, TEN, pay="day_pass", online=True)
    return booking, checkout(payment_of(booking_id=booking.id))


def desk_is_free(shop, start=NINE, end=TEN):
    (day,) = availability(shop.space, NINE.date(), 1)
    resource_day = next(r for r in day.resources if r.resource.id == shop.desk.id)
    return any(a <= start and end <= b for a, b in resource_day.free)


def test_paying_confirms_the_held_booking(shop, client, held):
    booking, payment = held
    shop.fake.complete_session(payment.checkout_session_id)
    (completed,) = events(shop.fake, "checkout.session.completed")

    assert deliver(shop.fake, client, completed, completed) == ["confirmed", "repeat"]
    assert fresh(booking).status == "confirmed" and fresh(payment).status == "paid"
    assert booking.membership_id is None  # paid on its own, not from a membership


def test_an_expired_session_frees_the_desk(shop, client, held, make_user):
    booking, payment = held
    shop.fake.client().v1.checkout.sessions.expire(payment.checkout_session_id)

    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.expired")) == [
        "released"]
    assert fresh(booking).status == "cancelled" and fresh(payment).status == "expired"
    assert book(make_user(), shop.desk.id, NINE, TEN).status == "confirmed"


def test_the_hold_runs_out_at_the_same_minute_for_reads_bookings_and_the_job(
        shop, held, make_user):
    booking, payment = held
    other = make_user()

    shop.frozen.set(LAST_HELD)
    assert not desk_is_free(shop)
    with pytest.raises(Conflict):
        book(other, shop.desk.id, NINE, TEN)
    assert expire_holds()["holds"] == 0
    assert fresh(booking).status == "pending_payment"

    shop.frozen.set(FREED)
    assert desk_is_free(shop)
    assert fresh(payment).shown_status(payment.expires_at).value == "expired"
    assert expire_holds() == {"holds": 1, "purchases": 0, "unused purchases on site": 0,
                              "subscriptions ended": 0}
    assert fresh(booking).status == "cancelled" and fresh(payment).status == "expired"
    assert expire_holds()["holds"] == 0  # a second run finds nothing left
    assert book(other, shop.desk.id, NINE, TEN).status == "confirmed"


def test_a_booking_at_the_minute_the_hold_runs_out_expires_it_without_the_job(
        shop, held, make_user):
    booking, payment = held
    shop.frozen.set(FREED)

    assert book(make_user(), shop.desk.id, NINE, ELEVEN).status == "confirmed"
    assert fresh(booking).status == "cancelled" and fresh(payment).status == "expired"


def pay_late(shop, payment):
    """The member pays in the hold's last second; Stripe's webhook arrives after it ran out."""
    shop.frozen.set(LAST_HELD)
    shop.fake.complete_session(payment.checkout_session_id)
    shop.frozen.set(FREED)


def test_a_late_payment_confirms_the_booking_when_the_desk_is_still_free(shop, client, held):
    booking, payment = held
    pay_late(shop, payment)
    run_all()
    assert fresh(booking).status == "cancelled"

    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed")) == [
        "reinstated"]
    assert fresh(booking).status == "confirmed" and fresh(payment).status == "paid"
    assert not desk_is_free(shop)
    assert "payment.credited" not in outbox_topics()


def test_a_late_payment_becomes_a_day_credit_when_the_desk_is_taken(shop, client, held,
                                                                   make_user):
    booking, payment = held
    pay_late(shop, payment)
    taker = book(make_user(), shop.desk.id, NINE, TEN)

    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed")) == [
        "credited"]
    assert fresh(booking).status == "cancelled" and fresh(taker).status == "confirmed"
    credit = db.session.scalars(select(Membership).where(
        Membership.user_id == shop.member.id)).one()
    assert (credit.status, credit.plan_id) == ("active", shop.day_pass.id)
    assert ledger(credit) == [(1, "late_payment")]
    assert fresh(payment).status == "paid" and payment.membership_id == credit.id
    assert outbox_topics().count("payment.credited") == 1

    # The credit pays for the member's next booking in that space.
    again = book(shop.member, shop.other_desk.id, NINE, TEN)
    assert again.status == "confirmed" and again.membership_id == credit.id
    assert credits_left(credit) == 0


def test_a_late_payment_becomes_a_credit_when_the_member_holds_another_desk_then(
        shop, client, held):
    booking, payment = held
    pay_late(shop, payment)
    run_all()
    give_membership(shop.member, kind="monthly", spaces=[shop.space])
    book(shop.member, shop.other_desk.id, NINE, TEN)  # one person, one desk at a time

    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed")) == [
        "credited"]
    assert fresh(booking).status == "cancelled"


def test_a_payment_for_a_hold_its_member_cancelled_becomes_a_day_credit(shop, client, held):
    booking, payment = held
    cancel(shop.member, booking.id)  # changed their mind, but paid in the other tab anyway
    shop.fake.complete_session(payment.checkout_session_id)

    assert deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed")) == [
        "credited"]
    assert fresh(booking).status == "cancelled" and "payment.credited" in outbox_topics()


def test_a_bookings_day_pass_is_paid_by_card_only_since_a_debit_takes_days(shop, held):
    _booking, payment = held
    session = shop.fake.object(payment.checkout_session_id)
    assert session["payment_method_types"] == ["card"]
    with pytest.raises(ValueError, match="SEPA Direct Debit is not offered"):
        shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    page = shop.fake.client().v1.checkout.sessions.retrieve(payment.checkout_session_id)
    assert page.status == "open"


def test_a_refunded_day_pass_cancels_its_booking(shop, client, held):
    booking, payment = held
    session = shop.fake.complete_session(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))

    shop.fake.client().v1.refunds.create({"payment_intent": session["payment_intent"]})

    assert deliver(shop.fake, client, *events(shop.fake, "charge.refunded")) == ["applied"]
    assert fresh(booking).status == "cancelled" and fresh(payment).status == "refunded"
    assert desk_is_free(shop)
