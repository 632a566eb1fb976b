"""Paying online as the pages and the API ask for it: is Stripe on, start a Checkout, give a
payment back, and end a subscription at its period's end.

`OnlinePayments` is the interface; the billing package implements it (`billing.online`) and
`create_app` plugs it in once, so the membership, booking and contract modules, which rank
below billing, pay online through this module without importing billing.
"""
from datetime import datetime
from typing import Protocol


class OnlinePayments(Protocol):
    def enabled(self) -> bool:
        """Whether payments can be made online at all (Stripe keys are set)."""

    def start_checkout(self, payment_id: int, success_url: str, cancel_url: str):
        """The payment with its `checkout_url`; a DomainError when Stripe cannot be reached."""

    def refund(self, payment_intent_id: str, idempotency_key: str) -> object:
        """All of a payment given back; a DomainError when Stripe cannot be reached."""

    def end_subscription_at_period_end(self, subscription_id: str,
                                       idempotency_key: str) -> datetime | None:
        """The end of its paid period once Stripe has set it to cancel then (None when
        Stripe does not say); a DomainError when Stripe cannot be reached."""


_provider: OnlinePayments | None = None


def plug_in(provider: OnlinePayments) -> None:
    global _provider
    _provider = provider


def _plugged() -> OnlinePayments:
    if _provider is None:
        raise RuntimeError("no online payments plugged in (create_app plugs in billing's)")
    return _provider


def enabled() -> bool:
    return _plugged().enabled()


def start_checkout(payment_id, success_url, cancel_url):
    return _plugged().start_checkout(payment_id, success_url, cancel_url)


def refund(payment_intent_id, idempotency_key):
    return _plugged().refund(payment_intent_id, idempotency_key)


def end_subscription_at_period_end(subscription_id, idempotency_key):
    return _plugged().end_subscription_at_period_end(subscription_id, idempotency_key)
