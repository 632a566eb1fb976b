"""What the space did to a booking (moved, shortened or cancelled it in a change of hours, a
closure or a desk taken out of service), read back for the member's page, the host's day and
the API. Kept beside the record itself so every package that shows bookings may read it."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking.extensions import db
from coworking.spaces.models import BookingChange

OUTCOME_LABELS = {
    "moved": _l("moved by the space"),
    "shortened": _l("shortened by the space"),
    "cancelled": _l("cancelled by the space"),
}


def latest_changes(booking_ids):
    """{booking id: its latest BookingChange}, in one query."""
    if not booking_ids:
        return {}
    latest = {}
    for change in db.session.scalars(
            select(BookingChange).where(BookingChange.booking_id.in_(list(booking_ids)))
            .order_by(BookingChange.changed_at, BookingChange.id)):
        latest[change.booking_id] = change
    return latest


def change_json(change):
    """The API's `change` of a booking: who changed it, what became of it, and why."""
    if change is None:
        return None
    return {"by": "space", "outcome": change.outcome, "reason": change.reason or None}
