"""Paying online as the pages and the API ask for it: is Stripe on, and start a Checkout.

The billing package does both; `create_app` plugs it in here, so the membership and booking
pages, which rank below billing, use it without importing it.
"""
from flask import current_app

EXTENSION = "online_payments"


def register(app, gateway, checkout):
    """`gateway.stripe_enabled()` and `checkout.start_checkout(...)`, looked up at each call."""
    app.extensions[EXTENSION] = (gateway, checkout)


def enabled():
    gateway, _checkout = current_app.extensions[EXTENSION]
    return gateway.stripe_enabled()


def start_checkout(payment_id, success_url, cancel_url):
    """The payment with its `checkout_url`; a DomainError when Stripe cannot be reached."""
    _gateway, checkout = current_app.extensions[EXTENSION]
    return checkout.start_checkout(payment_id, success_url, cancel_url)
