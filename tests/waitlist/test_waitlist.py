"""The waiting list: a member joins a full slot; when a place frees up (cancellation, no-show,
expired payment hold) the first on the list is offered it, held for them for 30 minutes, then
the next is asked. The clock moves with `frozen`, at the minute things change."""
import threading
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.bookings import service
from coworking.bookings.availability import availability
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import expire_lapsed_holds
from coworking.checkins.jobs import mark_no_shows
from coworking.errors import Conflict, Gone, InvalidInput, RuleViolation
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.waitlist import service as waitlist_service
from coworking.waitlist.models import EntryStatus, WaitlistEntry
from tests.factories import csrf_token, make_plan, resources_of


def at(text, day="2027-03-02"):
    """A wall-clock time in Berlin on `day` (the Tuesday after the frozen Monday)."""
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


NINE, FIVE = at("09:00"), at("17:00")


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=1, rooms=1)


@pytest.fixture
def desk(space):
    return resources_of(space)[0]


@pytest.fixture
def members(make_user):
    return [make_user(name=name) for name in ("Anna", "Ben", "Cleo")]


def entry_of(user):
    db.session.commit()
    return db.session.scalars(select(WaitlistEntry).where(WaitlistEntry.user_id == user.id)
                              .order_by(WaitlistEntry.id)
                              .execution_options(populate_existing=True)).one()


def offer_job():
    return run_all()["offer-waitlist"]


@pytest.fixture
def full(space, desk, members):
    """Anna holds the only desk 09-17; Ben, then Cleo, wait for it."""
    anna, ben, cleo = members
    booking = service.book(anna, desk.id, NINE, FIVE)
    waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    waitlist_service.join(cleo, space, "hot_desk", NINE, FIVE)
    return booking


def test_a_member_joins_a_full_slot_and_learns_their_place(space, desk, members):
    anna, ben, cleo = members
    service.book(anna, desk.id, NINE, FIVE)
    entry, position, new = waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    assert (entry.status, position, new) == (EntryStatus.WAITING, 1, True)
    assert waitlist_service.join(cleo, space, "hot_desk", NINE, FIVE)[1:] == (2, True)
    # Joining again is a no-op that says where they stand.
    again, position, new = waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    assert (again.id, position, new) == (entry.id, 1, False)
    assert db.session.scalar(select(func.count()).select_from(WaitlistEntry)) == 2


def test_nobody_waits_while_a_place_is_free(space, desk, members):
    with pytest.raises(waitlist_service.SlotFree) as refused:
        waitlist_service.join(members[1], space, "hot_desk", NINE, FIVE)
    assert refused.value.resource.id == desk.id and refused.value.status == 409
    service.book(members[0], desk.id, at("10:00"), at("12:00"))
    # 13-17 is free all along: no waiting for it either.
    with pytest.raises(waitlist_service.SlotFree):
        waitlist_service.join(members[1], space, "hot_desk", at("13:00"), FIVE)


def test_a_range_no_booking_could_have_is_refused_with_its_reason(space, desk, members):
    service.book(members[0], desk.id, NINE, FIVE)
    with pytest.raises(RuleViolation) as closed:
        waitlist_service.join(members[1], space, "hot_desk", at("17:00"), at("19:00"))
    assert closed.value.field == "end"
    with pytest.raises(RuleViolation):
        waitlist_service.join(members[1], space, "hot_desk", at("09:00", "2027-02-26"),
                              at("10:00", "2027-02-26"))
    with pytest.raises(InvalidInput) as kind:
        waitlist_service.join(members[1], space, "fixed_desk", NINE, FIVE)
    assert kind.value.field == "kind"


