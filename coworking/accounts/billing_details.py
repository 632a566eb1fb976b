"""A member's billing details: who an invoice is made out to. Asked at the first purchase
and prefilled after; an issued invoice keeps its own copy, so later edits never change it."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db


class BillingDetails(db.Model):
    __tablename__ = "billing_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="DE")
    vat_id: Mapped[str] = mapped_column(String(20), default="")
    # The Leitweg-ID a public-sector buyer gives (XRechnung's buyer reference).
    buyer_reference: Mapped[str] = mapped_column(String(60), default="")
    updated_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
