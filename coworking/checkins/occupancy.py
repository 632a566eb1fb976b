"""Desk occupancy of a space: booked desk time over open desk time, for any run of periods.

Open desk time is the space's active desks (hot and fixed) times its opening hours, closures
and closed public holidays left out. Booked desk time is the part of that open time taken by
bookings that were kept or still stand: `confirmed` and `checked_in` bookings for their whole
booked interval, `completed` ones up to their check-out when the member left early (the rest
was free for others again). A `no_show` does not count: nobody came, and the desk was freed for
others, whose bookings would be counted twice otherwise; held (`pending_payment`) and
cancelled bookings do not count either. Each day counts the desks in service that day and the
hours that applied that day, so a change of either leaves the past as it was.

Periods are given as UTC edges, so the same computation serves an hour of a heatmap, a week of
a trend line and, later, the research metrics per day or month. Opening hours and closures are
read once, and the bookings of the whole range in one query, however many periods there are.
"""
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select

from coworking.bookings.models import MAX_BOOKING_LENGTH, Booking, BookingStatus
from coworking.clock import lenient_local_to_utc
from coworking.extensions import db
from coworking.spaces.hours import local_midnight, open_day, schedule_of
from coworking.spaces.models import DESK_KINDS, Resource
from coworking.spaces.service import closures_between

COUNTED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)


@dataclass(frozen=True)
class DeskTime:
    """One period [start, end) in UTC: open and booked desk time, in seconds."""

    start: datetime
    end: datetime
    open_seconds: float
    booked_seconds: float

    @property
    def rate(self):
        """Booked over open desk time, 0..1; None when no desk was open at all."""
        return self.booked_seconds / self.open_seconds if self.open_seconds else None

    @property
    def open_hours(self):
        return self.open_seconds / 3600

    @property
    def booked_hours(self):
        return self.booked_seconds / 3600


def hour_edges(space, day: date):
    """The UTC edges of the 24 wall-clock hours of local date `day` (25 edges).

    Across a DST change they stay contiguous: the skipped hour of a spring-forward night is
    empty (its two edges coincide) and the repeated hour of a fall-back night lasts two hours.
    """
    return [lenient_local_to_utc(datetime.combine(day, time(hour)), space.zone)
            for hour in range(24)] + [local_midnight(space, day + timedelta(days=1))]


def week_edges(space, first_monday: date, weeks: int):
    """The UTC edges of `weeks` consecutive local weeks from `first_monday` (weeks + 1 edges)."""
    return [local_midnight(space, first_monday + timedelta(weeks=n)) for n in range(weeks + 1)]


def desks_with_service(space):
    """The space's desks that were in service on some day: active ones, and retired ones
    whose last day is recorded."""
    return db.session.scalars(
        select(Resource).where(Resource.space_id == space.id, Resource.kind.in_(DESK_KINDS),
                               or_(Resource.active.is_(True),
                                   Resource.in_service_until.is_not(None)))
    ).all()


def open_intervals_by_day(space, start, end):
    """[(local date, its opening intervals within [start, end))] in order, from the hours
    that applied each day, closures honoured.

    `space.opening_hours` must be loaded; the closures of the range are read in one query.
    """
    zone = space.zone
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    closures = closures_between(space, first, last)
    schedule = schedule_of(space)
    found = []
    day = first
    while day <= last:
        intervals = []
        for opens, closes in open_day(space, day, closures, schedule).intervals:
            opens, closes = max(opens, start), min(closes, end)
            if opens < closes:
                intervals.append((opens, closes))
        found.append((day, intervals))
        day += timedelta(days=1)
    return found


def open_intervals(space, start, end):
    """The space's opening intervals (UTC, in order) within [start, end), closures honoured."""
    return sorted(iv for _day, intervals in open_intervals_by_day(space, start, end)
                  for iv in intervals)


def booked_intervals(desk_ids, start, end):
    """Per desk, the time taken by counted bookings within [start, end), merged, in one query."""
    if not desk_ids:
        return {}
    rows = db.session.execute(
        select(Booking.resource_id, Booking.start_at, Booking.end_at, Booking.status,
               Booking.completed_at)
        .where(Booking.resource_id.in_(desk_ids), Booking.status.in_(COUNTED_STATUSES),
               Booking.start_at < end, Booking.start_at > start - MAX_BOOKING_LENGTH,
               Booking.end_at > start)
        .order_by(Booking.resource_id, Booking.start_at)
    ).all()
    taken = {}
    for resource_id, b_start, b_end, status, completed_at in rows:
        if status == BookingStatus.COMPLETED and completed_at is not None:
            b_end = max(b_start, min(b_end, completed_at))  # left early: the rest was free
        b_start, b_end = max(b_start, start), min(b_end, end)
        if b_start >= b_end:
            continue
        merged = taken.setdefault(resource_id, [])
        if merged and b_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b_end))
        else:
            merged.append((b_start, b_end))
    return taken


def _intersect(first, second):
    """The overlaps of two sorted lists of disjoint intervals."""
    found, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            found.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def _spread(intervals, edges, totals, weight=1):
    """Add the seconds of each interval (times `weight`) to the periods between `edges` that
    it falls in."""
    for start, end in intervals:
        index = max(bisect_right(edges, start) - 1, 0)
        while start < end and index < len(totals):
            part_end = min(end, edges[index + 1])
            if part_end > start:
                totals[index] += weight * (part_end - start).total_seconds()
                start = part_end
            index += 1


def desk_time(space, edges):
    """[DeskTime] for the consecutive periods between `edges` (ascending instants; two equal
    edges make an empty period). Three queries, whatever the number of periods."""
    edges = [edge.astimezone(UTC) for edge in edges]
    if len(edges) < 2:
        return []
    start, end = edges[0], edges[-1]
    by_day = open_intervals_by_day(space, start, end)
    opening = sorted(iv for _day, intervals in by_day for iv in intervals)
    desks = desks_with_service(space)
    desk_ids = [desk.id for desk in desks]
    open_seconds = [0.0] * (len(edges) - 1)
    for day, intervals in by_day:
        _spread(intervals, edges, open_seconds,
                weight=sum(1 for desk in desks if desk.in_service_on(day)))
    booked_seconds = [0.0] * (len(edges) - 1)
    for intervals in booked_intervals(desk_ids, start, end).values():
        _spread(_intersect(intervals, opening), edges, booked_seconds)
    return [DeskTime(edges[n], edges[n + 1], open_seconds[n], booked_seconds[n])
            for n in range(len(edges) - 1)]


def total(periods):
    """Several periods taken together, e.g. the hours of a day or the days of a week."""
    periods = list(periods)
    return DeskTime(periods[0].start, periods[-1].end,
                    sum(p.open_seconds for p in periods), sum(p.booked_seconds for p in periods))
