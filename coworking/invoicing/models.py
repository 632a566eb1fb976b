"""Issued invoices and credit notes, and the counters their numbers come from.

A document row is written once. Triggers on both engines (see the migration
20261207_1700_invoices) refuse any later change of what it says and any DELETE before its
retention period ended; only the links to rows that may go away (member, payment, booking,
membership, the corrected invoice) may become NULL, so the document outlives them."""
import enum
from datetime import date

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db

# § 14b UStG, § 147 AO (as amended in 2025): kept 8 years after the end of their year.
RETENTION_YEARS = 8
IMMUTABLE_MESSAGE = "issued invoices are immutable"


class DocumentKind(enum.StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


def purge_after(year):
    """The last day a document of `year` must be kept; it may go the day after."""
    return date(year + RETENTION_YEARS, 12, 31)


class Invoice(db.Model):
    """An invoice or credit note as issued: `snapshot` is the whole `Document` every
    rendering is made from; the other columns are what lists and the journal filter on."""

    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
        CheckConstraint("sequence > 0", name="sequence_positive"),
        UniqueConstraint("operator_id", "year", "sequence", name="uq_invoice_sequence"),
        # One invoice and at most one credit note per payment, even when two settle at once.
        UniqueConstraint("payment_id", "kind", name="uq_invoice_payment_kind"),
        Index("ix_invoice_operator_issued_on", "operator_id", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    # SET NULL: a document outlives the account it was made out to (it keeps its own copy).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    refers_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="SET NULL"))
    issued_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    net_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    gross_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    payment_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment.id", ondelete="SET NULL"), index=True)
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))
    # The processor's payment this document is about (Stripe's payment intent), so a refund
    # event finds the invoice it corrects.
    stripe_payment_id: Mapped[str | None] = mapped_column(String(100), index=True)
    purge_after: Mapped[date] = mapped_column(Date, index=True)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    refers_to = relationship("Invoice", remote_side=[id], lazy="joined")
    operator = relationship("Operator", lazy="joined", innerjoin=True)

    def document(self):
        from coworking.invoicing.document import Document

        return Document.from_json(self.snapshot)


class InvoiceCounter(db.Model):
    """The last number issued per operator and year. Taking the next one updates this row,
    which the writer holds until it commits (a row lock on PostgreSQL, the database's
    write lock on SQLite): numbers follow each other without gaps or twins."""

    __tablename__ = "invoice_counter"

    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
