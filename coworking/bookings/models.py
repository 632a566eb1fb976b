"""The booking, its states and the transitions between them."""
import enum
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    and_,
    not_,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock, events, permissions
from coworking.bookings import events as booking_events
from coworking.database import UTCDateTime, one_of, plain_enum
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.formatting import local_time
from coworking.spaces.models import MAX_BOOKING_MINUTES


class BookingStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self):
        return _LABELS[self]

    @property
    def is_active(self):
        return self in ACTIVE_STATUSES


_LABELS = {
    BookingStatus.PENDING_PAYMENT: _l("awaiting payment"),
    BookingStatus.CONFIRMED: _l("confirmed"),
    BookingStatus.CHECKED_IN: _l("checked in"),
    BookingStatus.COMPLETED: _l("completed"),
    BookingStatus.CANCELLED: _l("cancelled"),
    BookingStatus.NO_SHOW: _l("no-show"),
}

class BookingSource(enum.StrEnum):
    """Where a booking was made: research tells walk-ins from bookings by it."""

    WEB = "web"
    API = "api"
    SERIES = "series"
    WALK_IN = "walk-in"
    EVENT = "event"  # the room of an event in the space, booked by its host


PENDING_PAYMENT, CONFIRMED, CHECKED_IN = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED,
                                          BookingStatus.CHECKED_IN)
CANCELLED = BookingStatus.CANCELLED
# A booking in one of these states holds its resource; the database refuses overlaps of them.
ACTIVE_STATUSES = (PENDING_PAYMENT, CONFIRMED, CHECKED_IN)

# No booking lasts longer (the schema refuses it), so a booking overlapping [start, end) began
# after start - MAX_BOOKING_LENGTH: every overlap search is bounded below and served by the
# (resource_id, start_at) or (user_id, start_at) index instead of reading the whole history.
MAX_BOOKING_LENGTH = timedelta(minutes=MAX_BOOKING_MINUTES)

# Names of the database guards against overlaps (exclusion constraints on PostgreSQL,
# triggers on SQLite); an IntegrityError naming one of them is a lost race, answered 409.
RESOURCE_OVERLAP = "booking_resource_overlap"
MEMBER_DESK_OVERLAP = "booking_member_desk_overlap"
OVERLAP_GUARDS = (RESOURCE_OVERLAP, MEMBER_DESK_OVERLAP)

# transition: (states it may start from, state it ends in, timestamp it sets, event it records)
TRANSITIONS = {
    "confirm": ((PENDING_PAYMENT,), CONFIRMED, "confirmed_at", booking_events.BookingConfirmed),
    "cancel": ((PENDING_PAYMENT, CONFIRMED), CANCELLED, "cancelled_at",
               booking_events.BookingCancelled),
    "expire": ((PENDING_PAYMENT,), CANCELLED, "cancelled_at", booking_events.BookingExpired),
    "check_in": ((CONFIRMED,), CHECKED_IN, "checked_in_at", booking_events.BookingCheckedIn),
    "check_out": ((CHECKED_IN,), BookingStatus.COMPLETED, "completed_at",
                  booking_events.BookingCompleted),
    "mark_no_show": ((CONFIRMED,), BookingStatus.NO_SHOW, "no_show_at",
                     booking_events.BookingNoShow),
}


