"""What online payments change: a purchase paid, renewed, failed, run out or refunded, and
a late payment that becomes a day credit. Billing calls these inside its units of work with
what Stripe said; nothing here knows Stripe's shapes."""
from datetime import timedelta

from sqlalchemy import select

from coworking import clock, events
from coworking.database import use_case
from coworking.extensions import db
from coworking.memberships.models import (
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentCredited,
    PaymentMethod,
    PaymentRefunded,
    PaymentStatus,
    credit_balance,
)
from coworking.memberships.service import _free_fixed_desk, _membership_for_update, activate

# How long a day credit given for a late payment stays usable: the member lost their desk
# through no fault of their own, so the credit must outlast a day pass's own validity.
LATE_CREDIT_VALIDITY = timedelta(days=365)
# A membership in one of these holds its fixed desk.
_HOLDING = (MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)


def lock_payment(*criteria):
    """The payment matching `criteria`, its row locked: a webhook and a returning member
    decide on the same payment one after the other, never both on a stale copy."""
    return db.session.scalars(
        select(Payment).where(*criteria).order_by(Payment.id).limit(1)
        .with_for_update(of=Payment).execution_options(populate_existing=True)).first()


def lock_membership(membership_id):
    return _membership_for_update(membership_id)


def lock_membership_by_subscription(subscription_id):
    return db.session.scalars(
        select(Membership).where(Membership.stripe_subscription_id == subscription_id)
        .with_for_update(of=Membership)
        .execution_options(populate_existing=True)).first()


def link_stripe(membership, customer_id=None, subscription_id=None):
    """Remember Stripe's customer and subscription, so later events and the portal find them."""
    if customer_id and not membership.stripe_customer_id:
        membership.stripe_customer_id = customer_id
    if subscription_id and not membership.stripe_subscription_id:
        membership.stripe_subscription_id = subscription_id


def stripe_customer_of(user_id):
    """The member's Stripe customer from an earlier purchase, so Stripe knows them again."""
    return db.session.scalar(
        select(Membership.stripe_customer_id).where(
            Membership.user_id == user_id, Membership.stripe_customer_id.is_not(None))
        .order_by(Membership.id.desc()).limit(1))


def _revive_if_lapsed(membership):
    """A purchase whose checkout ran out before the money came (a slow webhook, a bank debit)
    was paid after all: it is bought, not lost. One that was ever active stays ended."""
    if membership.status not in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED) \
            or membership.activated_at is not None:
        return
    membership.status, membership.ended_at = MembershipStatus.PENDING, None
    if membership.fixed_resource_id is not None and db.session.scalar(
            select(Membership.id).where(Membership.id != membership.id,
                                        Membership.fixed_resource_id == membership.fixed_resource_id,
                                        Membership.status.in_(_HOLDING)).limit(1)):
        desk = _free_fixed_desk(membership.plan)
        membership.fixed_resource_id = desk.id if desk is not None else None


def pay_for_membership(payment, now, period_start=None, period_end=None, customer_id=None,
                       subscription_id=None):
    """The purchase is paid online: the payment is settled and the membership covers from now
    on (a pass gets its credits once). Returns False when it had ended for good."""
    payment.mark_paid(now)
    membership = lock_membership(payment.membership_id)
    link_stripe(membership, customer_id, subscription_id)
    _revive_if_lapsed(membership)
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        return False
    activate(membership, now, period_start=period_start, period_end=period_end)
    return True


def _invoice_payment(membership, invoice_id, amount_cents, currency, now, first):
    """The payment row of one subscription invoice: the checkout's own for the first invoice,
    a new one for each renewal."""
    payment = lock_payment(Payment.stripe_invoice_id == invoice_id)
    if payment is None and first:
        payment = lock_payment(Payment.membership_id == membership.id,
                               Payment.method == PaymentMethod.STRIPE,
                               Payment.stripe_invoice_id.is_(None))
    if payment is None:
        payment = Payment(user_id=membership.user_id, plan=membership.plan,
                          plan_id=membership.plan_id, membership=membership,
                          method=PaymentMethod.STRIPE, status=PaymentStatus.DUE,
                          amount_cents=amount_cents, currency=currency,
                          vat_basis_points=membership.plan.vat_basis_points, created_at=now)
        db.session.add(payment)
    payment.stripe_invoice_id = invoice_id
    return payment


