"""The one door to Stripe: whether it is configured, a client aimed at it, and every call the
app makes, each refused inside an open write transaction.

A call to Stripe can take seconds or hang; a unit of work that waited for it would hold the
database's write lock (SQLite) or row locks (PostgreSQL) all that time, and a rollback would
not undo what Stripe did. So a use case reads, commits, calls Stripe, then stores the answer
in a second short unit.
"""
import logging
from functools import wraps

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l

from coworking.database import in_unit_of_work
from coworking.errors import Unavailable

log = logging.getLogger(__name__)

# A member waits for the answer while Checkout is being opened.
TIMEOUT_SECONDS = 20

UNREACHABLE_MESSAGE = _l("The payment provider cannot be reached right now. Please try again "
                         "in a few minutes.")

# Stripe's errors, for callers that decide what a failed call means for their use case.
StripeError = stripe.StripeError
InvalidRequest = stripe.InvalidRequestError  # e.g. no such object


class ProviderUnreachable(Unavailable):
    code = "payment-provider-unavailable"

    def __init__(self, message=UNREACHABLE_MESSAGE):
        super().__init__(message)


def stripe_enabled():
    """Whether members pay online; without a key passes are paid on site and hosts confirm."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def client():
    """A StripeClient for the app's configuration (kept per app, rebuilt when it changes)."""
    config = current_app.config
    settings = (config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE"),
                config.get("STRIPE_MAX_NETWORK_RETRIES", 2))
    cached = current_app.extensions.get("stripe_client")
    if cached is None or cached[0] != settings:
        key, base, retries = settings
        if not key:
            raise ProviderUnreachable()
        options = {"base_addresses": {"api": base}} if base else {}
        made = stripe.StripeClient(key, max_network_retries=retries,
                                   http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
                                   **options)
        cached = current_app.extensions["stripe_client"] = (settings, made)
    return cached[1]


def _outside_transaction(call):
    @wraps(call)
    def checked(*args, **kwargs):
        if in_unit_of_work():
            raise RuntimeError(f"Stripe called inside a unit of work ({call.__name__}): "
                               "commit first, then call, then store the answer in a new unit")
        return call(*args, **kwargs)

    return checked


def plain(stripe_object):
    """Stripe's answer as plain dicts and lists, as a webhook's event carries it."""
    return stripe_object.to_dict() if hasattr(stripe_object, "to_dict") else dict(stripe_object)


@_outside_transaction
def create_checkout_session(params, idempotency_key):
    return plain(client().v1.checkout.sessions.create(
        params, {"idempotency_key": idempotency_key}))


@_outside_transaction
def retrieve_checkout_session(session_id):
    return plain(client().v1.checkout.sessions.retrieve(session_id))


@_outside_transaction
def retrieve_subscription(subscription_id):
    return plain(client().v1.subscriptions.retrieve(subscription_id))


@_outside_transaction
def retrieve_invoice(invoice_id):
    return plain(client().v1.invoices.retrieve(invoice_id))


@_outside_transaction
def create_portal_session(customer_id, return_url, idempotency_key):
    return plain(client().v1.billing_portal.sessions.create(
        {"customer": customer_id, "return_url": return_url},
        {"idempotency_key": idempotency_key}))


@_outside_transaction
def cancel_subscription_at_period_end(subscription_id, idempotency_key):
    """`Subscription.modify(id, cancel_at_period_end=True)` in the client's words."""
    return plain(client().v1.subscriptions.update(
        subscription_id, {"cancel_at_period_end": True}, {"idempotency_key": idempotency_key}))


@_outside_transaction
def create_refund(payment_intent_id, idempotency_key):
    """Refund all of a payment; the same key makes a repeated request the same refund."""
    return plain(client().v1.refunds.create(
        {"payment_intent": payment_intent_id}, {"idempotency_key": idempotency_key}))
