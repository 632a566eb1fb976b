"""Occupancy against numbers worked out by hand, on a small space over calendar week 12 of
2027 (Monday 22 March to Sunday 28 March: Good Friday, a closure, and the spring-forward night
before Sunday), the eight weeks before it, and the autumn night that lasts an hour longer.

The space (Bavaria) has three hot desks, open Monday to Friday 08:00–18:00 and Sunday
10:00–14:00; beside them a meeting room and a deactivated desk, which do not count. Open desk
time in week 12: Monday, Tuesday and Thursday 3 × 10 h, Sunday 3 × 4 h, Wednesday closed
(closure), Friday closed (Good Friday), Saturday no hours: 102 desk hours.
"""
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event

from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins import occupancy
from coworking.checkins.occupancy_picture import level, picture
from coworking.extensions import db
from coworking.spaces.hours import local_midnight
from coworking.spaces.models import Closure, Resource
from tests.factories import resources_of

HOURS = {**{d: [(time(8), time(18))] for d in range(5)}, 6: [(time(10), time(14))]}
NIGHT = {d: [(time(0), time(6))] for d in range(7)}
WEEK_12 = date(2027, 3, 22)
C, IN, DONE = BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED


def at(iso):
    return datetime.fromisoformat(iso).astimezone(UTC)


def add_booking(member, resource, start, end, status=C, completed_at=None):
    """A booking as it stands after its story: written directly, whatever the clock says."""
    booking = Booking(user_id=member.id, resource_id=resource.id, start_at=at(start),
                      end_at=at(end), status=status, holds_desk=resource.is_desk, source="web",
                      created_at=at("2027-01-01T00:00:00+01:00"),
                      completed_at=at(completed_at) if completed_at else None,
                      checked_out_at=at(completed_at) if completed_at else None)
    db.session.add(booking)
    db.session.flush()
    return booking


@pytest.fixture
def week_12(make_space, make_user, frozen):
    space = make_space(hours=HOURS, desks=3, rooms=1, state="BY")
    desk1, desk2, desk3 = resources_of(space)
    (room,) = resources_of(space, "meeting_room")
    retired = Resource(space_id=space.id, kind="hot_desk", name="Retired", active=False)
    db.session.add(retired)
    db.session.add_all([
        Closure(space_id=space.id, start_date=date(2027, 3, 24), end_date=date(2027, 3, 24),
                reason="Wasserschaden"),
        Closure(space_id=space.id, start_date=date(2027, 3, 8), end_date=date(2027, 3, 14),
                reason="Umbau"),
    ])
    db.session.commit()
    ana, ben, cem, dora = (make_user(covered=False) for _ in range(4))
    # Monday 22: desk 1 09–12; desk 2 booked 09–17 but checked out at 13:00; desk 3 a no-show;
    # a cancelled booking, the room and the deactivated desk count for nothing.
    add_booking(ana, desk1, "2027-03-22T09:00:00+01:00", "2027-03-22T12:00:00+01:00")
    add_booking(ben, desk2, "2027-03-22T09:00:00+01:00", "2027-03-22T17:00:00+01:00", DONE,
                completed_at="2027-03-22T13:00:00+01:00")
    add_booking(cem, desk3, "2027-03-22T10:00:00+01:00", "2027-03-22T11:00:00+01:00",
                BookingStatus.NO_SHOW)
    add_booking(ana, desk1, "2027-03-22T13:00:00+01:00", "2027-03-22T14:00:00+01:00",
                BookingStatus.CANCELLED)
    add_booking(dora, room, "2027-03-22T09:00:00+01:00", "2027-03-22T12:00:00+01:00")
    add_booking(dora, retired, "2027-03-22T13:00:00+01:00", "2027-03-22T18:00:00+01:00")
    # Tuesday 23: desk 1 all day, checked in; desk 3 12:30–13:30; desk 2 held for payment.
    add_booking(ana, desk1, "2027-03-23T08:00:00+01:00", "2027-03-23T18:00:00+01:00", IN)
    add_booking(cem, desk3, "2027-03-23T12:30:00+01:00", "2027-03-23T13:30:00+01:00")
    add_booking(ben, desk2, "2027-03-23T14:30:00+01:00", "2027-03-23T16:00:00+01:00",
                BookingStatus.PENDING_PAYMENT)
    # Wednesday 24: booked before the closure was decided; the space is closed all the same.
    add_booking(ana, desk1, "2027-03-24T09:00:00+01:00", "2027-03-24T10:00:00+01:00")
    # Thursday 25: every desk all day; desk 1 checked out late, which adds nothing.
    add_booking(ana, desk1, "2027-03-25T08:00:00+01:00", "2027-03-25T18:00:00+01:00", DONE,
                completed_at="2027-03-25T18:30:00+01:00")
    add_booking(ben, desk2, "2027-03-25T08:00:00+01:00", "2027-03-25T18:00:00+01:00")
    add_booking(cem, desk3, "2027-03-25T08:00:00+01:00", "2027-03-25T18:00:00+01:00")
    # Sunday 28, summer time since 02:00: desk 1 10:00–12:00 local, 08:00–10:00 UTC.
    add_booking(ana, desk1, "2027-03-28T10:00:00+02:00", "2027-03-28T12:00:00+02:00")
    # The weeks before: week 11 one desk on Monday, week 10 closed, week 9 two desks on Tuesday.
    add_booking(ana, desk1, "2027-03-15T08:00:00+01:00", "2027-03-15T18:00:00+01:00", DONE,
                completed_at="2027-03-15T18:00:00+01:00")
    add_booking(ana, desk1, "2027-03-02T08:00:00+01:00", "2027-03-02T18:00:00+01:00")
    add_booking(ben, desk2, "2027-03-02T08:00:00+01:00", "2027-03-02T18:00:00+01:00")
    db.session.commit()
    return space


