"""Online payments through Stripe: the implementation of `coworking.online_payments`."""
from coworking.billing import checkout, gateway, subscriptions


class StripePayments:
    """Checkout for a plan or a booking's day pass, refunds, and subscriptions ended at the
    end of their period."""

    def enabled(self):
        return gateway.stripe_enabled()

    def start_checkout(self, payment_id, success_url, cancel_url):
        return checkout.start_checkout(payment_id, success_url, cancel_url)

    def refund(self, payment_intent_id, idempotency_key):
        try:
            return gateway.create_refund(payment_intent_id, idempotency_key)
        except gateway.StripeError as error:
            raise gateway.ProviderUnreachable() from error

    def end_subscription_at_period_end(self, subscription_id, idempotency_key):
        return subscriptions.end_at_period_end(subscription_id, idempotency_key)
