"""Reminders the evening before a booking, for members who have not turned them off.

The `send-reminders` job runs every minute: a confirmed booking's reminder is due at 18:00
local time on the day before it starts. A booking made after that moment got its
confirmation just now and no reminder. Each reminder is written once: a `booking_reminder`
row and the e-mail in one unit, with the booking rows locked (`SKIP LOCKED`), so two workers
never remind twice.
"""
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column

from coworking import clock, links, push
from coworking.accounts.models import User
from coworking.bookings.models import Booking, BookingStatus
from coworking.bookings.on_site import due_on_site
from coworking.database import UTCDateTime, use_case
from coworking.extensions import db
from coworking.notifications.bookings import booking_name, send_booking_mail, when
from coworking.spaces.models import Resource

REMINDER_TIME = time(18, 0)
# Every booking whose reminder can be due now starts within this span (18:00 the evening
# before to 24:00 the next day, with room for a DST night).
LOOKAHEAD = timedelta(hours=32)
BATCH = 200


class BookingReminder(db.Model):
    """A booking's reminder settled, so it is considered once: sent, or not needed because
    the booking was made after it was due (`sent_at` empty)."""

    __tablename__ = "booking_reminder"

    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"),
                                            primary_key=True)
    sent_at = mapped_column(UTCDateTime, nullable=True)


def reminder_due(booking):
    """18:00 in the space's zone on the day before the booking starts."""
    zone = booking.resource.space.zone
    day_before = booking.start_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_TIME, tzinfo=zone)


@use_case
def _remind(limit):
    now = clock.utcnow()
    candidates = db.session.scalars(
        select(Booking)
        .join(User, User.id == Booking.user_id)
        .outerjoin(BookingReminder, BookingReminder.booking_id == Booking.id)
        .where(Booking.status == BookingStatus.CONFIRMED, Booking.start_at > now,
               Booking.start_at <= now + LOOKAHEAD, BookingReminder.booking_id.is_(None),
               User.reminders.is_(True))
        .options(joinedload(Booking.user), joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id).limit(limit)
        .with_for_update(of=Booking, skip_locked=True)
    ).unique().all()
    sent = 0
    for booking in candidates:
        due = reminder_due(booking)
        if due > now:
            continue
        if booking.created_at >= due:
            db.session.add(BookingReminder(booking_id=booking.id, sent_at=None))
            continue
        db.session.add(BookingReminder(booking_id=booking.id, sent_at=now))
        send_booking_mail(booking, "booking_reminder",
                          lambda b: _("Tomorrow: %(booking)s, %(when)s",
                                      booking=booking_name(b), when=when(b)),
                          calendar=False, due=due_on_site(booking))
        push.notify(booking.user,
                    lambda b=booking: _("Tomorrow: %(booking)s", booking=booking_name(b)),
                    lambda b=booking: when(b), links.external_url("bookings.mine"),
                    tag=f"reminder-{booking.id}", expires_at=booking.start_at)
        sent += 1
    return sent


def send_reminders(limit=BATCH):
    return {"reminded": _remind(limit)}