def test_a_cancellation_offers_the_desk_to_the_first_and_holds_it_for_them(
        full, space, desk, members, make_user, frozen):
    anna, ben, cleo = members
    service.cancel(anna, full.id)
    ben_entry, cleo_entry = entry_of(ben), entry_of(cleo)
    assert ben_entry.status == EntryStatus.OFFERED and ben_entry.resource_id == desk.id
    assert ben_entry.expires_at == at("07:30", "2027-03-01")
    assert cleo_entry.status == EntryStatus.WAITING
    # Held: anyone else is refused, with until when; the grid shows it taken.
    with pytest.raises(Conflict) as held:
        service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    assert held.value.status == 409 and "07:30" in str(held.value.message)
    (day,) = availability(space, NINE.date(), 1)
    (desk_day,) = [rd for rd in day.resources if rd.resource.id == desk.id]
    assert (NINE, FIVE) in desk_day.taken
    assert not any(a < FIVE and NINE < b for a, b in desk_day.free)


def test_taken_at_minute_29_it_is_booked(full, space, desk, members, frozen):
    anna, ben, _cleo = members
    service.cancel(anna, full.id)
    frozen.set("2027-03-01T07:29:00+01:00")
    entry, booking, new = waitlist_service.accept(ben, entry_of(ben).id)
    assert new and booking.status == "confirmed" and booking.resource_id == desk.id
    assert (booking.start_at, booking.end_at) == (NINE, FIVE)
    assert entry_of(ben).status == EntryStatus.BOOKED and entry_of(ben).booking_id == booking.id
    # Taking it again books nothing more.
    assert waitlist_service.accept(ben, entry.id)[2] is False
    assert db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.user_id == ben.id)) == 1


def test_at_minute_30_the_offer_has_lapsed_and_the_next_is_asked(full, space, desk, members,
                                                                  frozen, make_user):
    anna, ben, cleo = members
    service.cancel(anna, full.id)
    frozen.set("2027-03-01T07:30:00+01:00")
    with pytest.raises(Gone):
        waitlist_service.accept(ben, entry_of(ben).id)
    assert offer_job() == {"offered": 1, "lapsed": 1, "over": 0}
    assert entry_of(ben).status == EntryStatus.LAPSED
    cleo_entry = entry_of(cleo)
    assert cleo_entry.status == EntryStatus.OFFERED
    assert cleo_entry.expires_at == at("08:00", "2027-03-01")
    with pytest.raises(Conflict):
        service.book(ben, desk.id, NINE, FIVE)
    # Cleo's lapses too: nobody is left, and the desk is anyone's again.
    frozen.set("2027-03-01T08:00:00+01:00")
    assert offer_job() == {"offered": 0, "lapsed": 1, "over": 0}
    assert service.book(make_user(), desk.id, NINE, FIVE).status == "confirmed"


def test_declining_asks_the_next_at_once(full, members):
    anna, ben, cleo = members
    service.cancel(anna, full.id)
    waitlist_service.leave(ben, entry_of(ben).id)
    assert entry_of(ben).status == EntryStatus.WITHDRAWN
    assert entry_of(cleo).status == EntryStatus.OFFERED
    # Leaving the list before any offer gives nobody anything.
    waitlist_service.leave(cleo, entry_of(cleo).id)
    assert entry_of(cleo).status == EntryStatus.WITHDRAWN


def test_a_no_show_frees_the_rest_of_the_day_for_the_first_waiting(space, desk, members,
                                                                   frozen):
    anna, ben, _cleo = members
    today = "2027-03-01"
    service.book(anna, desk.id, at("09:00", today), at("17:00", today))
    waitlist_service.join(ben, space, "hot_desk", at("11:00", today), at("17:00", today))
    frozen.set("2027-03-01T09:30:00+01:00")  # start + 30 minutes' grace
    assert mark_no_shows() == 1
    entry = entry_of(ben)
    assert entry.status == EntryStatus.OFFERED
    assert entry.expires_at == at("10:00", today)
    assert waitlist_service.accept(ben, entry.id)[1].start_at == at("11:00", today)


