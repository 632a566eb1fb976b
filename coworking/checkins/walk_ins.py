"""Walk-ins: someone without a booking sits down at a free desk from now. A host books it for
a member or a new guest; a member who scans the code at the door books it themselves. Either
way the booking starts in the slot under way and is checked in in the same unit of work."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock, permissions
from coworking.accounts.service import (
    create_guest,
    guest_problems,
    name_only_guest,
    user_by_email,
)
from coworking.bookings.availability import free_desks
from coworking.bookings.models import Booking, BookingSource
from coworking.bookings.rules import check_walk_in_window, walk_in_slot
from coworking.bookings.service import book_first_free
from coworking.checkins.models import VisitMethod
from coworking.checkins.service import check_code, check_in_with_visit
from coworking.database import use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from coworking.extensions import db
from coworking.formatting import local_time
from coworking.spaces.models import Resource
from coworking.spaces.service import closures_between

SOURCE = BookingSource.WALK_IN
# Desks tried one after the other when the first free one is taken at the same moment.
DESKS_TRIED = 3


def walk_in_times(space, now):
    """(start, closes) for a walk-in arriving now; RuleViolation when the space is closed."""
    today = now.astimezone(space.zone).date()
    return walk_in_slot(space, now, closures_between(space, today, today))


def _check_end(space, start, end, now):
    today = now.astimezone(space.zone).date()
    check_walk_in_window(space, start, end, now, closures_between(space, today, today))


def _desk_held(user, start, end):
    """The person's active desk booking overlapping [start, end), anywhere, or None: one
    person holds one desk at a time."""
    return db.session.scalars(
        select(Booking).where(Booking.user_id == user.id, Booking.holds_desk.is_(True),
                              *Booking.overlapping(start, end))
        .order_by(Booking.start_at).limit(1)).first()


def _desks_to_try(space, start, end, now, resource_id):
    if resource_id is None:
        desks = [desk.id for desk in free_desks(space, start, end, now)]
        if not desks:
            raise Conflict(_l("No desk at %(space)s is free from now until %(end)s.",
                              space=space.name, end=local_time(end, space.zone)))
        return desks[:DESKS_TRIED]
    resource = db.session.get(Resource, resource_id) if 0 < resource_id < 2**31 else None
    if resource is None or resource.space_id != space.id:
        raise InvalidInput(_l("%(space)s has no resource with this id.", space=space.name),
                           field="resource_id")
    return [resource.id]


def _person(email, name):
    """(user, is new): the member with this e-mail address, a new guest account, or without
    an address a guest known only by name, for whom no account is made."""
    if not (email or "").strip():
        return name_only_guest(name), True
    errors = guest_problems(email, name or "-")
    if "email" in errors:
        raise InvalidInput(_l("Please check the highlighted fields."),
                           errors={"email": errors["email"]})
    user = user_by_email(email)
    if user is not None:
        return user, False
    return create_guest(email, name), True


@use_case
def walk_in(host, space, email, end, name=None, resource_id=None):
    """A host books a free desk from now until `end` for the member with this e-mail address
    (or a new guest account by name and e-mail, or without an e-mail a guest known only by
    name, who gets no account) and checks them in. Their cover pays for it;
    without cover a day pass is due on site. Returns the booking."""
    if not permissions.can_run_space_day(host, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s take walk-ins there.", name=space.name))
    now = clock.utcnow()
    start, _closes = walk_in_times(space, now)
    _check_end(space, start, end, now)
    user, is_new = _person(email, name)
    held = _desk_held(user, start, end)
    if held is not None:
        zone = held.resource.space.zone
        raise Conflict(_l("%(name)s has %(desk)s booked from %(start)s to %(end)s; please "
                          "check them in on that booking.", name=user.name,
                          desk=held.resource.name, start=local_time(held.start_at, zone),
                          end=local_time(held.end_at, zone)), field="email")
    desks = _desks_to_try(space, start, end, now, resource_id)
    try:
        booking = book_first_free(user, desks, start, end, source=SOURCE, pay="day_pass",
                                  online=False, walk_in=True)
    except InvalidInput as error:
        if error.field != "pay":
            raise
        raise RuleViolation(_l("No plan of %(name)s covers %(space)s, and no day pass is on "
                               "offer there to pay on site.", name=user.name, space=space.name),
                            field="email") from None
    check_in_with_visit(booking, now, VisitMethod.HOST, by=host)
    audit.record(host.id, "booking.walk_in", "booking", booking.id, space_id=space.id,
                 after={"status": booking.status.value, "user_id": user.id,
                        "resource_id": booking.resource_id, "new_guest": is_new,
                        "start": booking.start_at.isoformat(), "end": booking.end_at.isoformat()})
    return booking


@use_case
def walk_up(user, space, code, end, pay=None):
    """A member at the door without a booking takes a free desk from now until `end` with
    today's code: under their cover, or (`pay="day_pass"`) paying a day pass on site; without
    either PaymentRequired lists what would cover it. Returns the booking, checked in."""
    now = clock.utcnow()
    check_code(user, space, code, now)
    start, _closes = walk_in_times(space, now)
    _check_end(space, start, end, now)
    held = _desk_held(user, start, end)
    if held is not None:
        zone = held.resource.space.zone
        raise Conflict(_l("You already have %(desk)s booked from %(start)s to %(end)s; one "
                          "person holds one desk at a time.", desk=held.resource.name,
                          start=local_time(held.start_at, zone),
                          end=local_time(held.end_at, zone)), field="end")
    booking = book_first_free(user, _desks_to_try(space, start, end, now, None), start, end,
                              source=SOURCE, pay=pay, online=False, walk_in=True)
    check_in_with_visit(booking, now, VisitMethod.SELF)
    return booking
