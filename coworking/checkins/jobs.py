"""The check-in jobs of `flask jobs run`: bookings nobody checked in for become no-shows, and
at closing time everyone still checked in is checked out.

Each takes its work in batches with `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's writers
take turns anyway) and decides again on what it locked, so two runners at once, or a runner
and a member checking in at that moment, never both act on one booking.
"""
from collections import defaultdict

from sqlalchemy import and_, distinct, or_, select
from sqlalchemy.orm import joinedload

from coworking import clock
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import VisitMethod
from coworking.checkins.service import check_out_with_visit
from coworking.database import use_case
from coworking.extensions import db
from coworking.spaces.hours import open_day
from coworking.spaces.models import Resource, Space
from coworking.spaces.service import closures_between

BATCH = 200


@use_case
def mark_no_shows(limit=BATCH):
    """Confirmed bookings not checked in by start + their space's grace period become
    no-shows: the rest of their time is free, their credit is not returned. Returns how many."""
    now = clock.utcnow()
    graces = db.session.scalars(select(distinct(Space.no_show_grace_minutes))).all()
    if not graces:
        return 0
    overdue = db.session.scalars(
        select(Booking).join(Resource, Booking.resource_id == Resource.id)
        .join(Space, Resource.space_id == Space.id)
        .where(or_(*(and_(Space.no_show_grace_minutes == grace, Booking.overdue(now, grace))
                     for grace in graces)))
        .order_by(Booking.start_at, Booking.id).limit(limit)
        .with_for_update(of=Booking, skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    for booking in overdue:
        booking.mark_no_show(now)
    return len(overdue)


def closing_time(booking, closures):
    """When the space closes on the day the booking lies in: the end of that day's last
    opening interval, never before the booking's end (hours may have changed since, or a
    closure been added)."""
    space = booking.resource.space
    day = open_day(space, booking.start_at.astimezone(space.zone).date(), closures)
    if not day.intervals:
        return booking.end_at
    return max(booking.end_at, day.intervals[-1][1])


@use_case
def close_day(limit=BATCH):
    """Bookings still checked in when their space closes are checked out, as at closing time,
    and their visits closed (method auto). Returns (checked out, still due later)."""
    now = clock.utcnow()
    # Closing time is never before a booking's end, so only bookings that have ended can be due.
    candidates = db.session.scalars(
        select(Booking).where(Booking.status == BookingStatus.CHECKED_IN, Booking.end_at <= now)
        .options(joinedload(Booking.resource).joinedload(Resource.space)
                 .selectinload(Space.opening_hours))
        .order_by(Booking.end_at, Booking.id).limit(limit)
        .with_for_update(of=Booking, skip_locked=True)
        .execution_options(populate_existing=True)
    ).unique().all()
    spaces, days = {}, defaultdict(set)
    for booking in candidates:
        space = spaces.setdefault(booking.resource.space_id, booking.resource.space)
        days[space.id].add(booking.start_at.astimezone(space.zone).date())
    closures = {space_id: closures_between(spaces[space_id], min(dates), max(dates))
                for space_id, dates in days.items()}
    closed = 0
    for booking in candidates:
        closing = closing_time(booking, closures[booking.resource.space_id])
        if closing <= now:
            check_out_with_visit(booking, closing, VisitMethod.AUTO)
            closed += 1
    return closed, len(candidates) - closed


def mark_no_shows_job():
    total = 0
    while True:
        marked = mark_no_shows()
        total += marked
        if marked < BATCH:
            return {"marked": total}


def close_day_job():
    total = 0
    while True:
        closed, waiting = close_day()
        total += closed
        if closed == 0 or closed + waiting < BATCH:
            return {"checked out": total}
