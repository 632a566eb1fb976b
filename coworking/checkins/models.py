"""A visit: someone present in a space, from check-in to check-out, and who recorded each."""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking.database import UTCDateTime, one_of, plain_enum
from coworking.extensions import db


class VisitMethod(enum.StrEnum):
    """How a check-in or check-out was recorded."""

    HOST = "host"   # by a host (or an admin) at the front desk
    SELF = "self"   # by the member, with the space's code of the day
    AUTO = "auto"   # by the app: everyone still present is checked out at closing time

    @property
    def label(self):
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    VisitMethod.HOST: _l("by the host"),
    VisitMethod.SELF: _l("self check-in"),
    VisitMethod.AUTO: _l("automatically"),
}


def _method_type():
    return plain_enum(VisitMethod, length=10)


def _method_check(column):
    return CheckConstraint(one_of(column, VisitMethod), name=column)


class Visit(db.Model):
    """Written in the unit that checks a booking in, closed in the one that checks it out."""

    __tablename__ = "visit"
    __table_args__ = (
        _method_check("check_in_method"),
        _method_check("check_out_method"),
        CheckConstraint("checked_out_at IS NULL OR checked_out_at >= checked_in_at",
                        name="out_after_in"),
        Index("ix_visit_space_checked_in_at", "space_id", "checked_in_at"),
        Index("ix_visit_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # None for a visit without a booking; one visit per booking.
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="SET NULL"), unique=True)
    checked_in_at = mapped_column(UTCDateTime, nullable=False)
    checked_out_at = mapped_column(UTCDateTime, nullable=True)
    # The host who checked them in or out; None when they did it themselves or the app did.
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    checked_out_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    check_in_method: Mapped[VisitMethod] = mapped_column(_method_type())
    check_out_method: Mapped[VisitMethod | None] = mapped_column(_method_type())

    booking = relationship("Booking")

    @property
    def is_open(self):
        return self.checked_out_at is None

    def close(self, at, method, by_id=None):
        self.checked_out_at = at
        self.check_out_method = method
        self.checked_out_by_id = by_id


class HostAction(db.Model):
    """A host's tap on a booking (check-in, check-out, no-show, paid on site), kept so any
    host of its space can undo it for a while: who did what when, and what to restore."""

    __tablename__ = "host_action"
    __table_args__ = (Index("ix_host_action_booking_at", "booking_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    at = mapped_column(UTCDateTime, nullable=False)
    # The payment a "paid on site" settled; None for the other actions.
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="SET NULL"))
    # What the booking was before: {"status": ..., "resource_id": ...}.
    restore = mapped_column(JSON, nullable=True)
    undone_at = mapped_column(UTCDateTime, nullable=True)
    undone_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    actor = relationship("User", foreign_keys=[actor_id])


class DoorDevice(db.Model):
    """A tablet by the door that shows the day's code: it opens `/door/<slug>` with a link a
    host created; only the hash of the link's key is kept, and revoking it ends the display."""

    __tablename__ = "door_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, nullable=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)
