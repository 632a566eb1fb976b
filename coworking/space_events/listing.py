"""What the pages, the API and the feeds show of events: the upcoming ones someone may see,
with how many have a place, in two queries for any number of events."""
from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from coworking import clock, permissions
from coworking.extensions import db
from coworking.space_events.models import CONFIRMED, EventRegistration, SpaceEvent
from coworking.spaces.models import Space

# A feed shows events from this long ago on, as the booking feeds do.
FEED_WINDOW = timedelta(days=30)


def visible_events(user, space=None, first=None, last=None, include_cancelled=False):
    """Events ending after `first` (now unless told) and starting before `last`, soonest
    first: public ones for anyone, members-only ones too for anyone signed in."""
    first = first or clock.utcnow()
    query = (select(SpaceEvent).where(SpaceEvent.end_at > first)
             .options(joinedload(SpaceEvent.space).joinedload(Space.town))
             .order_by(SpaceEvent.start_at, SpaceEvent.id))
    if last is not None:
        query = query.where(SpaceEvent.start_at < last)
    if space is not None:
        query = query.where(SpaceEvent.space_id == space.id)
    if not include_cancelled:
        query = query.where(SpaceEvent.cancelled_at.is_(None))
    if not permissions.is_signed_in(user):
        query = query.where(SpaceEvent.visibility == "public")
    return db.session.scalars(query).all()


def registered_counts(event_ids):
    """event id -> how many have a place (confirmed registrations)."""
    if not event_ids:
        return {}
    return dict(db.session.execute(
        select(EventRegistration.event_id, func.count())
        .where(EventRegistration.event_id.in_(event_ids), EventRegistration.status == CONFIRMED)
        .group_by(EventRegistration.event_id)).all())


def event_registrations(event_id):
    """Everyone registered for an event in any way, in the order they came (for its hosts)."""
    return db.session.scalars(
        select(EventRegistration).where(EventRegistration.event_id == event_id)
        .options(selectinload(EventRegistration.user))
        .order_by(EventRegistration.created_at, EventRegistration.id)).all()


def events_on(space, start, end):
    """The space's events (not cancelled) overlapping [start, end): the host's day."""
    return db.session.scalars(
        select(SpaceEvent).where(SpaceEvent.space_id == space.id,
                                 SpaceEvent.cancelled_at.is_(None),
                                 SpaceEvent.start_at < end, SpaceEvent.end_at > start)
        .order_by(SpaceEvent.start_at, SpaceEvent.id)).all()


def member_events(user_id, since):
    """The events a member has a place at, and those called off while they had one (shown
    as cancelled), for their feed: one statement."""
    had_place = EventRegistration.status == CONFIRMED
    called_off = and_(SpaceEvent.cancelled_at.is_not(None),
                      EventRegistration.confirmed_at.is_not(None),
                      EventRegistration.ended_at == SpaceEvent.cancelled_at)
    return db.session.scalars(
        select(SpaceEvent).join(EventRegistration, EventRegistration.event_id == SpaceEvent.id)
        .where(EventRegistration.user_id == user_id, or_(had_place, called_off),
               SpaceEvent.end_at > since)
        .options(joinedload(SpaceEvent.space))
        .order_by(SpaceEvent.start_at, SpaceEvent.id)).all()
