"""The day as stretches per resource and the week as the truth per day, computed from the
availability the pages show."""
from datetime import date, datetime, time

import pytest

from coworking.bookings import service
from coworking.bookings.availability import availability
from coworking.browse.timeline import day_timeline, week_days
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.factories import resources_of


def at(day, hm, offset="+01:00"):
    return datetime.fromisoformat(f"{day}T{hm}:00{offset}")


def shown(stretches, zone):
    """[(start, end, state, css)] in local wall-clock time."""
    return [(s.start.astimezone(zone).strftime("%H:%M"), s.end.astimezone(zone).strftime("%H:%M"),
             s.state, s.css) for s in stretches]


def test_stretches_are_free_taken_own_and_over(make_space, make_user, frozen):
    space = make_space(desks=2, rooms=0)
    desk, other_desk = resources_of(space)
    member, someone = make_user(), make_user()
    service.book(someone, desk.id, at("2027-03-02", "12:00"), at("2027-03-02", "13:00"))
    own = service.book(member, desk.id, at("2027-03-02", "14:00"), at("2027-03-02", "15:00"))
    service.book(someone, other_desk.id, at("2027-03-02", "08:00"), at("2027-03-02", "09:00"))
    frozen.set("2027-03-02T10:15:00+01:00")

    (day,) = availability(space, date(2027, 3, 2), 1)
    timeline = day_timeline(space, day, [own])

    (first, first_row), (second, second_row) = timeline.rows
    assert (first, second) == (desk, other_desk)
    assert shown(first_row, space.zone) == [
        ("08:00", "10:30", "past", "at-0 w-50"),  # 10:00-10:30 has begun
        ("10:30", "12:00", "free", "at-50 w-30"),
        ("12:00", "13:00", "taken", "at-80 w-20"),
        ("13:00", "14:00", "free", "at-100 w-20"),
        ("14:00", "15:00", "mine", "at-120 w-20"),
        ("15:00", "18:00", "free", "at-140 w-60"),
    ]
    assert first_row[4].booking is own and first_row[4].at == 60 and first_row[4].width == 10
    # Someone else's booking this morning is over, not taken.
    assert shown(second_row, space.zone) == [("08:00", "10:30", "past", "at-0 w-50"),
                                             ("10:30", "18:00", "free", "at-50 w-150")]
    assert [t.instant.astimezone(space.zone).hour for t in timeline.ticks] == list(range(8, 18))
    assert [t.css for t in timeline.ticks][:3] == ["at-0", "at-20", "at-40"]


def test_signed_out_every_booking_is_taken_and_the_notice_period_is_over(make_space, make_user,
                                                                         frozen):
    space = make_space(desks=1, rooms=0, min_notice_minutes=60)
    (desk,) = resources_of(space)
    mine = service.book(make_user(), desk.id, at("2027-03-01", "12:00"), at("2027-03-01", "13:00"))
    frozen.set("2027-03-01T08:00:00+01:00")
    (day,) = availability(space, date(2027, 3, 1), 1)
    (row,) = day_timeline(space, day).rows
    assert shown(row[1], space.zone)[:3] == [("08:00", "09:00", "past", "at-0 w-20"),
                                              ("09:00", "12:00", "free", "at-20 w-60"),
                                              ("12:00", "13:00", "taken", "at-80 w-20")]
    assert all(s.booking is None for s in row[1]) and mine.status == "confirmed"


def test_a_lunch_break_is_closed_and_a_closure_leaves_no_timeline(make_space, frozen):
    space = make_space(desks=1, rooms=0,
                       hours={d: [(time(8), time(12)), (time(13), time(17))] for d in range(7)})
    db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 3),
                           end_date=date(2027, 3, 3), reason="Renovierung"))
    db.session.commit()
    (day,) = availability(space, date(2027, 3, 2), 1)
    ((_desk, row),) = day_timeline(space, day).rows
    assert shown(row, space.zone) == [("08:00", "12:00", "free", "at-0 w-89"),
                                      ("12:00", "13:00", "closed", "at-89 w-22"),
                                      ("13:00", "17:00", "free", "at-111 w-89")]
    (closed,) = availability(space, date(2027, 3, 3), 1)
    timeline = day_timeline(space, closed)
    assert (timeline.opens, timeline.rows, timeline.ticks) == (None, [], [])
    assert closed.closed_reason == "Renovierung"


