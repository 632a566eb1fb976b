"""Free and taken intervals per resource and day, on the space's slot grid."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from coworking import clock
from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.spaces.hours import days_from, open_day
from coworking.spaces.service import active_resources, closures_between

MAX_DAYS = 31


@dataclass
class ResourceDay:
    resource: object
    free: list
    taken: list


@dataclass
class Day:
    day: object
    is_open: bool
    closed_reason: str | None
    intervals: list
    resources: list


def _merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(interval, taken):
    """Parts of `interval` not covered by the sorted, merged `taken` intervals."""
    start, end = interval
    free = []
    for t_start, t_end in taken:
        if t_end <= start or t_start >= end:
            continue
        if t_start > start:
            free.append((start, t_start))
        start = max(start, t_end)
    if start < end:
        free.append((start, end))
    return free


def availability(space, first_day, days, now=None):
    """Availability of `space` for `days` local dates from `first_day`.

    Three queries whatever the number of resources, days and bookings: resources, closures,
    and active bookings in the range (the space and its hours are loaded by the caller).
    """
    now = now or clock.utcnow()
    step = timedelta(minutes=space.slot_minutes)
    dates = days_from(first_day, days)
    resources = active_resources(space)
    closures = closures_between(space, dates[0], dates[-1])
    open_days = [open_day(space, day, closures) for day in dates]
    all_intervals = [iv for od in open_days for iv in od.intervals]
    bookings_by_resource = {resource.id: [] for resource in resources}
    if all_intervals and resources:
        range_start = min(iv[0] for iv in all_intervals)
        range_end = max(iv[1] for iv in all_intervals)
        rows = db.session.execute(
            select(Booking.resource_id, Booking.start_at, Booking.end_at).where(
                Booking.resource_id.in_(list(bookings_by_resource)),
                *Booking.overlapping(range_start, range_end),
            )
        )
        for resource_id, start, end in rows:
            bookings_by_resource[resource_id].append((start, end))

    # Only slots that start after the notice period and within the horizon can be booked.
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    last_day = now.astimezone(space.zone).date() + timedelta(days=space.horizon_days)
    result = []
    for od in open_days:
        per_resource = []
        for resource in resources:
            taken, free = [], []
            for opens, closes in od.intervals:
                clipped = _merge(
                    (max(s, opens), min(e, closes))
                    for s, e in bookings_by_resource[resource.id] if s < closes and e > opens
                )
                if resource.kind == "fixed_desk":
                    clipped = [(opens, closes)]
                taken.extend(clipped)
                bookable_from = opens if earliest <= opens else clock.ceil_to(earliest, opens, step)
                if od.day <= last_day and bookable_from < closes:
                    free.extend(_subtract((bookable_from, closes), clipped))
            per_resource.append(ResourceDay(resource, free, taken))
        result.append(Day(od.day, od.is_open, od.closed_reason, od.intervals, per_resource))
    return result


def free_slots(resource_day, step):
    """Start instants of every free slot: what the grid in the UI offers to book."""
    starts = []
    for start, end in resource_day.free:
        while start + step <= end:
            starts.append(start)
            start += step
    return starts
