"""Free and taken intervals per resource and day, on the space's slot grid."""
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta
from itertools import groupby
from operator import itemgetter

from sqlalchemy import select

from coworking import clock
from coworking.bookings.models import Booking
from coworking.database import naive_utc
from coworking.extensions import db
from coworking.spaces.hours import days_from, open_day, schedule_of
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import active_resources, closures_between
from coworking.waitlist.models import offered_rows, offered_starts

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


def _taken_by_resource(resource_ids, range_start, range_end, now, grace_minutes):
    """{resource id: its active bookings touching the range, merged where they meet, in order}.

    These are thousands of rows, so they are read as Core rows on the session's connection,
    ordered by resource and start, with naive UTC times: the ORM's row handling and a type
    conversion of every value were most of the cost. Each merged interval is marked UTC once.
    """
    booked = (
        select(Booking.resource_id, naive_utc(Booking.start_at).label("taken_from"),
               naive_utc(Booking.end_at).label("taken_to"))
        .where(Booking.resource_id.in_(resource_ids),
               *Booking.overlapping(range_start, range_end),
               # A payment hold that ran out, or a desk overdue for check-in, is free: job or
               # no job.
               Booking.occupies(now, grace_minutes)))
    # A resource held for a member of the waiting list is taken for everyone else.
    held = offered_rows(resource_ids, range_start, range_end, now)
    both = booked.union_all(held)
    rows = db.session.connection().execute(
        both.order_by(both.selected_columns.resource_id, both.selected_columns.taken_from)
    ).all()
    taken = {resource_id: [] for resource_id in resource_ids}
    for resource_id, pairs in groupby(rows, key=itemgetter(0)):
        merged = []
        for _resource_id, start, end in pairs:
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1][1] = end
            else:
                merged.append([start, end])
        taken[resource_id] = [(start.replace(tzinfo=UTC), end.replace(tzinfo=UTC))
                              for start, end in merged]
    return taken


def _clip(taken, ends, opens, closes):
    """The parts of the sorted, merged `taken` intervals (`ends`: their ends) within
    [opens, closes); a binary search finds the first, so no day reads another's bookings."""
    clipped = []
    for index in range(bisect_right(ends, opens), len(taken)):
        start, end = taken[index]
        if start >= closes:
            break
        clipped.append((max(start, opens), min(end, closes)))
    return clipped


def availability(space, first_day, days, now=None):
    """Availability of `space` for `days` local dates from `first_day`.

    Three queries whatever the number of resources, days and bookings: resources, closures,
    and active bookings (with open waiting-list offers) in the range (the space and its hours
    are loaded by the caller).
    """
    now = now or clock.utcnow()
    step = timedelta(minutes=space.slot_minutes)
    dates = days_from(first_day, days)
    resources = active_resources(space)
    closures = closures_between(space, dates[0], dates[-1])
    schedule = schedule_of(space)
    open_days = [open_day(space, day, closures, schedule) for day in dates]
    all_intervals = [iv for od in open_days for iv in od.intervals]
    taken_by_resource = {resource.id: [] for resource in resources}
    if all_intervals and resources:
        taken_by_resource = _taken_by_resource(
            list(taken_by_resource), min(iv[0] for iv in all_intervals),
            max(iv[1] for iv in all_intervals), now, space.no_show_grace_minutes)

    # Only slots that start after the notice period and within the horizon can be booked.
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    last_day = now.astimezone(space.zone).date() + timedelta(days=space.horizon_days)
    # Per day: (opens, closes, the first bookable instant or None), the same for every resource.
    grid = [[(opens, closes,
              (opens if earliest <= opens else clock.ceil_to(earliest, opens, step))
              if od.day <= last_day else None)
             for opens, closes in od.intervals]
            for od in open_days]
    per_day = [[] for _ in open_days]
    for resource in resources:
        # One ordered pass over the resource's bookings; each day finds its first by bisection.
        taken_all = taken_by_resource[resource.id]
        ends = [end for _start, end in taken_all]
        dated = resource.in_service_from is not None or resource.in_service_until is not None
        for od, intervals, per_resource in zip(open_days, grid, per_day):
            taken, free = [], []
            if dated and not resource.in_service_on(od.day):
                intervals = ()  # not in service that day: nothing to book, nothing taken
            for opens, closes, bookable_from in intervals:
                if resource.kind == "fixed_desk":
                    clipped = [(opens, closes)]
                else:
                    clipped = _clip(taken_all, ends, opens, closes)
                taken.extend(clipped)
                if bookable_from is not None and bookable_from < closes:
                    free.extend(_subtract((bookable_from, closes), clipped))
            per_resource.append(ResourceDay(resource, free, taken))
    return [Day(od.day, od.is_open, od.closed_reason, od.intervals, per_resource)
            for od, per_resource in zip(open_days, per_day)]


def free_slots(resource_day, step):
    """Start instants of every free slot: what the grid in the UI offers to book."""
    starts = []
    for start, end in resource_day.free:
        while start + step <= end:
            starts.append(start)
            start += step
    return starts


def desks_free_from(space, start, until, now=None, kind=ResourceKind.HOT_DESK):
    """[(desk, free until)]: the space's active resources of `kind` (hot desks unless told)
    free at `start` as seen at `now` (a lapsed hold or a desk overdue for check-in counts as
    free), each with the instant, at most `until`, its next booking begins; in the order the
    grid shows them. Where a walk-in may sit down, and for how long. Two statements."""
    now = now or clock.utcnow()
    desks = db.session.scalars(
        select(Resource).where(Resource.space_id == space.id, Resource.active.is_(True),
                               Resource.kind == kind)
        .order_by(Resource.name, Resource.id)
    ).all()
    if not desks:
        return []
    starts = defaultdict(list)
    ids = [desk.id for desk in desks]
    booked = (select(Booking.resource_id, Booking.start_at)
              .where(Booking.resource_id.in_(ids), *Booking.overlapping(start, until),
                     Booking.occupies(now, space.no_show_grace_minutes)))
    for resource_id, booked_from in db.session.execute(
            booked.union_all(offered_starts(ids, start, until, now))):
        starts[resource_id].append(booked_from)
    return [(desk, min(starts[desk.id], default=until)) for desk in desks
            if not any(booked_from <= start for booked_from in starts[desk.id])]


def free_desks(space, start, end, now=None, kind=ResourceKind.HOT_DESK):
    """The space's resources of `kind` (hot desks unless told) free over all of [start, end):
    what "any free desk" chooses from, and how many the time-first search reports."""
    return [desk for desk, until in desks_free_from(space, start, end, now, kind)
            if until >= end]


def desks_held_by(user, start, end, now):
    """The member's bookings holding a desk (in any space) during [start, end): one person
    holds one desk at a time, so no other desk can be theirs then."""
    return [b for b in db.session.scalars(
        select(Booking).where(Booking.user_id == user.id, *Booking.overlapping(start, end))
        .order_by(Booking.start_at)) if b.holds_desk and b.holds_at(now)]
