"""Opening Stripe Checkout for a payment that is due: a membership, a pass, or one booking's
day pass. Read and decide in one unit, call Stripe outside any, store its answer in a second
short unit; when the call fails, what was held for the payment is released."""
import logging
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import get_locale, lazy_gettext as _l

from coworking import clock
from coworking.accounts.models import User
from coworking.billing import gateway, sessions
from coworking.bookings import day_pass
from coworking.database import use_case
from coworking.errors import Conflict, NotFound
from coworking.extensions import db
from coworking.memberships import payments
from coworking.memberships.models import (
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PlanKind,
)
from coworking.memberships.service import CHECKOUT_LIFETIME

log = logging.getLogger(__name__)

# Stripe refuses an `expires_at` less than 30 minutes after it receives the request. The
# seconds between our clock and Stripe's, and between deciding and calling, must not make it
# refuse, so a session (and the hold with it) lives this much longer than the minimum.
CLOCK_MARGIN = timedelta(minutes=1)

NOT_REACHED_MESSAGE = _l("The payment provider cannot be reached right now, so nothing was "
                         "charged and nothing is held for you any more. Please try again in a "
                         "few minutes.")


def own_payment(user, payment_id):
    """The member's own payment; anyone else's does not exist for them."""
    payment = db.session.get(Payment, payment_id) if 0 < payment_id < 2**31 else None
    if payment is None or payment.user_id != user.id:
        raise NotFound(_l("There is no payment %(id)s for you.", id=payment_id))
    return payment


def return_urls(payment_id):
    """Where Stripe sends the member back: the success page (with Stripe's session id, which
    is only a hint) and the cancel page."""
    success = url_for("billing.checkout_return", payment_id=payment_id, _external=True)
    cancel = url_for("billing.checkout_cancel", payment_id=payment_id, _external=True)
    return success + "?session_id={CHECKOUT_SESSION_ID}", cancel


def start_checkout(payment_id, success_url, cancel_url):
    """A Checkout Session for a due Stripe payment; the payment with its `checkout_url`.

    An open session already made for it is used again. If Stripe cannot be reached the hold
    is released (the booking expires, the pending membership ends, the payment fails) and
    Unavailable says that nothing was charged.
    """
    prepared = _prepare(payment_id, success_url, cancel_url)
    if prepared is None:
        return db.session.get(Payment, payment_id)
    params, idempotency_key = prepared
    try:
        session = gateway.create_checkout_session(params, idempotency_key)
    except (gateway.StripeError, gateway.ProviderUnreachable) as error:
        log.warning("checkout for payment %s failed: %s", payment_id, error)
        _release(payment_id)
        raise gateway.ProviderUnreachable(NOT_REACHED_MESSAGE) from None
    return _store(payment_id, session["id"], session["url"])


@use_case
def _prepare(payment_id, success_url, cancel_url):
    """Check the payment can still be paid and fix the session's expiry (the hold's too);
    None when an open session exists already."""
    payment = payments.lock_payment(Payment.id == payment_id)
    if payment is None:
        raise NotFound(_l("There is no payment %(id)s for you.", id=payment_id))
    now = clock.utcnow()
    _check_payable(payment, now)
    if payment.checkout_session_id:
        # One session per payment: a second one could be paid as well, and the hold would
        # grow with every restart.
        return None
    earliest = now + CHECKOUT_LIFETIME + CLOCK_MARGIN
    if payment.expires_at < earliest:
        payment.expires_at = earliest.replace(microsecond=0)
    if payment.booking_id is not None and not day_pass.hold_for_checkout(payment.booking_id,
                                                                         payment.expires_at):
        raise Conflict(_l("This booking is no longer held for payment."))
    key = f"checkout-payment-{payment.id}-{int(payment.expires_at.timestamp())}"
    return _session_params(payment, success_url, cancel_url), key


def _check_payable(payment, now):
    if payment.method != PaymentMethod.STRIPE:
        raise Conflict(_l("This is paid on site; a host confirms it."))
    if payment.status == PaymentStatus.PAID:
        raise Conflict(_l("This has been paid already."))
    if payment.status != PaymentStatus.DUE or payment.expires_at is None \
            or payment.expires_at <= now:
        raise Conflict(_l("The time to pay has run out and nothing was charged. Please start "
                          "again."))
    if payment.membership is not None and payment.membership.status != MembershipStatus.PENDING:
        raise Conflict(_l("This membership is no longer waiting for payment."))


