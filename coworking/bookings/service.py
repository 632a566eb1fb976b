"""Booking and cancelling: the one place where every booking rule is applied."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from flask_babel import lazy_gettext as _l

from coworking import clock, permissions
from coworking.bookings.models import CANCELLED, OVERLAP_GUARDS, Booking
from coworking.bookings.limits import check_member_limits
from coworking.bookings.rules import check_booking_window, check_resource_bookable
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.formatting import local_time
from coworking.spaces.models import Resource
from coworking.spaces.service import resource_with_closures

TAKEN_MESSAGE = _l("This slot has just been booked by someone else. Please choose another one.")


def _overlapping(query, start, end):
    return query.where(*Booking.overlapping(start, end))


def _conflict_for(user, resource, start, end):
    """Say which part is taken, from when to when, once the database's guards have refused a
    booking; a member who holds it already is told so rather than that someone else does."""
    def first(query):
        return db.session.scalar(_overlapping(query, start, end)
                                 .order_by(Booking.start_at).limit(1))

    zone = resource.space.zone
    taken = first(select(Booking).where(Booking.resource_id == resource.id))
    if taken is not None:
        times = {"name": resource.name, "start": local_time(taken.start_at, zone),
                 "end": local_time(taken.end_at, zone)}
        if taken.user_id == user.id:
            return Conflict(_l("You have already booked %(name)s from %(start)s to %(end)s.",
                               **times), field="start")
        return Conflict(_l("%(name)s is already booked from %(start)s to %(end)s.", **times),
                        field="start")
    held = resource.is_desk and first(select(Booking).where(Booking.user_id == user.id,
                                                            Booking.holds_desk.is_(True)))
    if held:
        return Conflict(_l("You already have %(name)s booked from %(start)s to %(end)s; one "
                           "person holds one desk at a time.", name=held.resource.name,
                           start=local_time(held.start_at, held.resource.space.zone),
                           end=local_time(held.end_at, held.resource.space.zone)), field="start")
    return Conflict(TAKEN_MESSAGE, field="start")


@use_case(race_message=TAKEN_MESSAGE)
def book(user, resource_id, start, end, source="web"):
    """Book `resource_id` for `user` over [start, end); returns the confirmed booking.

    Rules are checked for clear messages first; the database's overlap guards then decide
    any race, and a lost race is a Conflict, never a double booking.
    """
    if not isinstance(resource_id, int) or not 0 < resource_id < 2**31:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    # Bookings of one resource take turns on PostgreSQL: racing inserts would otherwise wait
    # on one another inside the overlap guard and deadlock, a second apart each.
    resource, closures = resource_with_closures(resource_id, start, lock=True)
    if resource is None:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    space = resource.space
    now = clock.utcnow()
    check_resource_bookable(resource)
    check_booking_window(space, start, end, now, closures)
    check_member_limits(user, resource, start, now)

    try:
        with savepoint():
            booking = Booking.new(user.id, resource, start, end, source, now)
            db.session.add(booking)
    except IntegrityError as error:
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise _conflict_for(user, resource, start, end) from None
        raise
    return booking


def visible_booking(user, booking_id, for_update=False):
    """The booking if `user` may see it; otherwise NotFound, so ids of others leak nothing.

    `for_update` locks its row (PostgreSQL) so a use case decides on its current state.
    """
    if not 0 < booking_id < 2**31:
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    query = (select(Booking).where(Booking.id == booking_id)
             .options(joinedload(Booking.resource).joinedload(Resource.space))
             .execution_options(populate_existing=True))
    if for_update:
        query = query.with_for_update(of=Booking)
    booking = db.session.scalar(query)
    if booking is None or not permissions.can_see_booking(user, booking):
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    return booking


@use_case
def cancel(user, booking_id):
    """Cancel a booking that has not yet ended; cancelling twice changes nothing."""
    booking = visible_booking(user, booking_id, for_update=True)
    if booking.status == CANCELLED:
        return booking
    now = clock.utcnow()
    refusal = booking.cancel_refusal(user, now)
    if refusal is not None:
        raise Conflict(refusal)
    booking.cancel(now)
    return booking


def bookings_of(user):
    return db.session.scalars(
        select(Booking).where(Booking.user_id == user.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def bookings_in_space(user, space):
    """All bookings of a space, for its hosts and for admins."""
    if not permissions.can_list_space_bookings(user, space):
        raise Forbidden(_l("Only the hosts of %(name)s see its bookings.", name=space.name),
                        field="space")
    return db.session.scalars(
        select(Booking).join(Booking.resource).where(Resource.space_id == space.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def own_bookings_between(user, space, start, end):
    """The member's active bookings in `space` overlapping [start, end): what the grid and the
    confirm page show as theirs."""
    return db.session.scalars(
        _overlapping(select(Booking).where(
            Booking.user_id == user.id,
            Booking.resource_id.in_(select(Resource.id).where(Resource.space_id == space.id))),
            start, end)
        .order_by(Booking.start_at, Booking.id)
    ).all()
