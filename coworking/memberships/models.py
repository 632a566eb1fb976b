"""Plans on offer, memberships bought, the credit ledger and the payments behind them."""
import enum
from datetime import UTC, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock, events
from coworking.content_language import shown
from coworking.database import UTCDateTime, one_of, plain_enum
from coworking.errors import Conflict
from coworking.extensions import db


def _in_check(column, enum_class, name):
    return CheckConstraint(one_of(column, enum_class), name=name)


class PlanKind(enum.StrEnum):
    DAY_PASS = "day_pass"
    MULTI_PASS = "multi_pass"
    MONTHLY = "monthly"
    FIXED_DESK = "fixed_desk"

    @property
    def label(self):
        return {PlanKind.DAY_PASS: _l("day pass"), PlanKind.MULTI_PASS: _l("multi-visit card"),
                PlanKind.MONTHLY: _l("monthly plan"), PlanKind.FIXED_DESK: _l("fixed desk")}[self]

    @property
    def is_subscription(self):
        return self in (PlanKind.MONTHLY, PlanKind.FIXED_DESK)

    @property
    def uses_credits(self):
        return self in (PlanKind.DAY_PASS, PlanKind.MULTI_PASS)


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def label(self):
        return {MembershipStatus.PENDING: _l("awaiting payment"),
                MembershipStatus.ACTIVE: _l("active"),
                MembershipStatus.PAST_DUE: _l("payment failed"),
                MembershipStatus.CANCELLED: _l("cancelled"),
                MembershipStatus.EXPIRED: _l("expired")}[self]


class PaymentStatus(enum.StrEnum):
    DUE = "due"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    REFUNDED = "refunded"


class PaymentMethod(enum.StrEnum):
    STRIPE = "stripe"
    ON_SITE = "on_site"
    FREE = "free"


plan_space = Table(
    "plan_space", db.metadata,
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True),
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)


