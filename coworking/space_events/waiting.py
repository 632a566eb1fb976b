"""The event's waiting list, served as the desks' is: a freed place is held for the first in
line for 30 minutes (never beyond the start); an offer not taken lapses and the next one is
asked. Run when a place is freed, when places are added, and every minute by the job, which
also purges guests after their event (only their counts stay)."""
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from coworking import clock, events
from coworking.accounts.models import hash_token
from coworking.database import use_case
from coworking.extensions import db
from coworking.space_events.events import PlaceOffered
from coworking.space_events.models import (
    CONFIRMED,
    LAPSED,
    OFFERED,
    WAITLISTED,
    EventRegistration,
    SpaceEvent,
)

BATCH = 100
# Guests are kept this long after their event's end: the host may still check someone in.
GUESTS_KEPT = timedelta(days=1)


def offer_freed(event):
    """Offer the places free now to those waiting, in the order they registered. The caller
    holds the event's row locked, so two passes never offer one place twice. Returns how
    many were offered."""
    from coworking.space_events.registrations import places_taken

    now = clock.utcnow()
    if event.is_cancelled or event.start_at <= now:
        return 0
    free = event.capacity - places_taken(event, now)
    if free <= 0:
        return 0
    waiting = db.session.scalars(
        select(EventRegistration)
        .where(EventRegistration.event_id == event.id, EventRegistration.status == WAITLISTED)
        .order_by(EventRegistration.created_at, EventRegistration.id).limit(free)
        .execution_options(populate_existing=True)).all()
    for registration in waiting:
        registration.offer(now)
        secret = None
        if registration.is_guest:
            secret = secrets.token_urlsafe(32)
            registration.token_hash = hash_token(secret)
        events.record(PlaceOffered(registration, secret))
    return len(waiting)


@use_case
def _move_on(event_id):
    """Lapse the event's offers that ran out, then offer what is free: one event's turn."""
    now = clock.utcnow()
    event = db.session.scalar(select(SpaceEvent).where(SpaceEvent.id == event_id)
                              .with_for_update(of=SpaceEvent, skip_locked=True))
    if event is None:
        return 0, 0
    lapsed = db.session.scalars(
        select(EventRegistration)
        .where(EventRegistration.event_id == event_id, EventRegistration.status == OFFERED,
               EventRegistration.offer_expires_at <= now)
        .execution_options(populate_existing=True)).all()
    for registration in lapsed:
        registration.end(LAPSED, now)
    db.session.flush()
    return len(lapsed), offer_freed(event)


@use_case
def _purge(event_id):
    """Delete the event's guests, keeping how many came and how many were checked in."""
    event = db.session.scalar(select(SpaceEvent).where(SpaceEvent.id == event_id)
                              .with_for_update(of=SpaceEvent, skip_locked=True))
    if event is None or event.guests_purged_at is not None:
        return 0
    guests = (EventRegistration.event_id == event_id, EventRegistration.user_id.is_(None))
    confirmed, attended = db.session.execute(
        select(func.count().filter(EventRegistration.status == CONFIRMED),
               func.count().filter(EventRegistration.checked_in_at.is_not(None)))
        .where(*guests)).one()
    removed = db.session.execute(delete(EventRegistration).where(*guests)).rowcount
    event.purged_guests += confirmed
    event.purged_guests_attended += attended
    event.guests_purged_at = clock.utcnow()
    return removed


def space_events_job():
    """Every minute: offers that ran out move on to the next in line, and guests of events
    over for a day are deleted."""
    now = clock.utcnow()
    with_offers = db.session.scalars(
        select(EventRegistration.event_id).distinct()
        .where(EventRegistration.status.in_((OFFERED, WAITLISTED)))
        .join(SpaceEvent, SpaceEvent.id == EventRegistration.event_id)
        .where(SpaceEvent.start_at > now, SpaceEvent.cancelled_at.is_(None))
        .limit(BATCH)).all()
    lapsed = offered = 0
    for event_id in with_offers:
        done = _move_on(event_id)
        lapsed, offered = lapsed + done[0], offered + done[1]
    over = db.session.scalars(
        select(SpaceEvent.id).where(SpaceEvent.end_at <= now - GUESTS_KEPT,
                                    SpaceEvent.guests_purged_at.is_(None))
        .order_by(SpaceEvent.end_at).limit(BATCH)).all()
    purged = sum(_purge(event_id) for event_id in over)
    return {"lapsed": lapsed, "offered": offered, "guests_purged": purged}
