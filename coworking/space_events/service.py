"""A host's events: create, change and cancel them. The room an event takes is an ordinary
booking, so the database's overlap guards keep it from anyone else's booking of that room."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import clock, events, permissions
from coworking.bookings import events as booking_events
from coworking.bookings.models import OVERLAP_GUARDS, Booking, BookingSource
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.formatting import local_time
from coworking.space_events.events import SpaceEventChanged
from coworking.space_events.models import (
    CANCELLED,
    OPEN_STATUSES,
    VISIBILITIES,
    EventRegistration,
    SpaceEvent,
)
from coworking.space_events.rules import check_capacity, check_event_time
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import closures_between, get_space

EVENT_SOURCE = BookingSource.EVENT
ROOM_TAKEN = _l("The room is already booked then. Choose another time or room, or none.")


def _room_taken(resource, start, end):
    zone = resource.space.zone
    return Conflict(_l("%(room)s is already booked between %(start)s and %(end)s; choose "
                       "another time or room, or none.", room=resource.name,
                       start=local_time(start, zone), end=local_time(end, zone)),
                    field="resource_id")


def event_to_manage(actor, event_id, lock=False):
    """The event if `actor` runs its space: NotFound when there is none, Forbidden for the
    host of another space."""
    event = _load(event_id, lock)
    if event is None:
        raise NotFound(_l("There is no event %(id)s.", id=event_id))
    if not permissions.can_manage_space(actor, event.space_id):
        raise Forbidden(_l("Only the hosts of %(name)s and admins run its events.",
                           name=event.space.name))
    return event


def _load(event_id, lock=False):
    if not isinstance(event_id, int) or not 0 < event_id < 2**31:
        return None
    query = (select(SpaceEvent).where(SpaceEvent.id == event_id)
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(of=SpaceEvent)
    return db.session.scalar(query)


def _space_to_run(actor, slug):
    if not permissions.hosts_any_space(actor):
        raise Forbidden(_l("Only the hosts of a space and admins create its events."))
    space = get_space(slug)
    if not permissions.can_manage_space(actor, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s and admins create its events.",
                           name=space.name))
    return space


def _room(space, resource_id):
    resource = db.session.scalar(
        select(Resource).where(Resource.id == resource_id).with_for_update(of=Resource))
    if resource is None or resource.space_id != space.id:
        raise InvalidInput(_l("%(space)s has no room with this id.", space=space.name),
                           field="resource_id")
    if resource.kind != ResourceKind.MEETING_ROOM or not resource.active:
        raise InvalidInput(_l("%(name)s is not a meeting room that can be booked.",
                              name=resource.name), field="resource_id")
    return resource


def _check_title(title):
    if not (title or "").strip():
        raise InvalidInput(_l("Please give the event a title."), field="title")


def _check_visibility(visibility):
    if visibility not in VISIBILITIES:
        raise InvalidInput(_l("Must be one of: %(choices)s.", choices=", ".join(VISIBILITIES)),
                           field="visibility")


def _check_time(space, start, end, now):
    local = start.astimezone(space.zone).date()
    check_event_time(space, start, end, now, closures_between(space, local, local))


def _book_room(actor, resource, start, end, now):
    """The room's booking, guarded by the database like any other: a lost race is a 409.
    It keeps the room to its end: nobody checks in for a room an event holds."""
    try:
        with savepoint():
            booking = Booking.new(actor.id, resource, start, end, EVENT_SOURCE, now)
            booking.no_show_undone_at = now
            db.session.add(booking)
            db.session.flush()
    except IntegrityError as error:
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise _room_taken(resource, start, end) from None
        raise
    return booking


@use_case(race_message=ROOM_TAKEN)
def create_event(actor, slug, title, description, start, end, capacity, visibility,
                 resource_id=None, title_en=None, description_en=None):
    """A host's new event in their space; with `resource_id` its room is booked for it."""
    space = _space_to_run(actor, slug)
    now = clock.utcnow()
    _check_title(title)
    _check_time(space, start, end, now)
    check_capacity(capacity)
    _check_visibility(visibility)
    event = SpaceEvent(space_id=space.id, space=space, title=title, description=description or "",
                       title_en=title_en or None, description_en=description_en or None,
                       start_at=start, end_at=end, capacity=capacity, visibility=visibility,
                       created_by=actor.id, created_at=now)
    if resource_id is not None:
        event.booking = _book_room(actor, _room(space, resource_id), start, end, now)
    db.session.add(event)
    db.session.flush()
    return event


