"""The feeds: which feed a secret opens, whether it changed since a calendar app last asked
(ETag and Last-Modified from the change stamp, the day and the language), and its bookings.

A feed shows every booking from 30 days back on; a cancelled one is kept as cancelled until
30 days after it was cancelled. The window moves at local midnight, so the day is part of
every validator.
"""
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import joinedload

from coworking import clock
from coworking.accounts.models import User, UserRole, hash_token
from coworking.bookings.models import CANCELLED, MAX_BOOKING_LENGTH, Booking
from coworking.calendars import ics
from coworking.calendars.models import MEMBER, SPACE, CalendarStamp, CalendarToken
from coworking.extensions import db
from coworking.space_events import listing
from coworking.spaces.models import Resource, Space

WINDOW = timedelta(days=30)
# Raised whenever the feed's output changes for the same data, so no app keeps an old copy.
FORMAT = 1
SECRET_MAX = 100


@dataclass(frozen=True)
class Feed:
    """A feed as its token opens it: whose it is and when its bookings last changed."""

    token_id: int
    user_id: int
    space_id: int | None
    changed: int | None  # the stamp: Unix seconds; None before any booking

    @property
    def scope(self):
        return MEMBER if self.space_id is None else SPACE


def _may_still_host():
    """SQL: the token's user hosts its space or is an admin (permissions.can_manage_space,
    asked in the statement that reads the token)."""
    role = and_(UserRole.user_id == CalendarToken.user_id,
                or_(UserRole.role == "admin",
                    and_(UserRole.role == "host", UserRole.space_id == CalendarToken.space_id)))
    return or_(CalendarToken.space_id.is_(None), exists().where(role))


def find(secret):
    """The feed `secret` opens, or None (unknown, revoked, or a host's who hosts no more).
    One statement: the token, its owner's right to it and its change stamp."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    scope = case((CalendarToken.space_id.is_(None), literal(MEMBER)), else_=literal(SPACE))
    owner = func.coalesce(CalendarToken.space_id, CalendarToken.user_id)
    row = db.session.execute(
        select(CalendarToken.id, CalendarToken.user_id, CalendarToken.space_id,
               CalendarStamp.changed)
        .outerjoin(CalendarStamp, and_(CalendarStamp.scope == scope,
                                       CalendarStamp.owner_id == owner))
        .where(CalendarToken.token_hash == hash_token(secret),
               CalendarToken.revoked_at.is_(None), _may_still_host())
    ).first()
    return Feed(*row) if row is not None else None


def programme_zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def today():
    """The day the feed's window is counted from, in the programme's zone."""
    return clock.utcnow().astimezone(programme_zone()).date()


def _midnight(day):
    return datetime.combine(day, time(), tzinfo=programme_zone()).astimezone(UTC)


def window_start(day):
    return _midnight(day - WINDOW)


def validators(feed, day, lang):
    """(ETag, Last-Modified) of the feed as it reads on `day` in `lang`: they change when a
    booking of it changes, when the window moves (midnight) and with the language."""
    changed = feed.changed or 0
    seed = f"{FORMAT}:{feed.token_id}:{changed}:{day.isoformat()}:{lang}"
    etag = hashlib.sha256(seed.encode()).hexdigest()[:32]
    last_modified = max(datetime.fromtimestamp(changed, UTC), _midnight(day))
    return etag, last_modified


def _shown_since(since):
    """Bookings that end after `since`; cancelled ones only if cancelled after it too. The
    lower bound on the start lets the (…, start_at) indexes serve the search."""
    return (Booking.start_at > since - MAX_BOOKING_LENGTH, Booking.end_at > since,
            or_(Booking.status != CANCELLED, Booking.cancelled_at >= since))


def member_bookings(user_id, since):
    return db.session.scalars(
        select(Booking).where(Booking.user_id == user_id, *_shown_since(since))
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def space_bookings(space_id, since):
    """(booking, member's name) of every booking of the space in the window."""
    return db.session.execute(
        select(Booking, User.name).join(User, User.id == Booking.user_id)
        .where(Booking.resource_id.in_(select(Resource.id).where(Resource.space_id == space_id)),
               *_shown_since(since))
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def build(feed, day):
    """The feed's calendar as it reads on `day`, in the language in force."""
    since = window_start(day)
    if feed.space_id is None:
        return ics.feed_ics(_("My coworking bookings"), current_app.config["BABEL_DEFAULT_TIMEZONE"],
                            member_bookings(feed.user_id, since), since,
                            space_events=listing.member_events(feed.user_id, since))
    space = db.session.get(Space, feed.space_id)
    rows = space_bookings(feed.space_id, since)
    return ics.feed_ics(_("Bookings at %(space)s", space=space.name), space.timezone,
                        [booking for booking, _name in rows], since,
                        member_names={booking.id: name for booking, name in rows})
