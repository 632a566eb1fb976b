"""What covers a booking: each kind of plan with its quota or credits, at its limits; the
last credit raced for; credits back on cancelling before the deadline; the fixed desk."""
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from coworking.bookings import service
from coworking.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from coworking.errors import Conflict, InvalidInput, PaymentRequired, RuleViolation
from coworking.extensions import db
from coworking.memberships.models import CreditEntry, Payment, PaymentMethod, PaymentStatus
from coworking.memberships.service import credits_left, ledger_of
from coworking.spaces.models import Resource, ResourceKind
from tests.factories import give_membership, make_plan, resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=1)


@pytest.fixture
def member(make_user):
    return make_user(covered=False)


def at(text, day="2027-03-02"):
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


def book(member, resource, start="09:00", end="12:00", day="2027-03-02", **kw):
    return service.book(member, resource.id, at(start, day), at(end, day), **kw)


def balance(membership):
    db.session.commit()
    return credits_left(membership)


def test_without_cover_the_answer_lists_the_offers_that_would_cover(space, member, make_space):
    elsewhere = make_space()
    card = make_plan("10er-Karte", spaces=[space], price_cents=12000)
    day_pass = make_plan("Tagespass", kind="day_pass", spaces=[space], price_cents=1500)
    make_plan("Anderswo", spaces=[elsewhere])
    retired = make_plan("Alt", spaces=[space])
    retired.retired_at = at("07:00", "2027-02-01")
    db.session.commit()
    with pytest.raises(PaymentRequired) as refused:
        book(member, resources_of(space)[0])
    assert [o["plan_id"] for o in refused.value.offers] == [day_pass.id, card.id]
    assert refused.value.offers[0] == {"plan_id": day_pass.id, "name": "Tagespass",
                                       "kind": "day_pass", "price_cents": 1500,
                                       "seller": space.operator.slug,
                                       "seller_name": space.operator.legal_name,
                                       "sells_online": True}


def test_the_api_answers_402_with_offers(space, api, make_user):
    make_plan("10er-Karte", spaces=[space])
    caller = api(user=make_user(covered=False))
    response = caller.post("/api/v1/bookings", json={
        "resource_id": resources_of(space)[0].id, "start": "2027-03-02T09:00:00+01:00",
        "end": "2027-03-02T10:00:00+01:00"})
    assert response.status_code == 402 and response.mimetype == "application/problem+json"
    assert response.json["offers"][0]["name"] == "10er-Karte"


def test_a_card_pays_one_credit_per_desk_day_however_many_slots(space, member):
    card = give_membership(member, spaces=[space], credits=2)
    desk = resources_of(space)[0]
    book(member, desk, "09:00", "10:00")
    book(member, desk, "14:00", "15:00")  # the same day: no second credit
    assert balance(card) == 1
    book(member, desk, "09:00", "10:00", day="2027-03-03")
    assert balance(card) == 0
    with pytest.raises(PaymentRequired):
        book(member, desk, "09:00", "10:00", day="2027-03-04")
    reasons = [(e.delta, e.reason) for e in ledger_of(card)]
    assert reasons == [(2, "purchase"), (-1, "booking"), (-1, "booking")]


def test_cancelling_before_the_deadline_returns_the_credit_after_it_not(space, member, frozen,
                                                                        make_user):
    card = give_membership(member, spaces=[space], credits=3)
    desk = resources_of(space)[0]
    first = book(member, desk, "10:00", "11:00")
    second = book(member, desk, "10:00", "11:00", day="2027-03-03")
    assert balance(card) == 1
    service.cancel(member, first.id)
    assert balance(card) == 2
    frozen.set("2027-03-03T08:30:00+01:00")  # inside the two-hour deadline
    host = make_user(role="host", space=space)
    service.cancel(host, second.id)  # a host may, but the credit stays spent
    assert balance(card) == 2
    assert [e.reason for e in ledger_of(card)][-1] == "cancellation"


def test_cancelling_one_of_two_bookings_of_a_day_keeps_the_day_paid(space, member):
    card = give_membership(member, spaces=[space], credits=3)
    desk = resources_of(space)[0]
    morning = book(member, desk, "09:00", "10:00")
    book(member, desk, "14:00", "15:00")
    service.cancel(member, morning.id)
    assert balance(card) == 2


def test_cancelling_every_booking_of_a_day_returns_its_credit_whichever_took_it(space, member):
    card = give_membership(member, spaces=[space], credits=3)
    desk = resources_of(space)[0]
    morning = book(member, desk, "09:00", "10:00")  # this one took the day's credit
    afternoon = book(member, desk, "14:00", "15:00")
    service.cancel(member, morning.id)
    assert balance(card) == 2
    service.cancel(member, afternoon.id)
    assert balance(card) == 3


