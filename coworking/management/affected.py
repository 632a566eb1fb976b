"""The bookings a change of a space cuts into, and what the host is asked about them."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coworking.bookings.models import CONFIRMED, PENDING_PAYMENT, Booking
from coworking.clock import lenient_local_to_utc
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.management.access import ConfirmationNeeded
from coworking.spaces.models import Resource

REASON_MAX = 300


def upcoming(space, now, resource_id=None, lock=False):
    """Bookings of `space` (or of one resource) not yet over that hold their resource and
    nobody has checked in for: what a change may still cancel or move. Checked-in members
    are on site; the host settles those in person."""
    query = (
        select(Booking).join(Booking.resource)
        .where(Resource.space_id == space.id, Booking.status.in_((PENDING_PAYMENT, CONFIRMED)),
               Booking.occupies(now, space.no_show_grace_minutes), Booking.end_at > now)
        .options(joinedload(Booking.user), joinedload(Booking.resource))
        .order_by(Booking.start_at, Booking.id)
    )
    if resource_id is not None:
        query = query.where(Booking.resource_id == resource_id)
    if lock:
        query = query.with_for_update(of=Booking)
    return db.session.scalars(query).unique().all()


def outside_hours(bookings, space, hours):
    """Those of `bookings` that no interval of `hours` ({weekday: [(opens, closes)]}, local
    wall-clock) holds whole on their local day."""
    zone = space.zone

    def fits(booking):
        day = booking.start_at.astimezone(zone).date()
        return any(lenient_local_to_utc(datetime.combine(day, opens), zone) <= booking.start_at
                   and booking.end_at <= lenient_local_to_utc(datetime.combine(day, closes), zone)
                   for opens, closes in hours.get(day.weekday(), ()))

    return [booking for booking in bookings if not fits(booking)]


def on_days(bookings, space, first, last):
    """Those of `bookings` that begin on a local date from `first` to `last`."""
    zone = space.zone
    return [b for b in bookings if first <= b.start_at.astimezone(zone).date() <= last]


def require_confirmation(affected, confirmed, plan=None):
    """Go on only if the host saw every booking the change affects, now."""
    if {booking.id for booking in affected} - set(confirmed or ()):
        raise ConfirmationNeeded(affected, plan)


def checked_reason(reason):
    """The host's note to the members concerned, said in their e-mail (optional)."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(_l("At most %(n)s characters.", n=REASON_MAX), field="reason")
    return reason
