"""What a Checkout Session's outcome changes, the same way whether a webhook tells it or a
member returning from Stripe finds it out first: paid, waiting for the money, failed, or run
out. Each function runs inside its caller's unit of work and returns what it did."""
from coworking.billing import gateway, shapes
from coworking.bookings import day_pass
from coworking.memberships import payments
from coworking.memberships.models import Payment, PaymentStatus

PAID_STATES = ("paid", "no_payment_required")


def prefetch(session):
    """What applying the session needs from Stripe, fetched before any unit is opened: the
    subscription's period for a paid subscription."""
    subscription_id = shapes.object_id(session.get("subscription"))
    if session.get("mode") == "subscription" and subscription_id \
            and session.get("payment_status") in PAID_STATES:
        return {"subscription": gateway.retrieve_subscription(subscription_id)}
    return {}


def payment_of(session):
    """Our payment behind a session, its row locked: by the session id we stored, or by the
    payment id we put into its metadata (the webhook may come before we stored the id)."""
    payment = payments.lock_payment(Payment.checkout_session_id == session["id"])
    if payment is not None:
        return payment
    payment_id = shapes.positive_id(shapes.dig(session, "metadata", "payment_id"))
    payment = payments.lock_payment(Payment.id == payment_id) if payment_id else None
    if payment is None or payment.checkout_session_id not in (None, session["id"]) \
            or str(payment.user_id) != str(session.get("client_reference_id")):
        return None
    payment.checkout_session_id = session["id"]
    return payment


def apply(event_type, session, fetched, now):
    """One Checkout Session event; the return page applies "completed" through here too."""
    payment = payment_of(session)
    if payment is None:
        return "unknown session"
    if event_type == "checkout.session.expired":
        return _release(payment, PaymentStatus.EXPIRED, now)
    if event_type == "checkout.session.async_payment_failed":
        return _release(payment, PaymentStatus.FAILED, now, reason="payment_failed")
    if event_type == "checkout.session.async_payment_succeeded" \
            or session.get("payment_status") in PAID_STATES:
        return _paid(payment, session, fetched.get("subscription"), now)
    return _awaiting(payment, session)


def _paid(payment, session, subscription, now):
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return f"already {payment.status.value}"
    intent = shapes.object_id(session.get("payment_intent"))
    if intent:
        payment.stripe_payment_intent_id = intent
    if payment.booking_id is not None:
        return day_pass.pay_for_booking(payment, now)
    start, end = shapes.subscription_period(subscription)
    paid = payments.pay_for_membership(
        payment, now, period_start=start, period_end=end,
        customer_id=shapes.object_id(session.get("customer")),
        subscription_id=shapes.object_id(session.get("subscription")))
    return "applied" if paid else "paid, but the membership has ended"


def _awaiting(payment, session):
    """Completed, the money still on its way (a bank debit): the hold is not extended, but a
    pending purchase waits for the outcome instead of running out (nothing is left to pay
    at Stripe, so the payment no longer expires and has no checkout to go back to)."""
    if payment.status != PaymentStatus.DUE:
        return f"already {payment.status.value}"
    intent = shapes.object_id(session.get("payment_intent"))
    if intent:
        payment.stripe_payment_intent_id = intent
    if payment.membership_id is not None:
        payment.expires_at = payment.checkout_url = None
        payments.link_stripe(payments.lock_membership(payment.membership_id),
                             shapes.object_id(session.get("customer")),
                             shapes.object_id(session.get("subscription")))
    return "awaiting payment"


def _release(payment, status, now, reason=None):
    if not payments.release_purchase(payment, now, status, reason):
        return f"already {payment.status.value}"
    if payment.booking_id is not None:
        day_pass.release_hold(payment.booking_id, now)
    return "released"
