"""Stripe Checkout for a payment that is due: a session the member pays on Stripe's page."""
from flask_babel import lazy_gettext as _l

from coworking.errors import DomainError


class PaymentServiceUnavailable(DomainError):
    status = 503
    code = "payment-service-unavailable"


def start_checkout(payment_id, success_url, cancel_url):
    """Create the Checkout Session for `payment_id` (outside any transaction), store its id and
    URL on the payment and return the payment.

    Online payments are not connected yet, so this refuses: an installation with a Stripe key
    cannot take money until they are.
    """
    raise PaymentServiceUnavailable(
        _l("Paying online is not possible at the moment. Please try again later."))
