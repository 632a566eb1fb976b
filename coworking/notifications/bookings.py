"""E-mails about a member's bookings: each confirmation and cancellation with the booking's
calendar file, a note when a payment hold ran out, a desk was released as a no-show or the
space moved a booking.

A confirmation is written when the worker sends it (`mail.later`), so a booking's own unit of
work stores only its address, subject and the booking's row as it commits. The mail shows
that row: what was confirmed, with the calendar file of that moment, as it did when it was
written in the unit; a change made between the commit and the send (a cancellation, a move)
has its own mail, queued after it and sent after it, whose calendar file has the higher
SEQUENCE. What is still to be paid on site, the place and the member's name are read when
it is sent: a day pass collected meanwhile is not asked for again. A booking whose member or
resource is gone by then gets no confirmation.
"""
from datetime import datetime

from flask_babel import gettext as _, ngettext
from sqlalchemy.orm.attributes import set_committed_value

from coworking import clock, formatting, links, push
from coworking.accounts.models import User
from coworking.bookings.models import Booking, BookingSource, BookingStatus
from coworking.bookings.on_site import due_on_site
from coworking.bookings.series import SOURCE as SERIES_SOURCE
from coworking.calendars.ics import booking_ics, bookings_ics
from coworking.content_language import marked, shown_text
from coworking.database import UTCDateTime
from coworking.extensions import db
from coworking.notifications import mail
from coworking.spaces.models import Resource


def booking_name(booking):
    """"Platz 3 in Mölln": the resource and its town, as subjects and texts name a booking."""
    return formatting.place_name(booking.resource)


def when(booking):
    zone = booking.resource.space.zone
    return _("%(date)s, %(start)s–%(end)s",
             date=formatting.long_date(booking.start_at.astimezone(zone).date()),
             start=formatting.local_time(booking.start_at, zone),
             end=formatting.local_time(booking.end_at, zone))


def _cancel_until(booking):
    deadline = booking.cancel_deadline()
    if deadline is None or deadline <= clock.utcnow():
        return None
    zone = booking.resource.space.zone
    return _("%(date)s, %(time)s", date=formatting.medium_date(deadline.astimezone(zone).date()),
             time=formatting.local_time(deadline, zone))


def calendar_file(booking):
    """The booking as an attachment: calendar programs add, update or remove the event."""
    return (f"booking-{booking.id}.ics", "text/calendar; method=PUBLISH",
            booking_ics(booking).decode())


def _booking_context(booking):
    """What every booking mail's templates read about `booking`."""
    return dict(
        booking=booking, space=booking.resource.space,
        booking_name=lambda: booking_name(booking), when=lambda: when(booking),
        cancel_until=lambda: _cancel_until(booking),
        bookings_url=links.external_url("bookings.mine", _anchor=f"booking-{booking.id}"),
        account_url=links.external_url("accounts.account"))


def send_booking_mail(booking, template, subject, calendar=True, **context):
    """One e-mail about `booking` to its member, rendered in their language, with the
    booking's calendar file unless `calendar` is false."""
    mail.to_user(
        booking.user, template, lambda: subject(booking),
        attachments=(lambda: [calendar_file(booking)]) if calendar else (),
        **_booking_context(booking), **context)


CONFIRMED = "booking_confirmed"


def confirmed(event):
    """Queued with the booking, written when sent (`write_confirmation`)."""
    booking = event.booking
    if booking.source == SERIES_SOURCE:
        return  # the series' one message lists every date
    mail.later(booking.user, CONFIRMED,
               lambda: _("Booking confirmed: %(booking)s, %(when)s",
                         booking=booking_name(booking), when=when(booking)),
               booking=_row_of(booking))


def write_confirmation(booking):
    """The confirmation of the booking row `booking` (as `_row_of` stored it), for the
    worker that sends it; None when its member or resource is gone."""
    booking = _restored(booking)
    if booking is None:
        return None
    return mail.Written(booking.user, CONFIRMED,
                        dict(_booking_context(booking), due=due_on_site(booking)),
                        attachments=lambda: [calendar_file(booking)])


_COLUMNS = [column.key for column in Booking.__table__.columns]
_INSTANTS = {column.key for column in Booking.__table__.columns
             if isinstance(column.type, UTCDateTime)}


def _row_of(booking):
    """The booking's columns as plain JSON values: instants in ISO 8601."""
    return {key: value.isoformat() if isinstance(value, datetime) else value
            for key in _COLUMNS if (value := getattr(booking, key)) is not None}