def test_the_day_the_clocks_go_forward_is_an_hour_shorter(make_space, make_user, frozen):
    """2027-03-28 in Berlin: 02:00 does not happen. Open 01:00-05:00 is three real hours, and
    the axis shows 01, 03, 04 where they fall."""
    space = make_space(desks=1, rooms=0, public_holidays_closed=False,
                       hours={6: [(time(1), time(5))]})  # Sundays only
    (desk,) = resources_of(space)
    service.book(make_user(), desk.id, at("2027-03-28", "03:00", "+02:00"),
                 at("2027-03-28", "04:00", "+02:00"))
    (day,) = availability(space, date(2027, 3, 28), 1)
    timeline = day_timeline(space, day)
    assert timeline.closes - timeline.opens == datetime.fromisoformat("2027-03-28T05:00+02:00") \
        - datetime.fromisoformat("2027-03-28T01:00+01:00")
    ((_desk, row),) = timeline.rows
    assert shown(row, space.zone) == [("01:00", "03:00", "free", "at-0 w-67"),
                                      ("03:00", "04:00", "taken", "at-67 w-66"),
                                      ("04:00", "05:00", "free", "at-133 w-67")]
    assert row[1].at == pytest.approx(100 / 3) and row[1].width == pytest.approx(100 / 3)
    assert [(t.instant.astimezone(space.zone).strftime("%H"), t.css) for t in timeline.ticks] == [
        ("01", "at-0"), ("03", "at-67"), ("04", "at-133")]


def test_the_week_says_over_closed_not_yet_and_the_free_time(make_space, make_user, frozen):
    space = make_space(desks=2, rooms=0, horizon_days=3)
    desk, other_desk = resources_of(space)
    db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 5),
                           end_date=date(2027, 3, 5), reason="Renovierung"))
    db.session.commit()
    service.book(make_user(), desk.id, at("2027-03-04", "08:00"), at("2027-03-04", "18:00"))
    service.book(make_user(), other_desk.id, at("2027-03-04", "08:00"), at("2027-03-04", "12:30"))
    frozen.set("2027-03-03T19:00:00+01:00")  # Wednesday evening, after closing

    days = availability(space, date(2027, 3, 1), 7)
    week = week_days(space, days, date(2027, 3, 3))

    assert [(d.day.day, d.state, d.closed_reason) for d in week] == [
        (1, "past", None), (2, "past", None), (3, "over", None), (4, "open", None),
        (5, "closed", "Renovierung"), (6, "open", None), (7, "later", None)]
    thursday = week[3]
    assert [(r.name, minutes) for r, minutes in thursday.resources] == [("Desk 1", 0),
                                                                        ("Desk 2", 330)]
    assert thursday.resources_free == 1 and thursday.free_from is None
    # Neither desk is free for all of Thursday; the fullest hour has none free.
    assert thursday.free_all_day == 0
    assert thursday.fullest == (at("2027-03-04", "08:00"), at("2027-03-04", "09:00"), 0)


def test_a_week_day_full_from_ten_to_two_is_not_called_free(make_space, make_user, frozen):
    space = make_space(desks=3, rooms=0)
    for desk in resources_of(space):
        service.book(make_user(), desk.id, at("2027-03-02", "10:00"), at("2027-03-02", "14:00"))
    service.book(make_user(), resources_of(space)[0].id, at("2027-03-02", "15:00"),
                 at("2027-03-02", "16:00"))
    (tuesday,) = week_days(space, availability(space, date(2027, 3, 2), 1), date(2027, 3, 1))
    assert tuesday.resources_free == 3  # each has some free time...
    assert tuesday.free_all_day == 0    # ...but none is free all day
    assert tuesday.fullest == (at("2027-03-02", "10:00"), at("2027-03-02", "11:00"), 0)
    (wednesday,) = week_days(space, availability(space, date(2027, 3, 3), 1), date(2027, 3, 1))
    assert wednesday.free_all_day == 3 and wednesday.fullest is None


def test_today_in_the_week_counts_from_now(make_space, frozen):
    space = make_space(desks=1, rooms=0)
    frozen.set("2027-03-01T13:10:00+01:00")
    (today,) = week_days(space, availability(space, date(2027, 3, 1), 1), date(2027, 3, 1))
    assert today.state == "open"
    assert today.free_from == at("2027-03-01", "13:30")
    assert [minutes for _r, minutes in today.resources] == [270]
