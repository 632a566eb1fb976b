""""Can I go today?": for every space, whether it is open, and how many hot desks are free
at this moment and for the whole rest of the day; when it is closed, why and when it opens
next. Three queries for any number of spaces (desks, closures, bookings).

Only hot desks count: a fixed desk belongs to one member and nobody else can book it.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select

from coworking import clock
from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.spaces.hours import open_day
from coworking.spaces.models import Closure, Resource, ResourceKind

# How far ahead "opens again on …" looks: past two weeks of closure it says nothing.
LOOKAHEAD_DAYS = 14

OPEN, OPENS_LATER, CLOSED_FOR_TODAY, CLOSED_TODAY = (
    "open", "opens_later", "closed_for_today", "closed_today")


@dataclass
class Today:
    day: date
    state: str                 # OPEN, OPENS_LATER, CLOSED_FOR_TODAY or CLOSED_TODAY
    hours: list                # today's opening intervals, aware UTC; empty when closed all day
    closed_reason: str | None  # why it is closed all day: a closure's reason, a holiday, "regular"
    desks: int                 # active hot desks
    free_now: int | None       # desks free at this moment (only while open)
    free_rest: int | None      # desks free from now, or from opening, until closing
    opens_at: datetime | None  # the next opening today (before opening, or in a break)
    closes_at: datetime | None  # today's last closing
    next_opening: datetime | None  # when it is closed for today: the next opening


def _state(intervals, now):
    if not intervals:
        return CLOSED_TODAY
    if any(opens <= now < closes for opens, closes in intervals):
        return OPEN
    if any(opens > now for opens, _closes in intervals):
        return OPENS_LATER
    return CLOSED_FOR_TODAY


def today_at(spaces, now=None):
    """{space id: Today} for `spaces` (their opening hours and town loaded)."""
    now = now or clock.utcnow()
    if not spaces:
        return {}
    ids = [space.id for space in spaces]
    desks = defaultdict(list)
    for desk_id, space_id in db.session.execute(
            select(Resource.id, Resource.space_id)
            .where(Resource.space_id.in_(ids), Resource.active.is_(True),
                   Resource.kind == ResourceKind.HOT_DESK)):
        desks[space_id].append(desk_id)
    # Every local "today" lies within a day of the UTC date.
    utc_today = now.date()
    last = utc_today + timedelta(days=LOOKAHEAD_DAYS + 1)
    closures = defaultdict(list)
    for closure in db.session.scalars(
            select(Closure).where(Closure.space_id.in_(ids), Closure.start_date <= last,
                                  Closure.end_date >= utc_today - timedelta(days=1))):
        closures[closure.space_id].append(closure)

    days, windows = {}, {}
    for space in spaces:
        day = open_day(space, now.astimezone(space.zone).date(), closures[space.id])
        days[space.id] = day
        if day.intervals and desks[space.id] and now < day.intervals[-1][1]:
            windows[space.id] = (max(now, day.intervals[0][0]), day.intervals[-1][1])

    taken_now, taken_rest = defaultdict(set), defaultdict(set)
    desk_space = {desk: space_id for space_id, ids_ in desks.items() for desk in ids_}
    if windows:
        # One query for all spaces: per space its desks' bookings in its window that hold the
        # desk as the booking rules see it (a lapsed hold or an overdue check-in is free).
        per_space = [and_(Booking.resource_id.in_(desks[space.id]),
                          *Booking.overlapping(*windows[space.id]),
                          Booking.occupies(now, space.no_show_grace_minutes))
                     for space in spaces if space.id in windows]
        for desk_id, start, end in db.session.execute(
                select(Booking.resource_id, Booking.start_at, Booking.end_at)
                .where(or_(*per_space))):
            space_id = desk_space[desk_id]
            taken_rest[space_id].add(desk_id)
            if start <= now < end:
                taken_now[space_id].add(desk_id)

    return {space.id: _today(space, days[space.id], len(desks[space.id]),
                             taken_now[space.id], taken_rest[space.id],
                             space.id in windows, closures[space.id], now)
            for space in spaces}


def _today(space, day, desk_count, taken_now, taken_rest, has_window, closures, now):
    state = _state(day.intervals, now)
    free_now = desk_count - len(taken_now) if state == OPEN else None
    free_rest = (desk_count - len(taken_rest) if has_window
                 else 0 if state in (OPEN, OPENS_LATER) else None)
    opens_at = min((opens for opens, _closes in day.intervals if opens > now), default=None)
    return Today(
        day=day.day, state=state, hours=day.intervals,
        closed_reason=day.closed_reason if state == CLOSED_TODAY else None,
        desks=desk_count, free_now=free_now, free_rest=free_rest,
        opens_at=opens_at if state == OPENS_LATER else None,
        closes_at=day.intervals[-1][1] if day.intervals else None,
        next_opening=(_next_opening(space, day.day, closures, now)
                      if state in (CLOSED_FOR_TODAY, CLOSED_TODAY) else None))


def _next_opening(space, today, closures, now):
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        for opens, _closes in open_day(space, today + timedelta(days=offset), closures).intervals:
            if opens > now:
                return opens
    return None