def _restored(row):
    """A booking as `row` shows it, outside the session (nothing about it is written), with
    its member and resource as they are now; None when either is gone."""
    user = db.session.get(User, row["user_id"])
    resource = db.session.get(Resource, row["resource_id"])
    if user is None or resource is None:
        return None
    booking = Booking()
    for key in _COLUMNS:
        value = row.get(key)
        if value is not None and key in _INSTANTS:
            value = datetime.fromisoformat(value)
        set_committed_value(booking, key, value)
    set_committed_value(booking, "status", BookingStatus(row["status"]))
    set_committed_value(booking, "source", BookingSource(row["source"]))
    set_committed_value(booking, "user", user)
    set_committed_value(booking, "resource", resource)
    return booking


def cancelled(event):
    if getattr(event, "summarised", False):
        return  # the space's change tells the member in one message
    send_booking_mail(event.booking, "booking_cancelled",
                      lambda b: _("Booking cancelled: %(booking)s, %(when)s",
                                  booking=booking_name(b), when=when(b)),
                      reason=event.reason)
    if event.reason:
        _push_change(event.booking, lambda b: _("Cancelled by the space: %(booking)s",
                                                booking=booking_name(b)))


def _push_change(booking, title):
    """What the space did to a booking reaches the member's phone too; the e-mail says more."""
    push.notify(booking.user, lambda: title(booking), lambda: when(booking),
                links.external_url("bookings.mine", _anchor=f"booking-{booking.id}"),
                tag=f"booking-{booking.id}")


def moved(event):
    if getattr(event, "summarised", False):
        return
    send_booking_mail(event.booking, "booking_moved",
                      lambda b: _("Your booking moved to %(resource)s: %(when)s",
                                  resource=b.resource.name, when=when(b)),
                      from_resource=event.from_resource, reason=event.reason)
    _push_change(event.booking, lambda b: _("Moved by the space to %(resource)s",
                                            resource=b.resource.name))


def expired(event):
    send_booking_mail(event.booking, "booking_expired",
                      lambda b: _("Not paid in time: %(booking)s, %(when)s",
                                  booking=booking_name(b), when=when(b)))


def no_show(event):
    send_booking_mail(event.booking, "booking_no_show",
                      lambda b: _("Released as not come: %(booking)s, %(when)s",
                                  booking=booking_name(b), when=when(b)))


def space_changed(event):
    """One e-mail per member and change of a space, naming each of their bookings it hit
    and what became of it, with each booking's calendar file."""
    items = [(booking, outcome, booking_name(booking)) for booking, outcome in event.items]
    mail.to_user(
        event.user, "space_change",
        lambda: _("Change at %(space)s: what happens to your bookings", space=event.space.name),
        attachments=lambda: [calendar_file(booking) for booking, _outcome in event.items],
        space=event.space, reason=_reason(event), retired=event.retired,
        items=[(booking, outcome, name, lambda b=booking: when(b)) for booking, outcome, name
               in items],
        bookings_url=links.external_url("bookings.mine"))
    push.notify(event.user,
                lambda: _("Change at %(space)s: what happens to your bookings",
                          space=event.space.name),
                lambda: "\n".join(f"{when(booking)}: {_outcome(outcome)}"
                                   for booking, outcome in event.items),
                links.external_url("bookings.mine"), tag=f"space-change-{event.space.id}")


def _reason(event):
    """Why, as the member reads it: a closure's reason in English where one is written, else
    the German one marked as such (computed in the member's language, see mail.render)."""
    if getattr(event, "reason_en", None) is None:
        return event.reason
    return lambda: marked(shown_text(event.reason, event.reason_en))


def _outcome(outcome):
    return {"moved": _("moved by the space"), "shortened": _("shortened by the space")}.get(
        outcome, _("cancelled by the space"))


def series_booked(event):
    """One message for all dates of a series, with one calendar file holding them all."""
    bookings = sorted(event.bookings, key=lambda b: b.start_at)
    first = bookings[0]
    space = first.resource.space
    mail.to_user(
        first.user, "series_booked",
        lambda: ngettext("Series booked: %(num)s date in %(space)s",
                         "Series booked: %(num)s dates in %(space)s", len(bookings),
                         space=space.name),
        attachments=lambda: [(f"series-{event.series.id}.ics", "text/calendar; method=PUBLISH",
                              bookings_ics(bookings).decode())],
        space=space, dates=lambda: [(booking_name(b), when(b)) for b in bookings],
        due=due_on_site(first),
        bookings_url=links.external_url("bookings.mine", _anchor=f"series-{event.series.id}"),
        account_url=links.external_url("accounts.account"))
