"""At closing time everyone still checked in is checked out: the booking completed, the visit
closed at closing time with method auto, whenever the job gets to run; idempotent."""
from datetime import date, time

import pytest

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from coworking.checkins.jobs import close_day
from coworking.jobs import run_all
from tests.checkins.helpers import at, booking_of, visits
from tests.factories import resources_of


def check_in(member, space, booking):
    response = member.post(f"/api/v1/bookings/{booking.id}/check-in",
                           json={"code": daily_code(space, date(2027, 3, 2))})
    assert response.status_code == 200, response.json


def test_at_closing_time_everyone_still_present_is_checked_out(space, api, frozen):
    desks = resources_of(space)
    early, late = api(), api()
    morning = book(early.user, desks[0].id, at("08:00"), at("12:00"))
    day_long = book(late.user, desks[1].id, at("09:00"), at("18:00"))
    frozen.set("2027-03-02T08:05:00+01:00")
    check_in(early, space, morning)
    frozen.set("2027-03-02T08:40:00+01:00")
    check_in(late, space, day_long)

    frozen.set("2027-03-02T17:59:00+01:00")
    assert run_all()["close-day"] == {"checked out": 0}
    assert [b.status for b in map(booking_of, (morning.id, day_long.id))] == \
        ["checked_in", "checked_in"]

    frozen.set("2027-03-02T18:00:00+01:00")
    assert run_all()["close-day"] == {"checked out": 2}
    for booking in map(booking_of, (morning.id, day_long.id)):
        assert booking.status == "completed" and booking.completed_at == at("18:00")
    assert [(v.checked_out_at, v.check_out_method, v.checked_out_by_id) for v in visits()] == \
        [(at("18:00"), "auto", None)] * 2
    assert run_all()["close-day"] == {"checked out": 0}


def test_a_job_that_runs_late_closes_the_visit_at_closing_time(space, api, frozen):
    member = api()
    booking = book(member.user, resources_of(space)[0].id, at("09:00"), at("17:00"))
    frozen.set("2027-03-02T09:00:00+01:00")
    check_in(member, space, booking)
    frozen.set("2027-03-03T07:30:00+01:00")  # the server was down overnight
    assert close_day() == (1, 0)
    (visit,) = visits()
    assert visit.checked_out_at == at("18:00") and booking_of(booking.id).status == "completed"


def test_with_a_lunch_break_the_space_closes_at_the_end_of_the_day(make_space, api, frozen):
    space = make_space(desks=1, public_holidays_closed=False,
                       hours={d: [(time(8), time(12)), (time(13), time(18))] for d in range(7)})
    member = api()
    booking = book(member.user, resources_of(space)[0].id, at("09:00"), at("12:00"))
    frozen.set("2027-03-02T09:00:00+01:00")
    check_in(member, space, booking)
    frozen.set("2027-03-02T12:30:00+01:00")
    assert close_day() == (0, 1)
    frozen.set("2027-03-02T18:00:00+01:00")
    assert close_day() == (1, 0)
    assert visits()[0].checked_out_at == at("18:00")


@pytest.mark.parametrize("closed_by", ["closure", "hours"])
def test_a_day_closed_after_booking_checks_out_at_the_bookings_end(space, api, frozen,
                                                                   closed_by):
    from coworking.extensions import db
    from coworking.spaces.models import Closure

    member = api()
    booking = book(member.user, resources_of(space)[0].id, at("09:00"), at("11:00"))
    frozen.set("2027-03-02T09:00:00+01:00")
    check_in(member, space, booking)
    if closed_by == "closure":
        db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 2),
                               end_date=date(2027, 3, 2), reason="Wasserschaden"))
    else:
        for hours in space.opening_hours:
            hours.closes = time(10)
    db.session.commit()
    frozen.set("2027-03-02T10:59:00+01:00")
    assert close_day() == (0, 0)
    frozen.set("2027-03-02T11:00:00+01:00")
    assert close_day() == (1, 0)
    assert visits()[0].checked_out_at == at("11:00")
