"""A cancellation as declared (who, which contract, what kind, when it arrived) and the
contracts it ends, each with the date it ends on."""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import events
from coworking.database import UTCDateTime
from coworking.extensions import db


class CancellationKind(enum.StrEnum):
    ORDINARY = "ordinary"            # at the earliest date the contract allows
    EXTRAORDINARY = "extraordinary"  # for a serious reason, which the declaration gives

    @property
    def label(self):
        return {CancellationKind.ORDINARY: _l("ordinary cancellation at the earliest date"),
                CancellationKind.EXTRAORDINARY: _l("extraordinary cancellation for a serious "
                                                   "reason")}[self]


class ContractCancellation(db.Model):
    """One declaration. Kept as proof of what arrived when; made only for an address that
    has an account (a stranger's address leaves nothing behind)."""

    __tablename__ = "contract_cancellation"
    __table_args__ = (
        CheckConstraint("kind IN ('ordinary', 'extraordinary')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at = mapped_column(UTCDateTime, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # What was named: one membership, the plan it is on, or (both empty) every contract.
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    source: Mapped[str] = mapped_column(String(10))  # "web" or "api"
    # Declared signed out: a link e-mailed to the account's address confirms it.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_expires_at = mapped_column(UTCDateTime, nullable=True)
    confirmed_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User")
    plan = relationship("Plan")
    contracts = relationship("CancelledContract", back_populates="cancellation",
                             order_by="CancelledContract.id", cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return CancellationKind(self.kind).label

    @property
    def is_done(self):
        return self.confirmed_at is not None and all(c.done_at for c in self.contracts)


class CancelledContract(db.Model):
    """A membership a cancellation ends: on its `ends_at`, once `done_at` is set (at once for
    a plan paid on site, after Stripe's answer for a Stripe subscription)."""

    __tablename__ = "cancelled_contract"
    __table_args__ = (UniqueConstraint("cancellation_id", "membership_id",
                                       name="uq_cancelled_contract_membership"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cancellation_id: Mapped[int] = mapped_column(
        ForeignKey("contract_cancellation.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"),
                                               index=True)
    ends_at = mapped_column(UTCDateTime, nullable=True)
    done_at = mapped_column(UTCDateTime, nullable=True)

    cancellation = relationship(ContractCancellation, back_populates="contracts")
    membership = relationship("Membership", lazy="joined")


class CancellationReceived(events.Event):
    """A cancellation declared signed out: its link is on its way to the account's address.
    The secret travels on the event only, never in its stored payload."""

    name = "contract.cancellation_received"

    def __init__(self, cancellation, secret):
        self.cancellation, self.secret = cancellation, secret

    def payload(self):
        return {"cancellation_id": self.cancellation.id, "user_id": self.cancellation.user_id}


class CancellationConfirmed(events.Event):
    """The cancellation took effect: every contract it ends has its end date."""

    name = "contract.cancellation_confirmed"

    def __init__(self, cancellation):
        self.cancellation = cancellation

    def payload(self):
        return {"cancellation_id": self.cancellation.id, "user_id": self.cancellation.user_id,
                "memberships": [c.membership_id for c in self.cancellation.contracts]}
