"""The record of every Stripe event applied, so a repeated delivery changes nothing."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db


class StripeEvent(db.Model):
    __tablename__ = "stripe_event"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    # What applying it did, for support: "applied", "ignored", or why nothing changed.
    outcome: Mapped[str] = mapped_column(String(200), default="applied")
