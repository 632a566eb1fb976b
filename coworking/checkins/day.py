"""The host's day of a space, read for the day page and the API: the day's bookings with
their members, payments and visits, how many are present, and today's check-in code."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coworking import clock, links, permissions
from coworking.bookings.models import MAX_BOOKING_LENGTH, Booking, BookingStatus
from coworking.checkins import codes
from coworking.checkins.models import Visit
from coworking.checkins.service import local_today
from coworking.errors import Forbidden
from coworking.extensions import db
from coworking.memberships.holdings import payments_shown_for_bookings
from coworking.spaces.hours import OpenDay, local_midnight, open_day
from coworking.spaces.models import DESK_KINDS, Resource
from coworking.spaces.service import closures_between


@dataclass
class HostDay:
    space: object
    day: date
    today: date
    now: datetime
    opening: OpenDay
    desks: int
    present: int
    bookings: list = field(default_factory=list)
    payments: dict = field(default_factory=dict)  # booking id -> its payment to show
    visits: dict = field(default_factory=dict)    # booking id -> its visit

    @property
    def is_today(self):
        return self.day == self.today


def require_host(actor, space):
    if not permissions.can_run_space_day(actor, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s see its day.", name=space.name),
                        field="slug")


def _bookings_of_day(space, first, following):
    """The day's bookings of every resource of the space, except cancelled ones, by time."""
    return db.session.scalars(
        select(Booking).join(Booking.resource)
        .where(Resource.space_id == space.id, Booking.status != BookingStatus.CANCELLED,
               Booking.start_at < following, Booking.start_at > first - MAX_BOOKING_LENGTH,
               Booking.end_at > first)
        .options(joinedload(Booking.user))
        .order_by(Booking.start_at, Resource.name, Booking.id)
    ).all()


def _active_desks(space):
    return db.session.scalar(
        select(func.count(Resource.id)).where(Resource.space_id == space.id,
                                              Resource.active.is_(True),
                                              Resource.kind.in_(DESK_KINDS)))


def _present(space, since):
    """People checked in now: open visits that began today (one left open since an earlier
    day, before the closing job ran, is not counted)."""
    return db.session.scalar(
        select(func.count(Visit.id)).where(Visit.space_id == space.id,
                                           Visit.checked_out_at.is_(None),
                                           Visit.checked_in_at >= since))


def host_day(actor, space, day=None):
    """The day `day` (default today) of `space` for one of its hosts or an admin."""
    require_host(actor, space)
    now = clock.utcnow()
    today = local_today(space, now)
    day = day or today
    first, following = local_midnight(space, day), local_midnight(space, day + timedelta(1))
    bookings = _bookings_of_day(space, first, following)
    ids = [booking.id for booking in bookings]
    visits = {}
    if ids:
        visits = {visit.booking_id: visit for visit in db.session.scalars(
            select(Visit).where(Visit.booking_id.in_(ids)))}
    present = _present(space, local_midnight(space, today)) if day == today else 0
    return HostDay(space=space, day=day, today=today, now=now,
                   opening=open_day(space, day, closures_between(space, day, day)),
                   desks=_active_desks(space), present=present, bookings=bookings,
                   payments=payments_shown_for_bookings(bookings), visits=visits)


def checkin_code(actor, space):
    """(code, url, local date it is valid on) of today's self check-in, for a host to hand on."""
    require_host(actor, space)
    today = local_today(space, clock.utcnow())
    code = codes.daily_code(space, today)
    return code, links.external_url("checkins.self_check_in", slug=space.slug, code=code), today