def payment_methods(payment):
    """Card always; a SEPA Direct Debit as well for plans and passes in euro. A debit takes
    days to settle (the plan is active once it has), so a booking's day pass, which holds a
    desk for 30 minutes, and a day pass, which is for a day soon, stay card only."""
    if (current_app.config.get("STRIPE_SEPA_DEBIT") and payment.booking_id is None
            and payment.currency.lower() == "eur" and payment.plan.kind != PlanKind.DAY_PASS):
        return ["card", "sepa_debit"]
    return ["card"]


def _session_params(payment, success_url, cancel_url):
    plan = payment.plan
    subscription = plan.kind.is_subscription and payment.membership_id is not None
    metadata = {"payment_id": str(payment.id)}
    if payment.membership_id is not None:
        metadata["membership_id"] = str(payment.membership_id)
    if payment.booking_id is not None:
        metadata["booking_id"] = str(payment.booking_id)
    if plan.stripe_price_id:
        line = {"price": plan.stripe_price_id, "quantity": 1}
    else:
        price = {"currency": payment.currency, "unit_amount": payment.amount_cents,
                 "product_data": {"name": plan.name}, "tax_behavior": "inclusive"}
        if subscription:
            price["recurring"] = {"interval": "month"}
        line = {"price_data": price, "quantity": 1}
    params = {"mode": "subscription" if subscription else "payment", "line_items": [line],
              "payment_method_types": payment_methods(payment),
              "client_reference_id": str(payment.user_id), "metadata": metadata,
              "expires_at": int(payment.expires_at.timestamp()),
              "success_url": success_url, "cancel_url": cancel_url}
    if has_request_context():
        params["locale"] = str(get_locale())
    customer = payments.stripe_customer_of(payment.user_id)
    if customer:
        params["customer"] = customer
    else:
        params["customer_email"] = db.session.get(User, payment.user_id).email
    if subscription:
        params["subscription_data"] = {"metadata": {"membership_id": str(payment.membership_id),
                                                    "payment_id": str(payment.id)}}
    else:
        params["payment_intent_data"] = {"metadata": metadata}
        if not customer:
            params["customer_creation"] = "always"  # so a refund or the next pass knows them
    return params


@use_case
def _store(payment_id, session_id, url):
    payment = payments.lock_payment(Payment.id == payment_id)
    if payment.checkout_session_id in (None, session_id):
        payment.checkout_session_id = session_id
        payment.checkout_url = url
    return payment


@use_case
def _release(payment_id):
    """Nothing can be paid: the hold is released at once rather than when it runs out."""
    payment = payments.lock_payment(Payment.id == payment_id)
    now = clock.utcnow()
    if payments.release_purchase(payment, now, PaymentStatus.FAILED) \
            and payment.booking_id is not None:
        day_pass.release_hold(payment.booking_id, now)


def catch_up(payment_id, session_hint=None):
    """A member back from Stripe before its webhook: ask Stripe about the session and apply
    what it says, exactly as the webhook will (which then finds it done). The session id in
    the return address only names what to ask about; what counts is Stripe's answer.

    A payment whose hold ran out is asked about too: the member may have paid in its last
    second, and then the booking stands again or became a credit.
    """
    payment = db.session.get(Payment, payment_id)
    session_id = payment.checkout_session_id or (
        session_hint if (session_hint or "").startswith("cs_") else None)
    if payment.status not in (PaymentStatus.DUE, PaymentStatus.EXPIRED) or not session_id \
            or payment.method != PaymentMethod.STRIPE or not gateway.stripe_enabled():
        return None
    try:
        session = gateway.retrieve_checkout_session(session_id)
        fetched = sessions.prefetch(session)
    except gateway.StripeError as error:
        log.info("return from checkout of payment %s: Stripe not asked (%s)", payment_id, error)
        return None
    if session.get("status") != "complete":
        return None
    return _apply_returned(session, fetched)


@use_case
def _apply_returned(session, fetched):
    return sessions.apply("checkout.session.completed", session, fetched, clock.utcnow())
