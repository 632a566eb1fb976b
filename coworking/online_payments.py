"""Paying online as the pages and the API ask for it: is Stripe on, start a Checkout, and
end a subscription at its period's end.

The billing package does both; `create_app` plugs it in here, so the membership and booking
pages, which rank below billing, use it without importing it.
"""
from flask import current_app

EXTENSION = "online_payments"


def register(app, gateway, checkout, subscriptions):
    """`gateway.stripe_enabled()`, `checkout.start_checkout(...)` and
    `subscriptions.end_at_period_end(...)`, looked up at each call."""
    app.extensions[EXTENSION] = (gateway, checkout, subscriptions)


def enabled():
    gateway, _checkout, _subscriptions = current_app.extensions[EXTENSION]
    return gateway.stripe_enabled()


def start_checkout(payment_id, success_url, cancel_url):
    """The payment with its `checkout_url`; a DomainError when Stripe cannot be reached."""
    _gateway, checkout, _subscriptions = current_app.extensions[EXTENSION]
    return checkout.start_checkout(payment_id, success_url, cancel_url)


def end_subscription_at_period_end(subscription_id, idempotency_key):
    """The end of its paid period once Stripe has set it to cancel then (None when Stripe
    does not say); a DomainError when Stripe cannot be reached."""
    _gateway, _checkout, subscriptions = current_app.extensions[EXTENSION]
    return subscriptions.end_at_period_end(subscription_id, idempotency_key)


def refund(payment_intent_id, idempotency_key):
    """Stripe gives all of a payment back; a DomainError when Stripe cannot be reached."""
    gateway, _checkout, _subscriptions = current_app.extensions[EXTENSION]
    try:
        return gateway.create_refund(payment_intent_id, idempotency_key)
    except gateway.StripeError as error:
        raise gateway.ProviderUnreachable() from error