def test_an_offer_lapses_when_booking_closes_if_that_comes_sooner(make_space, members, frozen):
    """With 150 minutes' notice a 10:00 start can be booked until 07:30: so long the offer."""
    anna, ben, cleo = members
    space = make_space(desks=1, rooms=0, min_notice_minutes=150)
    desk, today = resources_of(space)[0], "2027-03-01"
    booking = service.book(anna, desk.id, at("10:00", today), at("12:00", today))
    waitlist_service.join(ben, space, "hot_desk", at("10:00", today), at("12:00", today))
    waitlist_service.join(cleo, space, "hot_desk", at("10:00", today), at("12:00", today))
    frozen.set("2027-03-01T07:20:00+01:00")
    service.cancel(anna, booking.id)
    assert entry_of(ben).expires_at == at("07:30", today)
    frozen.set("2027-03-01T07:30:00+01:00")
    # Too late for Cleo as well: she is not asked for what she could not book.
    assert offer_job() == {"offered": 0, "lapsed": 1, "over": 0}
    assert entry_of(cleo).status == EntryStatus.WAITING


def test_an_expired_payment_hold_frees_the_desk_for_the_first_waiting(space, desk, members,
                                                                      make_user, frozen):
    _anna, ben, _cleo = members
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    payer = make_user(covered=False)
    service.book(payer, desk.id, NINE, FIVE, pay="day_pass", online=True)
    waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    frozen.set("2027-03-01T07:30:00+01:00")
    assert expire_lapsed_holds() == 1
    assert entry_of(ben).status == EntryStatus.OFFERED


def test_a_freed_part_of_the_range_offers_nothing(space, desk, members, make_user):
    anna, ben, _cleo = members
    morning = service.book(anna, desk.id, NINE, at("12:00"))
    service.book(make_user(), desk.id, at("12:00"), FIVE)
    waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    service.cancel(anna, morning.id)
    assert entry_of(ben).status == EntryStatus.WAITING
    assert offer_job()["offered"] == 0


def test_other_spaces_and_kinds_are_untouched(full, space, members, make_space, make_user):
    anna, ben, cleo = members
    room = resources_of(space, "meeting_room")[0]
    service.book(make_user(), room.id, NINE, FIVE)
    in_room = make_user()
    waitlist_service.join(in_room, space, "meeting_room", NINE, FIVE)
    elsewhere = make_space(desks=1, rooms=0)
    service.book(make_user(), resources_of(elsewhere)[0].id, NINE, FIVE)
    far = make_user()
    waitlist_service.join(far, elsewhere, "hot_desk", NINE, FIVE)
    service.cancel(anna, full.id)
    assert entry_of(ben).status == EntryStatus.OFFERED
    assert entry_of(in_room).status == EntryStatus.WAITING
    assert entry_of(far).status == EntryStatus.WAITING


def test_waiting_ends_as_over_when_the_range_begins(full, members, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    assert offer_job() == {"offered": 0, "lapsed": 0, "over": 2}
    assert entry_of(members[1]).status == EntryStatus.OVER


def test_taking_an_offer_twice_at_once_books_once(full, members, app, client, login):
    anna, ben, _cleo = members
    service.cancel(anna, full.id)
    entry_id = entry_of(ben).id
    login(ben.email)
    token = csrf_token(client, f"/waitlist/offers/{entry_id}")
    cookie = client.get_cookie("session").value
    barrier, answers, lock = threading.Barrier(2), [], threading.Lock()

    def tap():
        tab = FlaskClient(app)
        tab.set_cookie("session", cookie)
        barrier.wait(timeout=30)
        response = tab.post(f"/waitlist/offers/{entry_id}/accept", data={"csrf_token": token})
        with lock:
            answers.append((response.status_code, response.headers.get("Location")))

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [(302, "/bookings")] * 2
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.user_id == ben.id, Booking.status.in_(ACTIVE_STATUSES))) == 1
    assert entry_of(ben).status == EntryStatus.BOOKED


def test_the_offer_holds_only_its_range(full, space, desk, members, make_user):
    anna, ben, _cleo = members
    service.cancel(anna, full.id)
    later = at("09:00", "2027-03-03")
    assert service.book(make_user(), desk.id, later, later + timedelta(hours=2)).status \
        == "confirmed"


def test_a_held_desk_is_not_free_for_a_walk_in_either(full, space, members):
    from coworking.bookings.availability import free_desks

    service.cancel(members[0], full.id)
    assert free_desks(space, NINE, FIVE) == []
