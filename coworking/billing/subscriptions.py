"""What a subscription's invoices and changes do to its membership: paid (also before its
Checkout Session is reported complete), failed, changed in the portal, or deleted; and
ending one at its period's end when its member cancels it here."""
from coworking.billing import gateway, shapes
from coworking.memberships import payments


def prefetch_paid_invoice(invoice):
    """The subscription, when the invoice does not say which membership or period it is for
    (older shapes, or an invoice without subscription lines)."""
    subscription_id = shapes.subscription_of_invoice(invoice)
    if subscription_id and (shapes.membership_hint(invoice) is None
                            or shapes.invoice_period(invoice)[1] is None):
        return {"subscription": gateway.retrieve_subscription(subscription_id)}
    return {}


def prefetch_failed_invoice(invoice):
    """The invoice as it is now: a failure reported late must not undo a payment since."""
    return {"invoice": gateway.retrieve_invoice(invoice["id"])}


def prefetch_subscription(subscription):
    """The subscription as it is now, so changes applied out of order end in Stripe's state."""
    try:
        return {"subscription": gateway.retrieve_subscription(subscription["id"])}
    except gateway.InvalidRequest:
        return {}


def _membership(subscription_id, hint):
    """Ours by the subscription id we stored, else by the membership id we gave Stripe in the
    subscription's metadata (an invoice may be paid before Checkout reports complete)."""
    if not subscription_id:
        return None
    membership = payments.lock_membership_by_subscription(subscription_id)
    if membership is None and hint is not None:
        candidate = payments.lock_membership(hint)
        if candidate is not None and candidate.plan.kind.is_subscription \
                and candidate.stripe_subscription_id in (None, subscription_id):
            membership = candidate
    return membership


def invoice_paid(event_type, invoice, fetched, now):
    subscription_id = shapes.subscription_of_invoice(invoice)
    if not subscription_id:
        return "ignored: not a subscription's invoice"
    subscription = fetched.get("subscription")
    membership = _membership(subscription_id, shapes.membership_hint(invoice, subscription))
    if membership is None:
        return "unknown subscription"
    payments.link_stripe(membership, shapes.object_id(invoice.get("customer")), subscription_id)
    start, end = shapes.invoice_period(invoice)
    if end is None:
        start, end = shapes.subscription_period(subscription)
    return payments.subscription_paid(
        membership, now, invoice_id=invoice["id"], amount_cents=invoice.get("amount_paid") or 0,
        currency=invoice.get("currency") or membership.plan.currency, period_start=start,
        period_end=end, first=invoice.get("billing_reason") == "subscription_create")


def invoice_payment_failed(event_type, invoice, fetched, now):
    if (fetched.get("invoice") or invoice).get("status") == "paid":
        return "invoice paid since"
    subscription_id = shapes.subscription_of_invoice(invoice)
    membership = _membership(subscription_id, shapes.membership_hint(invoice)) \
        if subscription_id else None
    if membership is None:
        return "unknown subscription"
    return payments.subscription_payment_failed(
        membership, now, invoice_id=invoice["id"], amount_cents=invoice.get("amount_due") or 0,
        currency=invoice.get("currency") or membership.plan.currency,
        first=invoice.get("billing_reason") == "subscription_create")


def subscription_changed(event_type, subscription, fetched, now):
    current = fetched.get("subscription") or subscription
    membership = _membership(current["id"],
                             shapes.positive_id(shapes.dig(current, "metadata", "membership_id")))
    if membership is None:
        return "unknown subscription"
    payments.link_stripe(membership, shapes.object_id(current.get("customer")), current["id"])
    if event_type == "customer.subscription.deleted" or current.get("status") == "canceled":
        return payments.subscription_ended(membership, now)
    return payments.update_subscription(
        membership, now, status=current.get("status"),
        period_end=shapes.subscription_period(current)[1],
        cancel_at_period_end=current.get("cancel_at_period_end"))


def end_at_period_end(subscription_id, idempotency_key):
    """Tell Stripe to end the subscription when its paid period does; returns that end.
    One that Stripe has ended already ends when it did. Called outside any unit of work."""
    try:
        subscription = gateway.cancel_subscription_at_period_end(subscription_id,
                                                                 idempotency_key)
    except gateway.InvalidRequest:
        subscription = _ended_already(subscription_id)
    except (gateway.StripeError, gateway.ProviderUnreachable) as error:
        gateway.log.warning("ending subscription %s failed: %s", subscription_id, error)
        raise gateway.ProviderUnreachable() from None
    if subscription.get("ended_at"):
        return shapes.instant(subscription["ended_at"])
    return shapes.subscription_period(subscription)[1]


def _ended_already(subscription_id):
    try:
        subscription = gateway.retrieve_subscription(subscription_id)
    except gateway.StripeError:
        raise gateway.ProviderUnreachable() from None
    if subscription.get("status") not in ("canceled", "incomplete_expired"):
        raise gateway.ProviderUnreachable()
    return subscription
