"""Changing a booking: its member moves it to another time and/or desk in one step. It keeps
its id and its cover (the membership or day pass that pays for it); the new slot is checked
like a new booking, and the database's overlap guards still decide any race."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import clock, events
from coworking.bookings import events as booking_events
from coworking.bookings.limits import check_member_limits
from coworking.bookings.models import CONFIRMED, OVERLAP_GUARDS, PENDING_PAYMENT
from coworking.bookings.rules import check_booking_window, check_resource_bookable
from coworking.bookings.service import (
    TAKEN_MESSAGE,
    _conflict_for,
    _release_overdue,
    cover_kind,
    visible_booking,
)
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from coworking.extensions import db
from coworking.memberships.models import CoverUse, Membership
from coworking.spaces.service import resource_with_closures
from coworking.waitlist.models import check_not_held


def change_refusal(user, booking, now):
    """Why `user` may not change the booking now, or None: only its member, only a booking
    confirmed (or held for payment) that has not started."""
    if booking.user_id != user.id:
        return _l("Only its member changes a booking.")
    if booking.status not in (CONFIRMED, PENDING_PAYMENT) or booking.start_at <= now:
        return _l("This booking has started or is over; it can no longer be changed.")
    return None


def can_change(user, booking, now):
    return change_refusal(user, booking, now) is None


def _new_slot(booking, start, end):
    """(start, end): what was not sent stays; a new start alone keeps the length."""
    if start is not None and end is None:
        end = start + (booking.end_at - booking.start_at)
    return start or booking.start_at, end or booking.end_at


def _target(booking, resource_id, start):
    resource, closures = resource_with_closures(resource_id, start, lock=True)
    if resource is None:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    old = booking.resource
    if resource.space_id != old.space_id or cover_kind(resource) != cover_kind(old) \
            or resource.kind != old.kind:
        raise RuleViolation(_l("A booking moves only to a %(kind)s of %(space)s; please book "
                               "anything else anew.", kind=old.kind.label, space=old.space.name),
                            field="resource_id")
    return resource, closures


def _check_cover(booking, start):
    """The membership covering the booking must cover the new time too."""
    if booking.membership_id is None:
        return
    membership = db.session.get(Membership, booking.membership_id)
    if not membership.covers_instant(start):
        raise RuleViolation(_l("%(plan)s, which covers this booking, does not cover the new "
                               "time.", plan=membership.plan.name), field="start")


@use_case(race_message=TAKEN_MESSAGE)
def change(user, booking_id, start=None, end=None, resource_id=None):
    """The member moves their booking to [start, end) on `resource_id` (what is None stays).
    Rules are checked as for a new booking; Conflict when the new slot is taken, and then
    the booking is unchanged. Returns the booking."""
    booking = visible_booking(user, booking_id, for_update=True)
    now = clock.utcnow()
    refusal = change_refusal(user, booking, now)
    if refusal is not None:
        raise (Forbidden if booking.user_id != user.id else Conflict)(refusal)
    if start is None and end is None and resource_id is None:
        raise InvalidInput(_l("Send the new start, end or resource_id."), field="start")
    start, end = _new_slot(booking, start, end)
    resource, closures = _target(booking, resource_id or booking.resource_id, start)
    space = resource.space
    if (start, end, resource.id) == (booking.start_at, booking.end_at, booking.resource_id):
        return booking
    check_booking_window(space, start, end, now, closures)
    check_resource_bookable(resource, holds_it=resource.id == booking.resource_id)
    old_day = booking.start_at.astimezone(space.zone).date()
    new_day = start.astimezone(space.zone).date()
    if new_day != old_day:
        check_member_limits(user, resource, start, now)
    _check_cover(booking, start)
    check_not_held(user, resource, start, end, now)
    _release_overdue(resource, start, end, now)
    before = {"start": booking.start_at, "end": booking.end_at,
              "resource_id": booking.resource_id}
    try:
        with savepoint():
            booking.start_at, booking.end_at = start, end
            booking.resource, booking.resource_id = resource, resource.id
            db.session.flush()
    except IntegrityError as error:
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise _conflict_for(user, resource, start, end) from None
        raise
    use = db.session.scalar(select(CoverUse).where(CoverUse.booking_id == booking.id,
                                                   CoverUse.released_at.is_(None)))
    if use is not None:
        use.local_day, use.minutes = new_day, int((end - start).total_seconds() // 60)
    events.record(booking_events.BookingChanged(booking, before))
    return booking
