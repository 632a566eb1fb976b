"""An event in a space and its registrations: members with one tap, guests by name and
e-mail confirmed through a link; a full event keeps a waiting list."""
import enum
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db

# How long a member offered a freed place has to take it, as on the desks' waiting list.
OFFER_LIFETIME = timedelta(minutes=30)
VISIBILITIES = ("public", "members")


class RegistrationStatus(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"  # a guest who has not yet followed the link
    CONFIRMED = "confirmed"      # has a place
    WAITLISTED = "waitlisted"    # on the waiting list
    OFFERED = "offered"          # a freed place is held for them until `offer_expires_at`
    LAPSED = "lapsed"            # the offer ran out unanswered
    CANCELLED = "cancelled"      # withdrew, or the event was cancelled

    @property
    def label(self):
        return _LABELS[self]


_LABELS = {
    RegistrationStatus.UNCONFIRMED: _l("waiting for your confirmation"),
    RegistrationStatus.CONFIRMED: _l("registered"),
    RegistrationStatus.WAITLISTED: _l("on the waiting list"),
    RegistrationStatus.OFFERED: _l("a place is offered to you"),
    RegistrationStatus.LAPSED: _l("offer lapsed"),
    RegistrationStatus.CANCELLED: _l("cancelled"),
}

UNCONFIRMED, CONFIRMED, WAITLISTED, OFFERED, LAPSED, CANCELLED = (
    RegistrationStatus.UNCONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED, RegistrationStatus.LAPSED, RegistrationStatus.CANCELLED)
# Still registered in some way: one such registration per member or guest address and event.
OPEN_STATUSES = (UNCONFIRMED, CONFIRMED, WAITLISTED, OFFERED)


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


_OPEN = _in("status", [s.value for s in OPEN_STATUSES])


class SpaceEvent(db.Model):
    __tablename__ = "space_event"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint(_in("visibility", VISIBILITIES), name="visibility"),
        Index("ix_space_event_space_start", "space_id", "start_at"),
        Index("ix_space_event_start", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str | None] = mapped_column(String(200))
    description_en: Mapped[str | None] = mapped_column(Text)
    start_at = mapped_column(UTCDateTime, nullable=False)
    end_at = mapped_column(UTCDateTime, nullable=False)
    capacity: Mapped[int] = mapped_column(Integer)
    visibility: Mapped[str] = mapped_column(String(10))
    # The room booked for it, through the bookings' own overlap guards.
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, nullable=False, default=lambda: clock.utcnow())
    cancelled_at = mapped_column(UTCDateTime, nullable=True)
    # Guests are deleted after the event; what research needs of them stays as counts.
    guests_purged_at = mapped_column(UTCDateTime, nullable=True)
    purged_guests: Mapped[int] = mapped_column(Integer, default=0)
    purged_guests_attended: Mapped[int] = mapped_column(Integer, default=0)

    space = relationship("Space", lazy="joined", innerjoin=True)
    booking = relationship("Booking")

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def resource_id(self):
        return self.booking.resource_id if self.booking is not None else None

    def title_in(self, language):
        return (self.title_en if language == "en" and self.title_en else self.title)

    def description_in(self, language):
        return (self.description_en if language == "en" and self.description_en
                else self.description)


class EventRegistration(db.Model):
    __tablename__ = "event_registration"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in RegistrationStatus]), name="status"),
        # A member or a guest, never both, never neither.
        CheckConstraint("(user_id IS NULL) <> (guest_email IS NULL)", name="member_or_guest"),
        Index("ix_event_registration_event", "event_id", "created_at"),
        Index("ix_event_registration_user", "user_id"),
        # Registering twice is refused by the database too (two taps at once).
        Index("uq_event_registration_member", "event_id", "user_id", unique=True,
              postgresql_where=text(f"user_id IS NOT NULL AND {_OPEN}"),
              sqlite_where=text(f"user_id IS NOT NULL AND {_OPEN}")),
        Index("uq_event_registration_guest", "event_id", "guest_email", unique=True,
              postgresql_where=text(f"guest_email IS NOT NULL AND {_OPEN}"),
              sqlite_where=text(f"guest_email IS NOT NULL AND {_OPEN}")),
        Index("uq_event_registration_token", "token_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("space_event.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"))
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    # A guest's link (confirm, take an offer, cancel), stored hashed.
    token_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[RegistrationStatus] = mapped_column(
        Enum(RegistrationStatus, native_enum=False, length=12, create_constraint=False,
             values_callable=lambda statuses: [s.value for s in statuses],
             validate_strings=True))
    created_at = mapped_column(UTCDateTime, nullable=False)
    confirmed_at = mapped_column(UTCDateTime, nullable=True)
    offered_at = mapped_column(UTCDateTime, nullable=True)
    offer_expires_at = mapped_column(UTCDateTime, nullable=True)
    ended_at = mapped_column(UTCDateTime, nullable=True)
    checked_in_at = mapped_column(UTCDateTime, nullable=True)

    event = relationship("SpaceEvent", lazy="joined", innerjoin=True)
    user = relationship("User")

    @property
    def is_guest(self):
        return self.user_id is None

    @property
    def name(self):
        return self.guest_name if self.is_guest else self.user.name

    @property
    def email(self):
        return self.guest_email if self.is_guest else self.user.email

    def holds_place(self, now):
        """Confirmed, or offered and the offer still open: it takes one of the places."""
        return self.status == CONFIRMED or (self.status == OFFERED
                                            and self.offer_expires_at > now)

    def offer(self, now):
        """Hold a freed place for 30 minutes, never beyond the event's start."""
        self.status, self.offered_at = OFFERED, now
        self.offer_expires_at = min(now + OFFER_LIFETIME, self.event.start_at)

    def end(self, status, now):
        self.status, self.ended_at = status, now