def hours_of(period):
    return (period.booked_hours, period.open_hours)


def test_a_week_of_desk_time_by_day(week_12):
    edges = [local_midnight(week_12, date(2027, 3, day)) for day in range(22, 30)]
    days = occupancy.desk_time(week_12, edges)
    assert [hours_of(day) for day in days] == [
        (7, 30),    # Monday: desk 1 three hours, desk 2 four until its check-out
        (11, 30),   # Tuesday: desk 1 ten hours, desk 3 one
        (0, 0),     # Wednesday: closed
        (30, 30),   # Thursday: full
        (0, 0),     # Friday: Good Friday
        (0, 0),     # Saturday: no hours
        (2, 12),    # Sunday: four hours a desk
    ]
    assert days[1].rate == pytest.approx(11 / 30)
    assert days[2].rate is None
    week = occupancy.total(days)
    assert hours_of(week) == (50, 102)
    assert week.rate == pytest.approx(50 / 102)


def test_the_heatmap_puts_each_hour_where_the_clock_on_the_wall_shows_it(week_12):
    heat = picture(week_12, date(2027, 3, 24)).heatmap
    assert heat.monday == WEEK_12
    assert heat.hours == list(range(8, 18))  # the union of the weekday and Sunday hours
    rate = {(cell.day.day, cell.hour): cell.rate for _hour, _y, cells in heat.rows
            for cell in cells}
    assert rate[22, 8] == 0
    assert rate[22, 9] == rate[22, 10] == rate[22, 11] == pytest.approx(2 / 3)
    assert rate[22, 12] == pytest.approx(1 / 3)  # desk 2 until its check-out at 13:00
    assert rate[22, 13] == 0
    assert rate[23, 8] == rate[23, 17] == pytest.approx(1 / 3)
    assert rate[23, 12] == rate[23, 13] == pytest.approx(1.5 / 3)
    assert all(rate[day, hour] is None for day in (24, 26, 27) for hour in heat.hours)
    assert all(rate[25, hour] == 1 for hour in heat.hours)
    # Sunday after the clocks went forward: 10:00 local is 08:00 UTC, still the 10 o'clock cell.
    assert rate[28, 9] is None
    assert rate[28, 10] == rate[28, 11] == pytest.approx(1 / 3)
    assert rate[28, 12] == rate[28, 13] == 0
    assert hours_of(heat.total) == (50, 102)
    reasons = {d.day.day: d.closed_reason for d in heat.days}
    assert reasons == {22: None, 23: None, 24: "Wasserschaden", 25: None, 26: "Karfreitag",
                       27: "regular", 28: None}


