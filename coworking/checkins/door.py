"""What the self check-in page offers a member at the door: their booking to check into, the
one they are checked in on, or a free desk from now; read, nothing changed."""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from coworking import clock
from coworking.bookings.availability import desks_free_from
from coworking.bookings.models import Booking, BookingStatus
from coworking.bookings.rules import walk_in_ends
from coworking.checkins import codes
from coworking.checkins.service import EARLY_CHECK_IN, local_today, wrong_code_message
from coworking.checkins.walk_ins import walk_in_times
from coworking.errors import RuleViolation
from coworking.extensions import db
from coworking.spaces.hours import local_midnight
from coworking.spaces.models import Resource

S = BookingStatus


@dataclass
class AtTheDoor:
    space: object
    now: object
    code: str | None = None
    code_error: str | None = None
    checked_in: object = None      # their booking they are checked in on
    to_check_in: object = None     # their booking starting within 30 minutes or running
    later: object = None           # their next booking today, not yet to check in
    released: object = None        # their booking of now marked as not come
    walk_in_start: object = None   # a free desk from this instant...
    walk_in_ends: list = field(default_factory=list)  # ...until one of these
    closed: str | None = None      # why no walk-in is possible now
    # Their bookings here today not checked into yet: shown before the code is given too,
    # so the page kept on a phone without signal still says which desk and when.
    booked_today: list = field(default_factory=list)

    @property
    def code_ok(self):
        return self.code is not None and self.code_error is None

    @property
    def later_check_in_from(self):
        return self.later.start_at - EARLY_CHECK_IN if self.later is not None else None


def _todays_bookings(user, space, now):
    """The member's bookings in `space` from now to the end of the local day, by start."""
    following = local_midnight(space, local_today(space, now) + timedelta(days=1))
    return db.session.scalars(
        select(Booking).join(Booking.resource)
        .where(Booking.user_id == user.id, Resource.space_id == space.id,
               Booking.status.in_((S.CONFIRMED, S.CHECKED_IN, S.NO_SHOW)),
               Booking.end_at > now, Booking.start_at < following)
        .order_by(Booking.start_at, Booking.id)
    ).all()


def at_the_door(user, space, code=None):
    now = clock.utcnow()
    door = AtTheDoor(space=space, now=now, code=code)
    bookings = _todays_bookings(user, space, now)
    door.checked_in = next((b for b in bookings if b.status == S.CHECKED_IN), None)
    # Told at the door rather than "no booking": a host or the job marked it as not come.
    door.released = next((b for b in bookings if b.status == S.NO_SHOW), None)
    door.booked_today = [b for b in bookings if b.status == S.CONFIRMED]
    if code is not None and not codes.matches(space, local_today(space, now), code):
        door.code_error = wrong_code_message(space, local_today(space, now), code)
    if door.checked_in is not None or not door.code_ok:
        return door
    confirmed = [b for b in bookings if b.status == S.CONFIRMED]
    door.to_check_in = next((b for b in confirmed if b.start_at - EARLY_CHECK_IN <= now), None)
    if door.to_check_in is not None:
        return door
    door.later = confirmed[0] if confirmed else None
    try:
        start, closes = walk_in_times(space, now)
    except RuleViolation as error:
        door.closed = error.message
        return door
    free_until = max((until for _desk, until in desks_free_from(space, start, closes, now)),
                     default=None)
    if free_until is None or free_until <= now:
        return door
    door.walk_in_start = start
    door.walk_in_ends = [end for end in walk_in_ends(space, start, closes)
                         if end <= free_until and end > now]
    return door