class Plan(db.Model):
    __tablename__ = "plan"
    __table_args__ = (
        _in_check("kind", PlanKind, "kind"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("vat_basis_points BETWEEN 0 AND 10000", name="vat_rate"),
        CheckConstraint("credits IS NULL OR credits > 0", name="credits_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    # Optional English name and description; empty: English visitors read the German ones.
    name_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    description_en: Mapped[str] = mapped_column(String(500), default="", server_default="")
    kind: Mapped[PlanKind] = mapped_column(plain_enum(PlanKind))
    # Gross price in cents including VAT; the VAT rate in basis points (1900 = 19 %).
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="eur")
    vat_basis_points: Mapped[int] = mapped_column(Integer, default=1900)
    credits: Mapped[int | None] = mapped_column(Integer)  # day credits of a pass
    validity_days: Mapped[int | None] = mapped_column(Integer)  # how long a pass's credits last
    days_per_month: Mapped[int | None] = mapped_column(Integer)  # monthly quota; None: unlimited
    meeting_room_hours: Mapped[int] = mapped_column(Integer, default=0)  # per month
    all_spaces: Mapped[bool] = mapped_column(Boolean, default=False)
    once_per_member: Mapped[bool] = mapped_column(Boolean, default=False)
    stripe_price_id: Mapped[str | None] = mapped_column(String(100))
    # The operator that sells it and issues its invoices.
    seller_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    retired_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    spaces = relationship("Space", secondary=plan_space, lazy="selectin", order_by="Space.name")
    seller = relationship("Operator", lazy="joined", innerjoin=True)

    @property
    def is_free(self):
        return self.price_cents == 0

    @property
    def shown_name(self):
        """The name in the visitor's language (German where no English one is written)."""
        return shown(self.name, self.name_en)

    @property
    def shown_description(self):
        return shown(self.description, self.description_en)

    @property
    def is_on_sale(self):
        return self.retired_at is None

    @property
    def vat_rate(self):
        """The VAT rate in percent, as the API shows it."""
        return self.vat_basis_points / 100

    def covers_space(self, space_id):
        return self.all_spaces or any(space.id == space_id for space in self.spaces)


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        _in_check("status", MembershipStatus, "status"),
        UniqueConstraint("stripe_subscription_id", name="uq_membership_stripe_subscription_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(plain_enum(MembershipStatus))
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    activated_at = mapped_column(UTCDateTime, nullable=True)
    # Passes: valid until current_period_end. Subscriptions: the paid period.
    current_period_start = mapped_column(UTCDateTime, nullable=True)
    current_period_end = mapped_column(UTCDateTime, nullable=True)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    # A consumer who did not ask for an early start uses it from the end of the withdrawal
    # period on; None: from activation.
    usable_from = mapped_column(UTCDateTime, nullable=True)
    ended_at = mapped_column(UTCDateTime, nullable=True)
    fixed_resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id"))
    stripe_customer_id: Mapped[str | None] = mapped_column(String(100))
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(100))

    plan: Mapped[Plan] = relationship(lazy="joined", innerjoin=True)
    user = relationship("User")
    fixed_resource = relationship("Resource")

    @property
    def is_usable(self):
        """Whether it covers bookings at all (a past-due plan keeps covering while Stripe retries)."""
        return self.status in (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)

    def covers_instant(self, instant):
        return (self.is_usable and self.current_period_start is not None
                and self.current_period_start <= instant
                and (self.current_period_end is None or instant < self.current_period_end
                     or (self.plan.kind.is_subscription and not self.cancel_at_period_end
                         and self.ended_at is None)))

    def activate(self, now, period_end=None, period_start=None):
        """Paid (or free): from now on it covers bookings. Idempotent for repeated payments."""
        if self.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
            raise Conflict(_l("This membership has ended."))
        first = self.status == MembershipStatus.PENDING
        self.status = MembershipStatus.ACTIVE
        if first:
            self.activated_at = now
            self.current_period_start = period_start or now
            if self.usable_from is not None and self.usable_from > self.current_period_start:
                # In UTC: a pass's days are 24 hours each, whatever the zone it was asked in.
                self.current_period_start = self.usable_from.astimezone(UTC)
        if period_end is not None:
            self.current_period_end = period_end
        elif first and self.plan.validity_days:
            # A pass's days count from when it may be used.
            self.current_period_end = (self.current_period_start
                                       + timedelta(days=self.plan.validity_days))
        if period_start is not None and not first:
            self.current_period_start = period_start
        if first:
            events.record(MembershipActivated(self))
        return first

    def mark_past_due(self):
        if self.status == MembershipStatus.ACTIVE:
            self.status = MembershipStatus.PAST_DUE
            events.record(MembershipPastDue(self))

    def end(self, now, status=MembershipStatus.CANCELLED, reason=None):
        """Cancelled (by the member, a refund, a failed first payment) or expired; `reason`
        (one of MembershipEnded.REASONS) tells the member why in the e-mail."""
        if self.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
            return False
        self.status = status
        self.ended_at = now
        events.record(MembershipEnded(self, reason))
        return True


class CreditEntry(db.Model):
    """One line of a pass's ledger: credits in (purchase, refund of a cancelled booking) and
    out (a booked day). The balance is their sum; nothing stores it."""

    __tablename__ = "credit_entry"
    __table_args__ = (CheckConstraint("delta <> 0", name="delta_not_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"),
                                               index=True)
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    REASONS = {
        "purchase": _l("bought"),
        "booking": _l("desk day booked"),
        "cancellation": _l("booking cancelled, credit returned"),
        "late_payment": _l("payment arrived after the desk was released"),
        "refund": _l("refunded"),
        "unpaid": _l("not paid on site in time"),
        "account_deleted": _l("account deleted"),
    }

    @property
    def reason_label(self):
        return self.REASONS.get(self.reason, self.reason)


def credit_balance(membership_id):
    """The credits left on a pass: the sum of its ledger."""
    return db.session.scalar(
        select(func.coalesce(func.sum(CreditEntry.delta), 0))
        .where(CreditEntry.membership_id == membership_id)
    )


OPEN_ON_SITE_PURCHASE = "uq_payment_open_on_site_purchase"
OPEN_ON_SITE_WHERE = ("method = 'on_site' AND status = 'due' AND membership_id IS NOT NULL "
                      "AND booking_id IS NULL")


class Payment(db.Model):
    """Money for a membership, a renewal, or one booking's day pass: Stripe, on site, or free."""

    __tablename__ = "payment"
    __table_args__ = (
        _in_check("status", PaymentStatus, "status"),
        _in_check("method", PaymentMethod, "method"),
        UniqueConstraint("checkout_session_id", name="uq_payment_checkout_session_id"),
        UniqueConstraint("stripe_invoice_id", name="uq_payment_stripe_invoice_id"),
        # A member has one purchase at most that is still to be paid on site: the database
        # refuses a second one even when two requests buy at the same moment.
        Index(OPEN_ON_SITE_PURCHASE, "user_id", unique=True,
              sqlite_where=text(OPEN_ON_SITE_WHERE), postgresql_where=text(OPEN_ON_SITE_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    method: Mapped[PaymentMethod] = mapped_column(plain_enum(PaymentMethod))
    status: Mapped[PaymentStatus] = mapped_column(plain_enum(PaymentStatus))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="eur")
    vat_basis_points: Mapped[int] = mapped_column(Integer)
    checkout_session_id: Mapped[str | None] = mapped_column(String(100))
    checkout_url: Mapped[str | None] = mapped_column(String(1000))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(100), index=True)
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(100))
    expires_at = mapped_column(UTCDateTime, nullable=True)
    paid_at = mapped_column(UTCDateTime, nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    plan: Mapped[Plan] = relationship(lazy="joined", innerjoin=True)
    membership = relationship(Membership, foreign_keys=[membership_id])

    @property
    def vat_cents(self):
        """The VAT contained in the gross amount, rounded half up to the cent."""
        net_and_vat = 10000 + self.vat_basis_points
        return (2 * self.amount_cents * self.vat_basis_points + net_and_vat) // (2 * net_and_vat)

    def shown_status(self, now):
        """Due until paid; a due Stripe payment whose checkout ran out shows as expired."""
        if (self.status == PaymentStatus.DUE and self.expires_at is not None
                and self.expires_at <= now):
            return PaymentStatus.EXPIRED
        return self.status

    @property
    def is_open_on_site(self):
        """A purchase to be paid on site that is not paid yet."""
        return self.method == PaymentMethod.ON_SITE and self.status == PaymentStatus.DUE

    @property
    def awaits_bank(self):
        """Paid at Stripe with money still on its way (a SEPA debit): nothing more to do for
        the member, the outcome arrives in a few days."""
        return (self.method == PaymentMethod.STRIPE and self.status == PaymentStatus.DUE
                and (self.stripe_payment_intent_id is not None
                     or (self.checkout_session_id is not None and self.expires_at is None)))

    def mark_paid(self, now, by=None):
        if self.status == PaymentStatus.PAID:
            return False
        self.status = PaymentStatus.PAID
        self.paid_at = now
        self.confirmed_by_id = by
        events.record(PaymentSettled(self))
        return True


class MembershipEvent(events.Event):
    def __init__(self, membership):
        self.membership = membership

    def payload(self):
        m = self.membership
        return {"membership_id": m.id, "user_id": m.user_id, "plan_id": m.plan_id,
                "status": m.status.value}


class MembershipActivated(MembershipEvent):
    name = "membership.activated"


class MembershipPastDue(MembershipEvent):
    name = "membership.past_due"


class MembershipEnded(MembershipEvent):
    name = "membership.ended"
    # Why it ended, when the member should be told more than that it did.
    REASONS = ("payment_failed", "unpaid_on_site", "cancelled_by_member", "account_deleted")

    def __init__(self, membership, reason=None):
        super().__init__(membership)
        self.reason = reason

    def payload(self):
        return {**super().payload(), "reason": self.reason}


class PaymentSettled(events.Event):
    """The money for a payment arrived (Stripe paid, a bank debit succeeded, a host took it
    on site): the seller's invoice is issued in the same unit of work."""

    name = "payment.settled"

    def __init__(self, payment):
        self.payment = payment

    def payload(self):
        return {"payment_id": self.payment.id, "user_id": self.payment.user_id}


class PaymentRefunded(events.Event):
    """The money of a settled payment went back: a credit note is issued."""

    name = "payment.refunded"

    def __init__(self, payment):
        self.payment = payment

    def payload(self):
        return {"payment_id": self.payment.id, "user_id": self.payment.user_id}


class PaymentCredited(events.Event):
    """A payment arrived for a booking whose desk was gone by then: the member got a day
    credit instead, and should be told so."""

    name = "payment.credited"

    def __init__(self, payment, membership):
        self.payment, self.membership = payment, membership

    def payload(self):
        return {"payment_id": self.payment.id, "user_id": self.payment.user_id,
                "booking_id": self.payment.booking_id, "membership_id": self.membership.id,
                "plan_id": self.membership.plan_id, "credits": 1}


class CoverUse(db.Model):
    """One booking covered by a membership: what quotas and credits are counted from.

    Written by the booking service through `cover.use`, released when the booking is
    cancelled; the bookings package tells, this package counts.
    """

    __tablename__ = "cover_use"
    __table_args__ = (UniqueConstraint("booking_id", name="uq_cover_use_booking_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    local_day = mapped_column(Date, nullable=False)  # the day in the space's time zone
    is_desk: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[int] = mapped_column(Integer)
    released_at = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = __table_args__ + (
        Index("ix_cover_use_membership_day", "membership_id", "local_day"),
    )