def test_the_trend_shows_the_eight_weeks_before_and_breaks_at_a_closed_week(week_12):
    trend = picture(week_12, WEEK_12).trend
    assert [point.week for point in trend.points] == [4, 5, 6, 7, 8, 9, 10, 11]
    assert [point.monday for point in trend.points][-1] == date(2027, 3, 15)
    weekly_open = 5 * 30 + 12
    assert [hours_of(point.period) for point in trend.points] == [
        (0, weekly_open)] * 5 + [(20, weekly_open), (0, 0), (10, weekly_open)]
    assert trend.points[5].rate == pytest.approx(20 / 162)
    assert trend.points[6].rate is None and trend.points[6].y is None
    assert len(trend.segments) == 2  # weeks 4–9, then week 11 alone
    assert trend.segments[1] == f"{trend.points[7].x},{trend.points[7].y}"


def test_the_picture_reads_its_data_in_a_few_queries_however_much_there_is(week_12):
    picture(week_12, WEEK_12)  # the space's hours and town are loaded now
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        picture(week_12, WEEK_12)
        picture(week_12, WEEK_12, weeks=52)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # Desks, closures and bookings of the whole range, and the week's closures for its days.
    assert len(statements) == 2 * 4


@pytest.fixture
def night_desk(make_space, make_user, frozen):
    """One desk open 00:00–06:00 every night, so the DST hour lies inside opening hours."""
    space = make_space(hours=NIGHT, desks=1, rooms=0, public_holidays_closed=False)
    return space, resources_of(space)[0], make_user(covered=False)


def test_the_spring_forward_night_has_no_two_o_clock_hour(night_desk):
    space, desk, member = night_desk
    add_booking(member, desk, "2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")
    db.session.commit()
    hours = occupancy.desk_time(space, occupancy.hour_edges(space, date(2027, 3, 28)))
    assert [hours_of(hour) for hour in hours[:7]] == [
        (0, 1), (0.5, 1), (0, 0), (0.5, 1), (0, 1), (0, 1), (0, 0)]
    assert hours[2].rate is None
    assert hours_of(occupancy.total(hours)) == (1, 5)


def test_the_fall_back_night_has_a_two_o_clock_hour_of_two_hours(night_desk):
    space, desk, member = night_desk
    add_booking(member, desk, "2027-10-31T01:30:00+02:00", "2027-10-31T03:30:00+01:00")
    db.session.commit()
    hours = occupancy.desk_time(space, occupancy.hour_edges(space, date(2027, 10, 31)))
    assert [hours_of(hour) for hour in hours[:7]] == [
        (0, 1), (0.5, 1), (2, 2), (0.5, 1), (0, 1), (0, 1), (0, 0)]
    assert hours_of(occupancy.total(hours)) == (3, 7)


def test_a_space_without_desks_or_periods_has_no_rate(make_space, frozen):
    space = make_space(desks=0, rooms=1)
    (day,) = occupancy.desk_time(space, [local_midnight(space, WEEK_12),
                                         local_midnight(space, date(2027, 3, 23))])
    assert hours_of(day) == (0, 0) and day.rate is None
    assert occupancy.desk_time(space, []) == []


@pytest.mark.parametrize("rate,expected", [
    (None, "closed"), (0, "l0"), (0.01, "l1"), (0.25, "l1"), (0.26, "l2"), (0.5, "l2"),
    (0.75, "l3"), (0.76, "l4"), (1, "l4")])
def test_each_rate_has_its_shade(rate, expected):
    assert level(rate) == expected
