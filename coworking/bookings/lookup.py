"""Finding one booking for a use case: as its reader may see it, or locked for a change a
payment makes. Below the service and the day pass, which both start from one."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coworking import permissions
from coworking.bookings.models import Booking
from coworking.errors import NotFound
from coworking.extensions import db
from coworking.spaces.models import Resource


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


def locked_booking(booking_id):
    """The booking as it stands now, its row locked (PostgreSQL); None when there is none."""
    return db.session.scalars(
        select(Booking).where(Booking.id == booking_id).with_for_update(of=Booking)
        .execution_options(populate_existing=True)).first()
