"""A company account, who belongs to it, the links that invite them, the desk days billed to
it and the invoices issued for them."""
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db


class CompanyRole(enum.StrEnum):
    ADMIN = "admin"
    EMPLOYEE = "employee"


class Company(db.Model):
    """A company account with the billing details its invoices are made out to. It pays per
    desk day on one monthly invoice per operator, or (with `plan_id`) holds a monthly plan
    for `seats` of its people, billed by the plan's seller each month."""

    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint("seats IS NULL OR seats > 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    billing_name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="DE")
    vat_id: Mapped[str] = mapped_column(String(20), default="")
    buyer_reference: Mapped[str] = mapped_column(String(60), default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    seats: Mapped[int | None] = mapped_column(Integer)
    plan_since = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    plan = relationship("Plan", lazy="joined")

    @property
    def customer_number(self):
        return f"C-{self.id:06d}"


class CompanyMember(db.Model):
    """Someone who belongs to a company: its admin, or an employee who joined by invitation.
    Leaving sets `left_at`; a member belongs to one company at a time."""

    __tablename__ = "company_member"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'employee')", name="role"),
        Index("uq_company_member_current", "user_id", unique=True,
              sqlite_where=text("left_at IS NULL"), postgresql_where=text("left_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    joined_at = mapped_column(UTCDateTime, nullable=False)
    left_at = mapped_column(UTCDateTime, nullable=True)

    company = relationship(Company, lazy="joined", innerjoin=True)


class CompanyInvitation(db.Model):
    """A link the company's admin sends an employee; only its hash is stored. Used once."""

    __tablename__ = "company_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"),
                                            index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)
    used_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    company = relationship(Company, lazy="joined", innerjoin=True)


class CompanyCharge(db.Model):
    """A booking its member billed to their company: the desk day it counts as, the
    operator whose space it was in, and the price of that day (the space's day pass) unless
    the company's plan covers it. Released when the booking is cancelled."""

    __tablename__ = "company_charge"
    __table_args__ = (
        UniqueConstraint("booking_id", name="uq_company_charge_booking_id"),
        Index("ix_company_charge_company_day", "company_id", "local_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    # SET NULL: the company keeps the day on its books after the employee's account is gone.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"))
    local_day = mapped_column(Date, nullable=False)
    by_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_gross_cents: Mapped[int] = mapped_column(Integer)
    vat_basis_points: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime, nullable=False)
    released_at = mapped_column(UTCDateTime, nullable=True)


class CompanyInvoice(db.Model):
    """Which invoice billed a company's month with an operator: one per operator, company
    and month, whichever runner issues it."""

    __tablename__ = "company_invoice"
    __table_args__ = (
        UniqueConstraint("company_id", "operator_id", "month", name="uq_company_invoice_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    month = mapped_column(Date, nullable=False)  # its first day
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))

    invoice = relationship("Invoice", lazy="joined", innerjoin=True)
