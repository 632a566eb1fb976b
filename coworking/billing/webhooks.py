"""Stripe's webhook events, each applied exactly once: the event's id is recorded in the same
unit of work as its effects, so a repeat (or a second delivery racing the first) changes
nothing. What an event needs from Stripe is fetched before that unit opens."""
import logging

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import clock
from coworking.billing import sessions, shapes, subscriptions
from coworking.billing.models import StripeEvent
from coworking.bookings import day_pass
from coworking.database import savepoint, use_case
from coworking.errors import DomainError
from coworking.extensions import db
from coworking.memberships import payments
from coworking.memberships.models import Payment, PaymentStatus

log = logging.getLogger(__name__)


def charge_refunded(event_type, charge, fetched, now):
    """A full refund ends what the payment bought: the pass (its credits voided) or the
    booking's day pass (the booking, if not used yet, is cancelled)."""
    intent = shapes.object_id(charge.get("payment_intent"))
    payment = payments.lock_payment(Payment.stripe_payment_intent_id == intent) if intent else None
    if payment is None:
        return "unknown payment"
    if not charge.get("refunded"):
        return "partly refunded: nothing changed"
    if payment.status == PaymentStatus.REFUNDED:
        return "already refunded"
    payments.refund(payment, now)
    if payment.booking_id is not None:
        day_pass.cancel_refunded(payment.booking_id, now)
    return "applied"


# event type: (what to fetch from Stripe first, how to apply it)
HANDLERS = {
    "checkout.session.completed": (sessions.prefetch, sessions.apply),
    "checkout.session.async_payment_succeeded": (sessions.prefetch, sessions.apply),
    "checkout.session.async_payment_failed": (None, sessions.apply),
    "checkout.session.expired": (None, sessions.apply),
    "invoice.paid": (subscriptions.prefetch_paid_invoice, subscriptions.invoice_paid),
    "invoice.payment_failed": (subscriptions.prefetch_failed_invoice,
                               subscriptions.invoice_payment_failed),
    "customer.subscription.updated": (subscriptions.prefetch_subscription,
                                      subscriptions.subscription_changed),
    "customer.subscription.deleted": (subscriptions.prefetch_subscription,
                                      subscriptions.subscription_changed),
    "charge.refunded": (None, charge_refunded),
}


def receive(event):
    """Apply a verified event (plain dicts); returns what it did, as recorded."""
    if db.session.scalar(select(StripeEvent.id).where(StripeEvent.id == event["id"])):
        return "repeat"
    prefetch, _apply = HANDLERS.get(event["type"], (None, None))
    obj = event["data"]["object"]
    fetched = prefetch(obj) if prefetch else {}
    try:
        outcome = _record_and_apply(event, fetched)
    except IntegrityError as error:
        if _is_repeat(error):
            return "repeat"  # the same event, delivered twice at once: the other one applied it
        raise
    if outcome.startswith(("unknown", "refused")):
        log.warning("stripe event %s (%s): %s, nothing changed", event["id"], event["type"],
                    outcome)
    return outcome


@use_case
def _record_and_apply(event, fetched):
    """The event's row goes in first: a concurrent delivery of it waits here, then fails on
    the primary key and rolls back whole."""
    record = StripeEvent(id=event["id"], type=event["type"], received_at=clock.utcnow(),
                         outcome="applying")
    db.session.add(record)
    db.session.flush()
    _prefetch, apply = HANDLERS.get(event["type"], (None, None))
    try:
        outcome = _apply(apply, event, fetched) if apply else "ignored"
    except DomainError as refusal:
        # A rule refuses it; a retry would not change that, so it is recorded, not retried.
        with force_locale("en"):
            outcome = f"refused: {refusal.message}"
    record.outcome = outcome[:200]
    return outcome


@use_case
def _apply(apply, event, fetched):
    """Composed into the recording unit: a refusal rolls back to a savepoint, the record stays."""
    with savepoint():
        return apply(event["type"], event["data"]["object"], fetched, clock.utcnow())


def _is_repeat(error):
    orig = getattr(error, "orig", None)
    diag = getattr(orig, "diag", None)
    if getattr(diag, "constraint_name", None):
        return diag.constraint_name == "pk_stripe_event"
    return "stripe_event.id" in str(orig)