def test_a_pass_counts_only_while_it_is_valid_and_only_where_it_covers(space, member, make_space):
    elsewhere = make_space()
    give_membership(member, spaces=[space], credits=5, validity_days=10)
    with pytest.raises(PaymentRequired):
        book(member, resources_of(elsewhere)[0])
    book(member, resources_of(space)[0], day="2027-03-10")
    with pytest.raises(PaymentRequired):
        book(member, resources_of(space)[0], day="2027-03-12")  # valid until 11.03., 07:00


def test_a_monthly_quota_counts_distinct_days_of_each_month(space, member):
    give_membership(member, kind="monthly", spaces=[space], days_per_month=2, price_cents=9900)
    desk = resources_of(space)[0]
    book(member, desk, "09:00", "10:00", day="2027-03-02")
    book(member, desk, "11:00", "12:00", day="2027-03-02")
    book(member, desk, "09:00", "10:00", day="2027-03-03")
    with pytest.raises(PaymentRequired):
        book(member, desk, day="2027-03-04")
    book(member, desk, day="2027-04-01")  # a new month, a new quota


def test_meeting_room_hours_per_month(space, member):
    give_membership(member, kind="monthly", spaces=[space], meeting_room_hours=2,
                    price_cents=14900)
    (room,) = resources_of(space, "meeting_room")
    book(member, room, "09:00", "10:30")
    with pytest.raises(PaymentRequired):
        book(member, room, "11:00", "12:00")
    book(member, room, "11:00", "11:30")


def test_the_network_plan_covers_every_space(space, member, make_space):
    give_membership(member, kind="monthly", all_spaces=True, price_cents=14900)
    for day, somewhere in zip(("2027-03-02", "2027-03-03", "2027-03-04"),
                              (space, make_space(), make_space())):
        book(member, resources_of(somewhere)[0], day=day)


def test_a_fixed_desk_is_bookable_only_by_its_holder(space, member, make_user):
    fixed = Resource(space_id=space.id, kind=ResourceKind.FIXED_DESK, name="Fest 1")
    db.session.add(fixed)
    db.session.commit()
    holding = give_membership(member, kind="fixed_desk", spaces=[space], price_cents=24900)
    holding.fixed_resource_id = fixed.id
    db.session.commit()
    book(member, fixed)
    with pytest.raises(RuleViolation) as refused:
        book(make_user(), fixed, day="2027-03-03")
    assert refused.value.field == "resource_id"


def test_a_day_pass_for_one_booking_is_paid_on_site_without_stripe(space, member):
    make_plan("Tagespass", kind="day_pass", spaces=[space], price_cents=1500)
    booking = book(member, resources_of(space)[0], pay="day_pass")
    db.session.commit()
    assert booking.status == BookingStatus.CONFIRMED and booking.membership_id is None
    payment = db.session.scalar(select(Payment).where(Payment.booking_id == booking.id))
    assert (payment.method, payment.status, payment.amount_cents) == (
        PaymentMethod.ON_SITE, PaymentStatus.DUE, 1500)
    with pytest.raises(InvalidInput) as refused:
        book(member, resources_of(space)[1], day="2027-03-03", pay="gold_bars")
    assert refused.value.field == "pay"


def test_a_held_desk_is_free_again_the_minute_its_hold_runs_out(space, member, make_user,
                                                                frozen):
    make_plan("Tagespass", kind="day_pass", spaces=[space], price_cents=1500)
    desk = resources_of(space)[0]
    held = book(member, desk, pay="day_pass", online=True)
    assert held.status == BookingStatus.PENDING_PAYMENT
    other = make_user()
    frozen.set("2027-03-01T07:29:00+01:00")
    with pytest.raises(Conflict):
        book(other, desk)
    frozen.set("2027-03-01T07:30:00+01:00")
    taken = book(other, desk)
    db.session.commit()
    assert taken.status == BookingStatus.CONFIRMED
    db.session.refresh(held)
    assert held.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("round_", range(2))
def test_two_bookings_at_once_with_one_credit_left_exactly_one_succeeds(space, member, app,
                                                                         round_):
    card = give_membership(member, spaces=[space], credits=1)
    db.session.refresh(member)
    desks = resources_of(space)
    days = ["2027-03-02", "2027-03-03", "2027-03-04"]
    barrier = threading.Barrier(len(days))
    outcomes, lock = [], threading.Lock()

    def contend(desk_id, day):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                service.book(member, desk_id, at("09:00", day), at("10:00", day))
                outcome = "booked"
            except PaymentRequired:
                outcome = "no cover"
            except Exception as error:  # pragma: no cover - what this test looks for
                outcome = repr(error)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=contend, args=(d.id, day)) for d, day in zip(desks, days)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked", "no cover", "no cover"]
    assert balance(card) == 0
    assert db.session.scalar(select(func.count()).select_from(Booking)
                             .where(Booking.status.in_(ACTIVE_STATUSES))) == 1
    assert db.session.scalar(select(func.sum(CreditEntry.delta))) == 0
