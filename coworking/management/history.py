"""A space's recent history from the audit log, told in words: who did what when, and each
value before and after."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coworking import audit
from coworking.accounts.models import User
from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.formatting import local_time, medium_date, money
from coworking.memberships.models import Membership, Payment
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import WEEKDAYS

SENTENCES = {
    "space.created": _l("opened the space"),
    "space.published": _l("published the space"),
    "resource.created": _l("added %(name)s"),
    "resource.updated": _l("changed %(name)s"),
    "resource.deactivated": _l("took %(name)s out of service"),
    "resource.reactivated": _l("put %(name)s back into service"),
    "space.hours_changed": _l("changed the opening hours from %(from)s"),
    "space.rules_changed": _l("changed the booking rules"),
    "space.texts_changed": _l("changed the texts and the contact"),
    "closure.added": _l("closed the space on %(days)s (%(reason)s)"),
    "closure.removed": _l("removed the closure on %(days)s (%(reason)s)"),
    "host.appointed": _l("appointed %(name)s as host"),
    "host.removed": _l("removed %(name)s as host"),
}

# A host's day, told with the member and the local time: "hat Ben um 09:12 eingecheckt".
BOOKING_SENTENCES = {
    "booking.checked_in": _l("checked %(member)s in at %(time)s"),
    "booking.checked_out": _l("checked %(member)s out at %(time)s"),
    "booking.no_show": _l("marked %(member)s's booking %(start)s–%(end)s as not come"),
    "booking.walk_in": _l("checked %(member)s in at %(time)s as a walk-in at %(desk)s, until "
                          "%(end)s"),
    "booking.check_in_undone": _l("undid the check-in of %(member)s (%(start)s–%(end)s)"),
    "booking.check_out_undone": _l("undid the check-out of %(member)s (%(start)s–%(end)s)"),
    "booking.no_show_undone": _l("undid “not come” for %(member)s's booking "
                                 "%(start)s–%(end)s"),
    "payment.paid_on_site": _l("took %(amount)s on site from %(member)s"),
    "payment.paid_on_site_undone": _l("undid the payment of %(amount)s on site from "
                                      "%(member)s"),
}

LABELS = {
    "name": _l("Name"), "kind": _l("Kind"), "capacity": _l("Capacity"),
    "amenities": _l("Amenities"), "active": _l("Bookable"),
    "monday": _l("Monday"), "tuesday": _l("Tuesday"), "wednesday": _l("Wednesday"),
    "thursday": _l("Thursday"), "friday": _l("Friday"), "saturday": _l("Saturday"),
    "sunday": _l("Sunday"),
    "horizon_days": _l("Days bookable ahead"), "min_notice_minutes": _l("Notice (minutes)"),
    "max_booking_minutes": _l("Longest booking (minutes)"),
    "cancel_deadline_minutes": _l("Cancellation deadline (minutes before the start)"),
    "no_show_grace_minutes": _l("Grace period (minutes)"),
    "max_room_bookings": _l("Room bookings per member"),
    "max_desk_days": _l("Desk days ahead per member"),
    "start_date": _l("First day"), "end_date": _l("Last day"), "reason": _l("Reason"),
    "cancelled": _l("Bookings cancelled"), "moved": _l("Bookings moved"),
    "shortened": _l("Bookings shortened"), "rescheduled": _l("Bookings moved to another time"),
    "effective_from": _l("Applies from"), "start_time": _l("From"), "end_time": _l("Until"),
    "email": _l("E-mail address"), "slug": _l("Web address"), "town": _l("Town"),
    "address": _l("Address"), "timezone": _l("Time zone"),
    "slot_minutes": _l("Slot length (minutes)"), "state": _l("State"),
    "population": _l("Population"),
    "description": _l("Short introduction"), "access": _l("How to get in"),
    "contact_name": _l("Contact person"), "contact_email": _l("Contact e-mail address"),
    "contact_phone": _l("Contact phone number"), "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
}


@dataclass
class Happening:
    at: object
    who: str
    what: str
    changes: list  # (label, before, after)


def _value(key, value):
    if key in WEEKDAYS and value is not None:
        return value or _("closed")
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "kind":
        return ResourceKind(value).label
    if key in ("start_date", "end_date", "effective_from"):
        return medium_date(date.fromisoformat(value))
    if key in ("cancelled", "shortened", "rescheduled"):
        return ngettext("%(num)s booking", "%(num)s bookings", len(value))
    if key == "moved":
        return ", ".join(_("%(booking)s to %(resource)s", booking=f"#{booking}", resource=name)
                         for booking, name in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


# What the sentence itself already says, not repeated in the list of changes below it.
IN_THE_SENTENCE = {
    "resource.deactivated": ("name", "active"), "resource.reactivated": ("name", "active"),
    "host.removed": ("name", "active"), "host.appointed": ("name", "active"),
    "space.hours_changed": ("effective_from",),
    "closure.added": ("start_date", "end_date", "start_time", "end_time", "reason"),
    "closure.removed": ("start_date", "end_date", "start_time", "end_time", "reason"),
}


def _closed_days(values):
    """`24.12.2026`, `24.12.2026–26.12.2026` or `24.12.2026, 14:00–18:00`: a closure's time."""
    if "start_date" not in values:
        return "–"
    first, last = (date.fromisoformat(values[key]) for key in ("start_date", "end_date"))
    days = medium_date(first) if first == last else f"{medium_date(first)}–{medium_date(last)}"
    if values.get("start_time"):
        days = f"{days}, {values['start_time']}–{values['end_time']}"
    return days


