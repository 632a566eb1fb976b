"""An order: what a buyer saw and agreed to when they ordered a paid plan or day pass, and
when. Kept with the purchase, as the seller must be able to show it (§ 312j, § 356 (4) BGB)."""
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking.database import UTCDateTime
from coworking.extensions import db

# Which withdrawal notice and model form the summary page showed (templates/memberships/
# _withdrawal.html); a new text gets a new version, so an order always names the one it saw.
WITHDRAWAL_NOTICE_VERSION = "2026-12"


class Order(db.Model):
    __tablename__ = "plan_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    ordered_at = mapped_column(UTCDateTime, nullable=False)
    source: Mapped[str] = mapped_column(String(10))  # "web" or "api"
    # The price as the summary showed it: gross, VAT rate in basis points.
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    vat_basis_points: Mapped[int] = mapped_column(Integer)
    # A consumer (no company, no VAT id) has 14 days to withdraw; a business has no such right.
    consumer: Mapped[bool] = mapped_column(Boolean)
    withdrawal_ends_at = mapped_column(UTCDateTime, nullable=True)
    withdrawal_notice: Mapped[str | None] = mapped_column(String(20))
    # A consumer's express request that use begins before the withdrawal period ends, with the
    # acknowledgement that the right of withdrawal ends once the service is fully provided.
    early_start: Mapped[bool | None] = mapped_column(Boolean)
    usable_from = mapped_column(UTCDateTime, nullable=False)

    plan = relationship("Plan")
    seller = relationship("Operator")
    membership = relationship("Membership")
    payment = relationship("Payment")