def subscription_paid(membership, now, *, invoice_id, amount_cents, currency, period_start,
                      period_end, first):
    """An invoice of the subscription is paid. The paid period only grows, so invoices read
    out of order change nothing; a past-due plan is active again once no invoice is unpaid."""
    _revive_if_lapsed(membership)
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        return "membership has ended"
    _invoice_payment(membership, invoice_id, amount_cents, currency, now, first).mark_paid(now)
    db.session.flush()
    newer = period_end is not None and (membership.current_period_end is None
                                        or period_end > membership.current_period_end)
    unpaid = db.session.scalar(select(Payment.id).where(
        Payment.membership_id == membership.id, Payment.status == PaymentStatus.FAILED,
        Payment.stripe_invoice_id.is_not(None)).limit(1))
    if membership.status == MembershipStatus.PENDING or (
            membership.status == MembershipStatus.PAST_DUE and unpaid is None):
        activate(membership, now, period_start=period_start if newer else None,
                 period_end=period_end if newer else None)
    elif newer:
        membership.current_period_start = period_start or membership.current_period_start
        membership.current_period_end = period_end
    return "applied"


def subscription_payment_failed(membership, now, *, invoice_id, amount_cents, currency,
                                first=False):
    """Stripe could not collect an invoice. A renewal: the plan is past due (it keeps
    covering while Stripe retries) and the member sees it on their page. The first one (a
    bank debit that bounced after checkout): the plan never started and ends, and the member
    is told."""
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        return "membership has ended"
    if first and membership.status == MembershipStatus.PENDING:
        payment = _invoice_payment(membership, invoice_id, amount_cents, currency, now, first)
        if payment.status == PaymentStatus.PAID:
            return "invoice paid since"
        release_purchase(payment, now, PaymentStatus.FAILED, reason="payment_failed")
        return "applied"
    payment = _invoice_payment(membership, invoice_id, amount_cents, currency, now, first=False)
    if payment.status == PaymentStatus.PAID:
        return "invoice paid since"
    payment.status = PaymentStatus.FAILED
    membership.mark_past_due()
    return "applied"


def update_subscription(membership, now, *, status, period_end, cancel_at_period_end):
    """The subscription as Stripe holds it now: its status, paid period and whether it ends
    at the period's end (the member chose so in the portal)."""
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        return "membership has ended"
    membership.cancel_at_period_end = bool(cancel_at_period_end)
    if status in ("canceled", "incomplete_expired"):
        return subscription_ended(membership, now)
    if membership.status == MembershipStatus.PENDING:
        return "applied"  # it becomes active when its first payment arrives
    if status in ("active", "trialing"):
        if period_end is not None and (membership.current_period_end is None
                                       or period_end > membership.current_period_end):
            membership.current_period_end = period_end
        activate(membership, now)
    elif status in ("past_due", "unpaid"):
        membership.mark_past_due()
    return "applied"


def subscription_ended(membership, now):
    """The subscription is deleted: the membership ends when its paid period does."""
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        return "membership has ended"
    membership.cancel_at_period_end = True
    end = membership.current_period_end
    if membership.status == MembershipStatus.PENDING or end is None or end <= now:
        membership.end(now)
    return "applied"


