"""Booking and cancelling: the one place where every booking rule is applied."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from flask_babel import lazy_gettext as _l

from coworking import clock
from coworking.bookings.models import (
    ACTIVE_STATUSES, CANCELLED, CHECKED_IN, CONFIRMED, MEMBER_DESK_OVERLAP, RESOURCE_OVERLAP,
    Booking,
)
from coworking.bookings.rules import check_booking_window, check_resource_bookable
from coworking.database import begin_write, is_constraint_violation
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.spaces.models import Resource, Space
from coworking.spaces.service import closures_between

TAKEN_MESSAGE = _l("This slot has just been booked by someone else. Please choose another one.")
ONE_DESK_MESSAGE = _l("You already have a desk booked at that time; one person holds one desk at a time.")


def _overlapping(query, start, end):
    return query.where(
        Booking.status.in_(ACTIVE_STATUSES), Booking.start_at < end, Booking.end_at > start
    )


def book(user, resource_id, start, end, source="web"):
    """Book `resource_id` for `user` over [start, end); returns the confirmed booking.

    Rules are checked for clear messages first; the database's overlap guards then decide
    any race, and a lost race is a Conflict, never a double booking.
    """
    if not isinstance(resource_id, int) or not 0 < resource_id < 2**31:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    begin_write()
    resource = db.session.scalar(
        select(Resource).where(Resource.id == resource_id)
        .options(joinedload(Resource.space).selectinload(Space.opening_hours))
    )
    if resource is None:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    space = resource.space
    now = clock.utcnow()
    local_day = start.astimezone(space.zone).date()
    check_resource_bookable(resource)
    check_booking_window(space, start, end, now, closures_between(space, local_day, local_day))

    if db.session.scalar(_overlapping(select(Booking.id).where(Booking.resource_id == resource.id),
                                      start, end).limit(1)):
        raise Conflict(_l("%(name)s is already booked at that time.", name=resource.name),
                       field="start")
    if resource.is_desk and db.session.scalar(
        _overlapping(select(Booking.id).where(Booking.user_id == user.id,
                                              Booking.holds_desk.is_(True)), start, end).limit(1)
    ):
        raise Conflict(ONE_DESK_MESSAGE, field="start")

    booking = Booking(user_id=user.id, resource=resource, start_at=start, end_at=end,
                      status=CONFIRMED, confirmed_at=now, holds_desk=resource.is_desk,
                      source=source, created_at=now)
    db.session.add(booking)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if is_constraint_violation(error, MEMBER_DESK_OVERLAP):
            raise Conflict(ONE_DESK_MESSAGE, field="start") from None
        if is_constraint_violation(error, RESOURCE_OVERLAP):
            raise Conflict(TAKEN_MESSAGE, field="start") from None
        raise
    return booking


def visible_booking(user, booking_id):
    """The booking if `user` may see it; otherwise NotFound, so ids of others leak nothing."""
    if not 0 < booking_id < 2**31:
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    booking = db.session.scalar(
        select(Booking).where(Booking.id == booking_id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
    )
    if booking is None or not booking.can_be_seen_by(user):
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    return booking


def cancel(user, booking_id):
    """Cancel a booking that has not yet ended; cancelling twice changes nothing."""
    begin_write()
    booking = visible_booking(user, booking_id)
    if booking.status == CANCELLED:
        db.session.rollback()
        return booking
    now = clock.utcnow()
    if booking.status == CHECKED_IN:
        raise Conflict(_l("You are checked in for this booking; please check out instead."))
    if booking.status not in ACTIVE_STATUSES or booking.end_at <= now:
        raise Conflict(_l("This booking is over and can no longer be cancelled."))
    booking.cancel(now)
    db.session.commit()
    return booking


def bookings_of(user):
    return db.session.scalars(
        select(Booking).where(Booking.user_id == user.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def bookings_in_space(user, space):
    """All bookings of a space, for its hosts and for admins."""
    if not user.can_manage_space(space.id):
        raise Forbidden(_l("Only the hosts of %(name)s see its bookings.", name=space.name),
                        field="space")
    return db.session.scalars(
        select(Booking).join(Booking.resource).where(Resource.space_id == space.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()
