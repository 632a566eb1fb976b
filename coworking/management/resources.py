"""Desks and rooms of a space: add, rename, retire and bring back. A resource with bookings
to come is retired only once the host has said what happens to them: cancelled, or moved to
another free one of the same kind."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock
from coworking.bookings.models import ACTIVE_STATUSES, OVERLAP_GUARDS, Booking
from coworking.database import is_constraint_violation, use_case
from coworking.errors import Conflict, InvalidInput, NotFound
from coworking.extensions import db
from coworking.management.access import ConfirmationNeeded, space_to_manage
from coworking.management.affected import checked_reason, require_confirmation, upcoming
from coworking.management.hour_changes import resolve
from coworking.spaces.hours import OpenDay
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import local_today

NAME_MAX, AMENITIES_MAX, CAPACITY_MAX = 120, 500, 500
CANCEL, MOVE = "cancel", "move"

MOVED_AT_ONCE = _l("A desk was booked at the same moment. Please look at the bookings again.")


@dataclass
class ResourceDraft:
    """What a host asks a desk or room to be; `kind` counts only when it is added."""

    name: str
    capacity: int | None = 1
    amenities: str = ""
    kind: str | None = None


def _checked(space, draft, resource=None):
    errors = {}
    name = (draft.name or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = [_l("Give it a name of at most %(n)s characters.", n=NAME_MAX)]
    elif db.session.scalar(select(Resource.id).where(
            Resource.space_id == space.id, func.lower(Resource.name) == name.lower(),
            Resource.id != (resource.id if resource else 0)).limit(1)):
        errors["name"] = [_l("%(space)s already has a desk or room called “%(name)s”.",
                             space=space.name, name=name)]
    if draft.capacity is None or not 1 <= draft.capacity <= CAPACITY_MAX:
        errors["capacity"] = [_l("The capacity must lie between 1 and %(max)s people.",
                                 max=CAPACITY_MAX)]
    amenities = (draft.amenities or "").strip()
    if len(amenities) > AMENITIES_MAX:
        errors["amenities"] = [_l("At most %(n)s characters.", n=AMENITIES_MAX)]
    kind = None
    if resource is None:
        try:
            kind = ResourceKind(draft.kind)
        except ValueError:
            errors["kind"] = [_l("Choose whether it is a desk, a meeting room or a phone "
                                 "booth.")]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return kind, {"name": name, "capacity": draft.capacity, "amenities": amenities}


def _resource_of(space, resource_id, lock=False):
    """The resource if it belongs to `space`; another space's is NotFound here."""
    query = (select(Resource).where(Resource.id == resource_id, Resource.space_id == space.id)
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(of=Resource)
    resource = db.session.scalar(query) if 0 < resource_id < 2**31 else None
    if resource is None:
        raise NotFound(_l("%(space)s has no desk or room %(id)s.", space=space.name,
                          id=resource_id))
    return resource


def resource_to_edit(actor, slug, resource_id):
    space = space_to_manage(actor, slug)
    return space, _resource_of(space, resource_id)


@use_case
def add_resource(actor, slug, draft):
    space = space_to_manage(actor, slug, lock=True)
    kind, values = _checked(space, draft)
    # In service from today: the days before keep the capacity they had.
    resource = Resource(space_id=space.id, kind=kind, active=True,
                        in_service_from=local_today(space), **values)
    db.session.add(resource)
    db.session.flush()
    audit.record(actor.id, "resource.created", "resource", resource.id, space_id=space.id,
                 after={"kind": kind.value, **values})
    return resource


@use_case
def update_resource(actor, slug, resource_id, draft):
    """Rename it, or change its capacity and amenities; its kind stays what it is."""
    space = space_to_manage(actor, slug, lock=True)
    resource = _resource_of(space, resource_id, lock=True)
    _kind, values = _checked(space, draft, resource)
    before, after = {}, {}
    for key, value in values.items():
        if getattr(resource, key) != value:
            before[key], after[key] = getattr(resource, key), value
            setattr(resource, key, value)
    if after:
        audit.record(actor.id, "resource.updated", "resource", resource.id, space_id=space.id,
                     before=before, after=after)
    return resource


def move_targets(resource, bookings, lock=False):
    """{booking id: the resource it can move to, or None}: active resources of the same kind
    in the same space, free for the whole booking, taken in order (rooms at least as large
    first). Fixed desks are handed out with a membership, so their bookings do not move."""
    if not bookings or resource.kind == ResourceKind.FIXED_DESK:
        return {booking.id: None for booking in bookings}
    query = (select(Resource).where(Resource.space_id == resource.space_id,
                                    Resource.kind == resource.kind, Resource.active.is_(True),
                                    Resource.id != resource.id)
             .order_by(Resource.capacity < resource.capacity, Resource.name, Resource.id))
    if lock:
        # Bookings of these resources wait meanwhile, as they wait for one another.
        query = query.with_for_update(of=Resource, key_share=True)
    candidates = db.session.scalars(query).all()
    taken = defaultdict(list)
    if candidates:
        first = min(b.start_at for b in bookings)
        last = max(b.end_at for b in bookings)
        for resource_id, start, end in db.session.execute(
                select(Booking.resource_id, Booking.start_at, Booking.end_at).where(
                    Booking.resource_id.in_([c.id for c in candidates]),
                    Booking.status.in_(ACTIVE_STATUSES), Booking.start_at < last,
                    Booking.end_at > first)):
            taken[resource_id].append((start, end))
    targets = {}
    for booking in bookings:
        targets[booking.id] = next(
            (c for c in candidates
             if not any(start < booking.end_at and booking.start_at < end
                        for start, end in taken[c.id])), None)
        if targets[booking.id] is not None:
            taken[targets[booking.id].id].append((booking.start_at, booking.end_at))
    return targets


def deactivation_plan(actor, slug, resource_id):
    """(space, resource, bookings still to come, {booking id: where it could move}): what
    the host is asked about before a resource is retired."""
    space = space_to_manage(actor, slug)
    resource = _resource_of(space, resource_id)
    bookings = upcoming(space, clock.utcnow(), resource.id)
    return space, resource, bookings, move_targets(resource, bookings)


@use_case(race_message=MOVED_AT_ONCE)
def deactivate_resource(actor, slug, resource_id, choice=None, reason="", confirmed=()):
    """Nobody books it from now on. Its bookings still to come are cancelled (`choice`
    "cancel") or moved where another one is free for the whole booking and cancelled where
    none is ("move"), as a change of hours settles the bookings it hits: each member hears
    once for all their bookings, which say what the space did. With bookings to come and
    no choice, or a confirmation that missed some, ConfirmationNeeded lists them and
    nothing changes. Retiring twice changes nothing."""
    reason = checked_reason(reason)
    space = space_to_manage(actor, slug, lock=True)
    resource = _resource_of(space, resource_id, lock=True)
    if not resource.active:
        return resource
    bookings = upcoming(space, clock.utcnow(), resource.id, lock=True)
    targets = move_targets(resource, bookings, lock=choice == MOVE)
    if bookings and choice not in (CANCEL, MOVE):
        raise ConfirmationNeeded(bookings, targets)
    require_confirmation(bookings, confirmed, targets)
    resource.active = False
    # Its last day in service was yesterday: the days before keep counting it.
    if resource.in_service_until is None:
        resource.in_service_until = local_today(space) - timedelta(days=1)
    resolved = []
    if bookings:
        moves = {b.id: None if targets[b.id] is None else (b.start_at, b.end_at, targets[b.id])
                 for b in bookings}
        try:
            # Nothing is left of the day on this resource: what cannot move is cancelled.
            resolved = resolve(actor, space, bookings, choice, {}, reason,
                               lambda day: OpenDay(day), moves=moves, retired=resource)
        except IntegrityError as error:
            if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
                raise Conflict(MOVED_AT_ONCE) from None
            raise
    after = {"active": False}
    if bookings:
        moved = {str(item["booking_id"]): targets[item["booking_id"]].name
                 for item in resolved if item["outcome"] == "moved"}
        cancelled = [item["booking_id"] for item in resolved if item["outcome"] == "cancelled"]
        after |= {"cancelled": cancelled, "moved": moved, "reason": reason}
    audit.record(actor.id, "resource.deactivated", "resource", resource.id, space_id=space.id,
                 before={"active": True, "name": resource.name}, after=after)
    return resource


@use_case
def reactivate_resource(actor, slug, resource_id):
    space = space_to_manage(actor, slug, lock=True)
    resource = _resource_of(space, resource_id, lock=True)
    if not resource.active:
        resource.active = True
        resource.in_service_until = None  # one time in service: the gap is not recorded
        audit.record(actor.id, "resource.reactivated", "resource", resource.id,
                     space_id=space.id, before={"active": False, "name": resource.name},
                     after={"active": True})
    return resource


def resources_of(space):
    """Every resource of the space, active first, then by kind and name."""
    return db.session.scalars(
        select(Resource).where(Resource.space_id == space.id)
        .order_by(Resource.active.desc(), Resource.kind, Resource.name, Resource.id)).all()