def _sentence(entry, space, name):
    """The entry's action as words, with the day it takes effect in the space's time."""
    sentence = SENTENCES.get(entry.action)
    if sentence is None:
        return _("made a change")
    values = {**(entry.before or {}), **(entry.after or {})}
    effective = values.get("effective_from")
    return str(sentence) % {
        "name": name, "reason": values.get("reason") or "–", "days": _closed_days(values),
        "from": medium_date(date.fromisoformat(effective) if effective
                            else entry.at.astimezone(space.zone).date())}


def _changes(entry):
    before, after = entry.before or {}, entry.after or {}
    said = IN_THE_SENTENCE.get(entry.action, ())
    keys = [key for key in dict.fromkeys([*before, *after]) if key not in said]
    return [(LABELS.get(key, key), _value(key, before[key]) if key in before else None,
             _value(key, after[key]) if key in after else None)
            for key in keys if before.get(key) != after.get(key)]


def recent(space, limit=30):
    """The newest entries of the space as Happenings, in the reader's language."""
    entries = audit.recent(space.id, limit)
    names = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({e.actor_id for e in entries if e.actor_id is not None}))).all())
    resources = dict(db.session.execute(select(Resource.id, Resource.name).where(
        Resource.id.in_({e.target_id for e in entries if e.target_type == "resource"}))).all())
    bookings, payments = _bookings_and_payments(entries)
    happenings = []
    for entry in entries:
        who = names.get(entry.actor_id) or _("the system or a deleted account")
        if entry.action in BOOKING_SENTENCES:
            what = _day_sentence(entry, space, bookings, payments)
            happenings.append(Happening(entry.at.astimezone(space.zone), who, what, []))
            continue
        name = ((entry.before or {}).get("name") or (entry.after or {}).get("name")
                or resources.get(entry.target_id) or "–")
        what = _sentence(entry, space, name)
        happenings.append(Happening(entry.at.astimezone(space.zone), who, what,
                                    _changes(entry)))
    return happenings


def _bookings_and_payments(entries):
    """({booking id: booking}, {payment id: payment}) the day's entries name, in two queries."""
    payment_ids = {e.target_id for e in entries if e.target_type == "payment"}
    payments = {p.id: p for p in db.session.scalars(
        select(Payment).where(Payment.id.in_(payment_ids))
        .options(joinedload(Payment.membership).joinedload(Membership.user)))} \
        if payment_ids else {}
    booking_ids = {e.target_id for e in entries if e.target_type == "booking"} | {
        p.booking_id for p in payments.values() if p.booking_id is not None}
    bookings = {b.id: b for b in db.session.scalars(
        select(Booking).where(Booking.id.in_(booking_ids))
        .options(joinedload(Booking.user)))} if booking_ids else {}
    return bookings, payments


def _day_sentence(entry, space, bookings, payments):
    """A host's action on a booking or a payment on site as words in the space's time."""
    payment = payments.get(entry.target_id) if entry.target_type == "payment" else None
    booking = bookings.get(payment.booking_id if payment else entry.target_id) \
        if entry.target_type in ("booking", "payment") else None
    member = (booking.user.name if booking is not None else
              payment.membership.user.name if payment is not None and payment.membership
              else _("a member"))
    zone = space.zone
    values = {"member": member, "time": local_time(entry.at, zone), "start": "–", "end": "–",
              "desk": "–", "amount": "–"}
    if booking is not None:
        values.update(start=local_time(booking.start_at, zone),
                      end=local_time(booking.end_at, zone), desk=booking.resource.name)
    if payment is not None:
        values["amount"] = money(payment.amount_cents, payment.currency)
    return str(BOOKING_SENTENCES[entry.action]) % values