def release_purchase(payment, now, status, reason=None):
    """The checkout it was for failed or ran out, or the bank debit behind it failed
    (`reason` "payment_failed": the member is told): nothing was paid, the pending
    membership ends. Only a due payment is released: one settled or released meanwhile
    stays as it is."""
    if payment.status != PaymentStatus.DUE:
        return False
    payment.status = status
    if payment.membership_id is not None:
        membership = lock_membership(payment.membership_id)
        if membership.status == MembershipStatus.PENDING:
            membership.end(now, MembershipStatus.EXPIRED if status == PaymentStatus.EXPIRED
                           else MembershipStatus.CANCELLED, reason=reason)
    return True


def expire_booking_payments(booking_ids, now):
    """The holds of these bookings ran out: their due payments expire, unless money is on
    its way (a bank debit settling), whose outcome decides later."""
    if not booking_ids:
        return
    for payment in db.session.scalars(
            select(Payment).where(Payment.booking_id.in_(booking_ids),
                                  Payment.status == PaymentStatus.DUE,
                                  Payment.stripe_payment_intent_id.is_(None))
            .with_for_update(of=Payment)):
        payment.status = PaymentStatus.EXPIRED


@use_case
def expire_lapsed_purchases(limit=100):
    """Pending purchases whose checkout ran out unpaid end as expired; a pass is bought
    again. Rows another runner holds are skipped, so two runners never end one twice."""
    now = clock.utcnow()
    lapsed = db.session.scalars(
        select(Payment).join(Membership, Payment.membership_id == Membership.id)
        .where(Payment.method == PaymentMethod.STRIPE, Payment.status == PaymentStatus.DUE,
               Payment.expires_at <= now, Payment.stripe_payment_intent_id.is_(None),
               Membership.status == MembershipStatus.PENDING,
               Membership.stripe_subscription_id.is_(None))
        .order_by(Payment.expires_at, Payment.id).limit(limit)
        .with_for_update(of=(Payment, Membership), skip_locked=True)).all()
    for payment in lapsed:
        release_purchase(payment, now, PaymentStatus.EXPIRED)
    return len(lapsed)


@use_case
def end_finished_subscriptions(limit=100):
    """Subscriptions cancelled at the end of their period end when that period does."""
    now = clock.utcnow()
    finished = db.session.scalars(
        select(Membership).where(Membership.cancel_at_period_end.is_(True),
                                 Membership.status.in_((MembershipStatus.ACTIVE,
                                                        MembershipStatus.PAST_DUE)),
                                 Membership.current_period_end <= now)
        .order_by(Membership.id).limit(limit)
        .with_for_update(of=Membership, skip_locked=True)).all()
    for membership in finished:
        membership.end(membership.current_period_end, reason="cancelled_by_member")
    return len(finished)


def refund(payment, now):
    """The money went back: the pass it paid for ends and its remaining credits are voided
    with a ledger entry, so the ledger still explains the balance."""
    if payment.status == PaymentStatus.REFUNDED:
        return False
    payment.status = PaymentStatus.REFUNDED
    events.record(PaymentRefunded(payment))
    if payment.membership_id is not None:
        membership = lock_membership(payment.membership_id)
        balance = credit_balance(membership.id) if membership.plan.kind.uses_credits else 0
        if balance > 0:
            db.session.add(CreditEntry(membership_id=membership.id, delta=-balance,
                                       reason="refund", created_at=now))
        membership.end(now)
    return True


def credit_late_payment(payment, now):
    """A day pass paid for a booking whose desk was taken meanwhile becomes a day credit: an
    active day pass of the same plan with one credit, and a message to the member."""
    plan = payment.plan
    membership = Membership(user_id=payment.user_id, plan=plan, plan_id=plan.id,
                            status=MembershipStatus.PENDING, created_at=now)
    db.session.add(membership)
    db.session.flush()
    membership.activate(now, period_end=now + max(LATE_CREDIT_VALIDITY,
                                                  timedelta(days=plan.validity_days or 0)))
    db.session.add(CreditEntry(membership_id=membership.id, delta=1, reason="late_payment",
                               booking_id=payment.booking_id, created_at=now))
    payment.membership_id = membership.id
    events.record(PaymentCredited(payment, membership))
    return membership