def open_registrations(event_id):
    return db.session.scalars(
        select(EventRegistration).where(EventRegistration.event_id == event_id,
                                        EventRegistration.status.in_(OPEN_STATUSES))
        .order_by(EventRegistration.created_at, EventRegistration.id)).all()


UNSET = object()


@use_case(race_message=ROOM_TAKEN)
def change_event(actor, event_id, title=None, description=None, start=None, end=None,
                 capacity=None, visibility=None, resource_id=UNSET, title_en=UNSET,
                 description_en=UNSET):
    """Change what was sent. A new time moves the room's booking with it, or Conflict when
    the room is taken then (and nothing changes). Everyone registered is told of a new time
    or room; more places go to the waiting list at once."""
    from coworking.space_events.waiting import offer_freed

    event = event_to_manage(actor, event_id, lock=True)
    now = clock.utcnow()
    if event.is_cancelled:
        raise Conflict(_l("This event is cancelled."))
    if event.end_at <= now:
        raise Conflict(_l("This event is over and can no longer be changed."))
    new_start = start or event.start_at
    new_end = end or (new_start + (event.end_at - event.start_at) if start else event.end_at)
    moved = (new_start, new_end) != (event.start_at, event.end_at)
    if moved:
        _check_time(event.space, new_start, new_end, now)
    if title is not None:
        _check_title(title)
    if capacity is not None:
        check_capacity(capacity)
    if visibility is not None:
        _check_visibility(visibility)
    old_room = event.resource_id
    new_room = old_room if resource_id is UNSET else resource_id
    if new_room != old_room or (moved and new_room is not None):
        _rebook_room(actor, event, new_room, new_start, new_end, now)
    told = moved or new_room != old_room
    event.start_at, event.end_at = new_start, new_end
    for name, value in (("title", title), ("description", description),
                        ("capacity", capacity), ("visibility", visibility)):
        if value is not None:
            setattr(event, name, value)
    for name, value in (("title_en", title_en), ("description_en", description_en)):
        if value is not UNSET:
            setattr(event, name, value or None)
    db.session.flush()
    if told:
        events.record(SpaceEventChanged(event, open_registrations(event.id)))
    offer_freed(event)
    return event


def _rebook_room(actor, event, resource_id, start, end, now):
    """Move the room's booking to the new time or room; the overlap guards decide."""
    booking = event.booking
    if booking is not None and booking.is_active and resource_id == booking.resource_id:
        before = {"start": booking.start_at, "end": booking.end_at,
                  "resource_id": booking.resource_id}
        try:
            with savepoint():
                booking.start_at, booking.end_at = start, end
                db.session.flush()
        except IntegrityError as error:
            if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
                raise _room_taken(booking.resource, start, end) from None
            raise
        events.record(booking_events.BookingChanged(booking, before))
        return
    if booking is not None and booking.is_active:
        booking.cancel(now)
    event.booking = None
    if resource_id is not None:
        event.booking = _book_room(actor, _room(event.space, resource_id), start, end, now)


@use_case
def cancel_event(actor, event_id):
    """Call the event off: its room is free again, every registration ends and everyone
    registered is told. Cancelling twice changes nothing."""
    event = event_to_manage(actor, event_id, lock=True)
    if event.is_cancelled:
        return event
    now = clock.utcnow()
    if event.end_at <= now:
        raise Conflict(_l("This event is over and can no longer be cancelled."))
    event.cancelled_at = now
    if event.booking is not None and event.booking.is_active:
        event.booking.cancel(now)
    registrations = open_registrations(event.id)
    for registration in registrations:
        registration.end(CANCELLED, now)
    events.record(SpaceEventChanged(event, registrations, cancelled=True))
    return event