class Booking(db.Model):
    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(one_of("status", BookingStatus), name="status"),
        # PostgreSQL checks it as written; SQLite by two triggers (migration 20261208_0100).
        CheckConstraint(one_of("source", BookingSource), name="source"),
        Index("ix_booking_resource_start", "resource_id", "start_at"),
        Index("ix_booking_user_start", "user_id", "start_at"),
        # What the no-show and closing-time jobs look for every minute, among all the history.
        Index("ix_booking_confirmed_start", "start_at",
              postgresql_where=text("status = 'confirmed'"),
              sqlite_where=text("status = 'confirmed'")),
        Index("ix_booking_checked_in_end", "end_at",
              postgresql_where=text("status = 'checked_in'"),
              sqlite_where=text("status = 'checked_in'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"))
    start_at = mapped_column(UTCDateTime, nullable=False)
    end_at = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[BookingStatus] = mapped_column(plain_enum(BookingStatus))
    # Copied from the resource so the database can keep one person to one desk at a time.
    holds_desk: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[BookingSource] = mapped_column(plain_enum(BookingSource, length=10),
                                                  default=BookingSource.WEB)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    confirmed_at = mapped_column(UTCDateTime, nullable=True)
    cancelled_at = mapped_column(UTCDateTime, nullable=True)
    checked_in_at = mapped_column(UTCDateTime, nullable=True)
    checked_out_at = mapped_column(UTCDateTime, nullable=True)
    completed_at = mapped_column(UTCDateTime, nullable=True)
    no_show_at = mapped_column(UTCDateTime, nullable=True)
    # The membership or pass that covers it; None when it is paid on its own (`payment`).
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"), index=True)
    # A desk held while its member pays is free again after this instant, job or no job.
    hold_until = mapped_column(UTCDateTime, nullable=True)
    # A host undid its no-show: it keeps its desk until its end, however late its member is.
    no_show_undone_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User")
    resource = relationship("Resource", lazy="joined", innerjoin=True)

    @classmethod
    def new(cls, user_id, resource, start, end, source, now, hold_until=None, membership_id=None):
        """A booking as made: confirmed when covered, or held until `hold_until` while its
        member pays."""
        booking = cls(user_id=user_id, resource=resource, resource_id=resource.id,
                      start_at=start, end_at=end, holds_desk=resource.is_desk, source=source,
                      created_at=now, status=PENDING_PAYMENT, hold_until=hold_until,
                      membership_id=membership_id)
        if hold_until is not None:
            events.record(booking_events.BookingHeld(booking))
        else:
            booking._move("confirm", now)
        return booking

    @classmethod
    def overlapping(cls, start, end, earliest=None):
        """Conditions for the active bookings overlapping [start, end). `earliest`: start -
        MAX_BOOKING_LENGTH, given when `start` is a bound parameter of a prepared read."""
        if earliest is None:
            earliest = start - MAX_BOOKING_LENGTH
        return (cls.status.in_(ACTIVE_STATUSES), cls.start_at < end, cls.start_at > earliest,
                cls.end_at > start)

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @classmethod
    def occupies(cls, now, grace_minutes):
        """SQL: the booking takes its resource at `now`. A payment hold that ran out does not,
        nor does a booking overdue for check-in (`grace_minutes`: its space's grace period),
        whether or not a job has released them yet."""
        return and_(cls.status.in_(ACTIVE_STATUSES),
                    or_(cls.status != PENDING_PAYMENT, cls.hold_until.is_(None),
                        cls.hold_until > now),
                    not_(cls.overdue(now, grace_minutes)))

    @classmethod
    def overdue(cls, now, grace_minutes):
        """SQL: confirmed, and not checked in by start + the space's grace period: a no-show
        from that instant on (the Python side is `is_overdue`)."""
        return and_(cls.status == CONFIRMED, cls.no_show_undone_at.is_(None),
                    cls.start_at <= now - timedelta(minutes=grace_minutes))

    def no_show_from(self):
        """The instant its member counts as not come unless checked in: start + grace."""
        return self.start_at + timedelta(minutes=self.resource.space.no_show_grace_minutes)

    def is_overdue(self, now):
        return (self.status == CONFIRMED and self.no_show_undone_at is None
                and now >= self.no_show_from())

    def holds_at(self, now):
        """Whether it still takes its resource: active, not a payment hold that ran out, and
        not overdue for check-in."""
        return self.is_active and not self.hold_lapsed(now) and not self.is_overdue(now)

    def hold_lapsed(self, now):
        return (self.status == PENDING_PAYMENT and self.hold_until is not None
                and self.hold_until <= now)

    def reinstate(self, now):
        """A payment that arrived after its hold ran out: the booking stands again."""
        if self.status != CANCELLED or self.cancelled_at is None or self.hold_until is None:
            raise Conflict(_l("This booking cannot be reinstated."))
        self.status = CONFIRMED
        self.confirmed_at = now
        events.record(booking_events.BookingConfirmed(self))

    def _move(self, transition, now, **details):
        sources, target, stamp, event = TRANSITIONS[transition]
        if self.status not in sources:
            raise Conflict(_l("This booking is %(status)s and cannot become %(target)s.",
                              status=self.status.label, target=target.label))
        self.status = target
        setattr(self, stamp, now)
        if transition == "check_out":
            self.checked_out_at = now
        events.record(event(self, **details))

    def confirm(self, now):
        self._move("confirm", now)

    def cancel(self, now, reason=None):
        """Cancel; returns False when it already was (cancelling is idempotent). `reason` tells
        its member why the space cancelled it."""
        if self.status == CANCELLED:
            return False
        self._move("cancel", now, **({"reason": reason} if reason else {}))
        return True

    def move_to(self, resource, reason=None):
        """Same times on another resource of its space and kind; the overlap guards still
        decide whether that one is free."""
        if not self.is_active or resource.kind != self.resource.kind \
                or resource.space_id != self.resource.space_id:
            raise Conflict(_l("This booking cannot be moved there."))
        before = self.resource
        self.resource, self.resource_id = resource, resource.id
        events.record(booking_events.BookingMoved(self, before, reason))

    def expire(self, now):
        self._move("expire", now)

    def check_in(self, now):
        self._move("check_in", now)

    def check_out(self, now):
        self._move("check_out", now)

    def mark_no_show(self, now):
        self._move("mark_no_show", now)

    def cancel_deadline(self):
        """The last instant its member may cancel it."""
        return self.start_at - timedelta(minutes=self.resource.space.cancel_deadline_minutes)

    def cancel_refusal(self, user, now):
        """Why `user` may not cancel it now, or None: state, time and who asks together."""
        if not permissions.can_cancel_booking(user, self):
            return _l("There is no booking %(id)s for you.", id=self.id)
        if self.status == CHECKED_IN:
            return _l("You are checked in for this booking; please check out instead.")
        if self.status == CANCELLED:
            return _l("This booking is already cancelled.")
        if not self.is_active or self.end_at <= now:
            return _l("This booking is over and can no longer be cancelled.")
        deadline = self.cancel_deadline()
        if now > deadline and not permissions.cancels_as_host(user, self):
            space = self.resource.space
            return _l("Bookings at %(space)s can be cancelled up to %(minutes)s minutes before "
                      "the start; the deadline for this one was %(time)s.",
                      space=space.name, minutes=space.cancel_deadline_minutes,
                      time=local_time(deadline, space.zone))
        return None

    def can_cancel(self, user, now):
        return self.cancel_refusal(user, now) is None
