"""The day behind each line of a pass's history: "Arbeitstag 12.1. in Mölln −1" says which
visit a credit went to, so a member can check the card against their own diary."""
from zoneinfo import ZoneInfo

from flask_babel import format_date, get_locale, gettext as _
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.spaces.models import Resource, Space, Town

LABELS = {
    "booking": lambda day, town: _("Desk day %(date)s in %(town)s", date=day, town=town),
    "cancellation": lambda day, town: _("Booking of %(date)s in %(town)s cancelled, credit "
                                        "returned", date=day, town=town),
}


def day_and_month(day):
    """`12.1.` in German, `12 Jan` in English: the day a credit was used for."""
    return format_date(day, "d.M." if str(get_locale()) == "de" else "d MMM")


def credit_labels(entries):
    """{credit entry id: its line in words}, naming the booked day and town where the entry
    belongs to a booking; one query for all of them."""
    ids = {entry.booking_id for entry in entries if entry.booking_id is not None}
    days = {}
    if ids:
        rows = db.session.execute(
            select(Booking.id, Booking.start_at, Space.timezone, Town.name)
            .join(Resource, Resource.id == Booking.resource_id)
            .join(Space, Space.id == Resource.space_id).join(Town, Town.id == Space.town_id)
            .where(Booking.id.in_(ids)))
        days = {booking_id: (start, zone, town) for booking_id, start, zone, town in rows}
    labels = {}
    for entry in entries:
        found = days.get(entry.booking_id)
        label = LABELS.get(entry.reason)
        if found is None or label is None:
            labels[entry.id] = entry.reason_label
            continue
        start, zone, town = found
        labels[entry.id] = label(day_and_month(start.astimezone(ZoneInfo(zone)).date()), town)
    return labels
