"""An admin refunds a paid plan: through Stripe when it was paid there, else (paid on site)
the money goes back in cash or by transfer and this records it. Either way the plan ends and
the credit note is issued (invoicing subscribes to the refund)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock, online_payments, permissions
from coworking.database import use_case
from coworking.errors import Conflict, Forbidden, NotFound
from coworking.extensions import db
from coworking.memberships import payments
from coworking.memberships.models import Membership, Payment, PaymentMethod, PaymentStatus

NOT_PAID = _l("This plan has no payment to refund: it is not paid, or refunded already.")


def _paid_payment(membership_id, lock=False):
    """The membership's latest settled payment (a subscription's latest renewal)."""
    query = (select(Payment).where(Payment.membership_id == membership_id,
                                   Payment.status == PaymentStatus.PAID,
                                   Payment.amount_cents > 0)
             .order_by(Payment.id.desc()).limit(1))
    if lock:
        query = query.with_for_update(of=Payment).execution_options(populate_existing=True)
    return db.session.scalars(query).first()


def refund_plan(actor, membership_id, reason):
    """Refund the membership's payment and end it; returns the membership. Stripe is asked
    first, outside any transaction, with a key that makes a second request the same refund;
    the row lock then lets only one request record it (the other is told it is refunded)."""
    if not permissions.can_manage_operators(actor):
        raise Forbidden(_l("Only admins refund payments."))
    membership = db.session.get(Membership, membership_id) if 0 < membership_id < 2**31 \
        else None
    if membership is None:
        raise NotFound(_l("There is no membership %(id)s for you.", id=membership_id))
    payment = _paid_payment(membership.id)
    if payment is None:
        raise Conflict(NOT_PAID)
    if payment.method == PaymentMethod.STRIPE and payment.stripe_payment_intent_id:
        intent = payment.stripe_payment_intent_id
        db.session.commit()  # Stripe is called outside any transaction
        online_payments.refund(intent, f"refund-payment-{payment.id}")
    return _record_refund(actor, membership.id, payment.id, reason)


@use_case
def _record_refund(actor, membership_id, payment_id, reason):
    payment = _paid_payment(membership_id, lock=True)
    if payment is None or payment.id != payment_id:
        raise Conflict(NOT_PAID)
    payments.refund(payment, clock.utcnow())
    audit.record(actor.id, "payment.refunded", "payment", payment.id,
                 before={"status": "paid"},
                 after={"status": "refunded", "membership_id": membership_id,
                        "amount_cents": payment.amount_cents, "reason": reason})
    return db.session.get(Membership, membership_id)
