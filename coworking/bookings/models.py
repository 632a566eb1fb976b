"""The booking and its states."""
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db

PENDING_PAYMENT = "pending_payment"
CONFIRMED = "confirmed"
CHECKED_IN = "checked_in"
COMPLETED = "completed"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
STATUSES = (PENDING_PAYMENT, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW)
# A booking in one of these states holds its resource; the database refuses overlaps of them.
ACTIVE_STATUSES = (PENDING_PAYMENT, CONFIRMED, CHECKED_IN)

# Names of the database guards against overlaps (exclusion constraints on PostgreSQL,
# triggers on SQLite); an IntegrityError naming one of them is a lost race, answered 409.
RESOURCE_OVERLAP = "booking_resource_overlap"
MEMBER_DESK_OVERLAP = "booking_member_desk_overlap"

SOURCES = ("web", "api", "walk_in")


def _now():
    return clock.utcnow()


class Booking(db.Model):
    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(
            "status IN ('pending_payment', 'confirmed', 'checked_in', 'completed', "
            "'cancelled', 'no_show')",
            name="status",
        ),
        Index("ix_booking_resource_start", "resource_id", "start_at"),
        Index("ix_booking_user_start", "user_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id"))
    start_at = mapped_column(UTCDateTime, nullable=False)
    end_at = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=CONFIRMED)
    # Copied from the resource so the database can keep one person to one desk at a time.
    holds_desk: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(10), default="web")
    created_at = mapped_column(UTCDateTime, default=_now, nullable=False)
    confirmed_at = mapped_column(UTCDateTime, nullable=True)
    cancelled_at = mapped_column(UTCDateTime, nullable=True)
    checked_in_at = mapped_column(UTCDateTime, nullable=True)
    checked_out_at = mapped_column(UTCDateTime, nullable=True)
    completed_at = mapped_column(UTCDateTime, nullable=True)
    no_show_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User")
    resource = relationship("Resource", lazy="joined")

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def can_be_seen_by(self, user):
        """Its member, the hosts of its space and admins see a booking; for others it does not exist."""
        return user.id == self.user_id or user.can_manage_space(self.resource.space_id)

    def cancel(self, now):
        """Mark cancelled; returns False when it already was (cancelling is idempotent)."""
        if self.status == CANCELLED:
            return False
        self.status = CANCELLED
        self.cancelled_at = now
        return True
