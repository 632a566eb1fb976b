"""Limits per member against hoarding and abuse: what a space allows one member to hold ahead,
and how many bookings anyone may make in a short time. Checked by the booking service."""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.errors import RateLimited, RuleViolation
from coworking.extensions import db, limiter
from coworking.spaces.models import ROOM_KINDS, Resource


class LimitReached(RuleViolation):
    code = "limit-reached"


class TooManyBookings(RateLimited):
    code = "too-many-bookings"

    def __init__(self, retry_after, limit):
        super().__init__(retry_after)
        item = parse(limit)
        self.message = _l("You can make at most %(count)s bookings within %(minutes)s minutes. "
                          "Please wait %(seconds)s seconds and try again.",
                          count=item.amount, minutes=item.get_expiry() // 60,
                          seconds=retry_after)


def _upcoming(user, space, now):
    """The member's active bookings in `space` that are not over yet."""
    return (select(Booking).join(Booking.resource)
            .where(Booking.user_id == user.id, Resource.space_id == space.id,
                   Booking.status.in_(ACTIVE_STATUSES), Booking.end_at > now))


def lock_member(user):
    """Two bookings of one member at once on PostgreSQL count one after the other, so neither
    slips past a limit the other fills (SQLite writers are one at a time anyway)."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def check_room_bookings(user, resource, now):
    limit = resource.space.max_room_bookings
    if limit is None or not resource.is_room:
        return
    lock_member(user)
    held = db.session.scalar(
        _upcoming(user, resource.space, now).where(Resource.kind.in_(ROOM_KINDS))
        .with_only_columns(func.count(Booking.id)))
    if held >= limit:
        raise LimitReached(_l(
            "You already have %(count)s upcoming bookings of meeting rooms and phone booths at "
            "%(space)s, as many as it allows per member. Cancel one to book another.",
            count=held, space=resource.space.name))


def check_desk_days(user, resource, start, now):
    """A day that already has a desk booking of the member's costs nothing more."""
    space = resource.space
    limit = space.max_desk_days
    if limit is None or not resource.is_desk:
        return
    lock_member(user)
    starts = db.session.scalars(
        _upcoming(user, space, now).where(Booking.holds_desk.is_(True))
        .with_only_columns(Booking.start_at))
    days = {instant.astimezone(space.zone).date() for instant in starts}
    if start.astimezone(space.zone).date() not in days and len(days) >= limit:
        raise LimitReached(_l(
            "You already have desks booked on %(count)s days ahead at %(space)s, as many as it "
            "allows per member. To book another day, cancel one of them first.",
            count=len(days), space=space.name))


# Inside `counted_once()`: the request was counted already (a series is one request).
_counted = ContextVar("booking_counted", default=False)


@contextmanager
def counted_once():
    """The bookings made inside were counted as one request before: a series of sixteen
    dates asked for in one go is not sixteen requests."""
    token = _counted.set(True)
    try:
        yield
    finally:
        _counted.reset(token)


def count_booking(user):
    """Count a booking request that passed every rule; refuse one too many in the window."""
    if _counted.get():
        return
    limit = current_app.config["RATELIMIT_BOOKINGS_PER_MEMBER"]
    try:
        limiter.hit(limit, "bookings-member", str(user.id))
    except RateLimited as error:
        raise TooManyBookings(error.retry_after, limit) from None


def check_member_limits(user, resource, start, now):
    """Every limit a member's new booking must stay within, each with its own message."""
    check_room_bookings(user, resource, now)
    check_desk_days(user, resource, start, now)
    count_booking(user)
