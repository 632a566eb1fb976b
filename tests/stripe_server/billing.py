"""Subscriptions and their invoices, the renewals a test triggers, and Billing Portal sessions.

Shapes follow API version 2026-10-28: the billing period lives on each subscription item
(`items.data[i].current_period_end`) and an invoice names its subscription under
`parent.subscription_details.subscription`. The older top-level `current_period_*` on the
subscription and `subscription` on the invoice are kept as well, for code written against them.
"""
import calendar
from datetime import UTC, datetime, timedelta

from .payments import CARD, SEPA_DEBIT, new_payment, settle_payment
from .state import StripeError, allow, boolean, list_object, require


def period_end(anchor, recurring, periods):
    """The end of the `periods`-th period from `anchor`; months keep the anchor's day where the
    month has it (Jan 31 → Feb 28 → Mar 31), as Stripe's billing cycle does."""
    start = datetime.fromtimestamp(anchor, UTC)
    count = recurring["interval_count"] * periods
    if recurring["interval"] in ("day", "week"):
        days = count * (7 if recurring["interval"] == "week" else 1)
        return int((start + timedelta(days=days)).timestamp())
    months = start.month - 1 + count * (12 if recurring["interval"] == "year" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def start_subscription(account, customer, lines, subscription_metadata, async_payment=False):
    """What a completed subscription-mode Checkout Session leaves behind: an active
    subscription on the recurring line items, and its first invoice, paid. With
    `async_payment` (a SEPA Direct Debit) the subscription is `incomplete` and its first
    invoice open, its payment processing, until `settle_invoice`."""
    recurring = [line for line in lines if line["price"]["recurring"]]
    now = account.now()
    subscription_id = account.new_id("sub")
    subscription = account.add({
        "id": subscription_id, "object": "subscription", "billing_cycle_anchor": now,
        "cancel_at": None, "cancel_at_period_end": False, "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically", "created": now,
        "currency": lines[0]["currency"], "customer": customer["id"], "days_until_due": None,
        "default_payment_method": None, "description": None, "ended_at": None,
        "items": list_object([
            {"id": account.new_id("si", 14), "object": "subscription_item", "created": now,
             "discounts": [], "metadata": {}, "price": line["price"],
             "quantity": line["quantity"], "subscription": subscription_id, "tax_rates": [],
             "_name": line["description"]}
            for line in recurring], f"/v1/subscription_items?subscription={subscription_id}"),
        "latest_invoice": None, "metadata": subscription_metadata, "start_date": now,
        "status": "incomplete" if async_payment else "active", "trial_end": None,
        "trial_start": None, "_periods": 0, "_recurring": recurring[0]["price"]["recurring"],
        "_method": SEPA_DEBIT if async_payment else CARD})
    _set_period(subscription, now)
    account.record("customer.subscription.created", subscription)
    invoice = _bill(account, subscription, lines, "subscription_create", paid=True,
                    period=(now, now), processing=async_payment)
    return subscription, invoice


def _set_period(subscription, start):
    end = period_end(subscription["billing_cycle_anchor"], subscription["_recurring"],
                     subscription["_periods"] + 1)
    subscription.update(current_period_start=start, current_period_end=end)
    for item in subscription["items"]["data"]:
        item.update(current_period_start=start, current_period_end=end)


def _bill(account, subscription, lines, reason, *, paid, period, processing=False):
    """An invoice for the subscription's lines; paid (by card or debit), its payment failed,
    or (`processing`) its debit still on its way."""
    customer = account.objects[subscription["customer"]]
    total = sum(line["amount_total"] for line in lines)
    invoice_id = account.new_id("in")
    now = account.now()
    sequence = customer["next_invoice_sequence"]
    customer["next_invoice_sequence"] += 1
    invoice = account.add({
        "id": invoice_id, "object": "invoice", "account_country": "DE", "amount_due": total,
        "amount_paid": 0, "amount_remaining": total, "attempt_count": 0, "attempted": False,
        "auto_advance": True, "billing_reason": reason,
        "collection_method": "charge_automatically", "created": now,
        "currency": subscription["currency"], "customer": customer["id"],
        "customer_email": customer["email"], "customer_name": customer["name"],
        "description": None, "due_date": None, "ending_balance": 0,
        "hosted_invoice_url": f"{account.base_url}/invoice/{invoice_id}", "invoice_pdf": None,
        "lines": list_object([
            {"id": account.new_id("il"), "object": "line_item", "amount": line["amount_total"],
             "currency": line["currency"],
             "description": f"{line['quantity']} × {line['description']}",
             "invoice": invoice_id, "metadata": {},
             "period": {"start": subscription["current_period_start"],
                        "end": subscription["current_period_end"]},
             "parent": {"type": "subscription_item_details", "invoice_item_details": None,
                        "subscription_item_details": {"subscription": subscription["id"]}},
             "pricing": {"type": "price_details", "unit_amount_decimal":
                         line["price"]["unit_amount_decimal"],
                         "price_details": {"price": line["price"]["id"],
                                           "product": line["price"]["product"]}},
             "quantity": line["quantity"]} for line in lines],
            f"/v1/invoices/{invoice_id}/lines"),
        "metadata": {}, "next_payment_attempt": None,
        "number": f"{customer['invoice_prefix']}-{sequence:04d}",
        "parent": {"type": "subscription_details", "quote_details": None,
                   "subscription_details": {"metadata": subscription["metadata"],
                                            "subscription": subscription["id"]}},
        "period_start": period[0], "period_end": period[1], "starting_balance": 0,
        "status": "draft", "status_transitions": {
            "finalized_at": now, "marked_uncollectible_at": None, "paid_at": None,
            "voided_at": None},
        "subscription": subscription["id"], "subtotal": total, "total": total,
        "_payments": []})
    account.record("invoice.created", invoice)
    invoice["status"] = "open"
    account.record("invoice.finalized", invoice)
    subscription["latest_invoice"] = invoice_id
    _attempt(account, invoice, paid=paid, processing=processing, method=subscription["_method"])
    return invoice


def _attempt(account, invoice, *, paid, processing=False, method=CARD):
    """One payment attempt on an open invoice; a `processing` one settles later."""
    if invoice["amount_due"]:
        outcome = "processing" if processing else ("succeeded" if paid else "failed")
        intent = new_payment(account, amount=invoice["amount_due"],
                             currency=invoice["currency"], customer=invoice["customer"],
                             outcome=outcome, method=method,
                             description="Subscription creation"
                             if invoice["billing_reason"] == "subscription_create"
                             else "Subscription update")
        invoice["_payments"].append({
            "id": account.new_id("inpay"), "object": "invoice_payment",
            "amount_paid": intent["amount_received"], "amount_requested": intent["amount"],
            "created": account.now(), "currency": invoice["currency"],
            "invoice": invoice["id"], "is_default": True, "livemode": False,
            "payment": {"type": "payment_intent", "payment_intent": intent["id"]},
            "status": "paid" if paid and not processing else "open",
            "status_transitions": {"canceled_at": None,
                                   "paid_at": account.now() if paid and not processing
                                   else None}})
    invoice["attempt_count"] += 1
    invoice["attempted"] = True
    if not processing:
        _close_attempt(account, invoice, paid=paid)


def first_intent(account, invoice):
    """The PaymentIntent of the invoice's latest payment attempt, or None."""
    if not invoice["_payments"]:
        return None
    return account.objects[invoice["_payments"][-1]["payment"]["payment_intent"]]


def settle_invoice(account, invoice, intent, *, succeeded):
    """The debit of an invoice arrives or bounces. The first invoice of an incomplete
    subscription makes it active; a bounced first debit leaves it incomplete (Stripe lets it
    expire after 23 hours) and is not retried."""
    settle_payment(account, intent, succeeded=succeeded)
    record = invoice["_payments"][-1]
    if succeeded:
        record["status"] = "paid"
        record["status_transitions"]["paid_at"] = account.now()
    subscription = account.objects[invoice["subscription"]]
    incomplete = subscription["status"] == "incomplete"
    _close_attempt(account, invoice, paid=succeeded, retry=not incomplete)
    if succeeded and incomplete:
        subscription["status"] = "active"
        account.record("customer.subscription.updated", subscription, {"status": "incomplete"})
    return invoice


def _close_attempt(account, invoice, *, paid, retry=True):
    if paid:
        invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0,
                       next_payment_attempt=None)
        invoice["status_transitions"]["paid_at"] = account.now()
        account.record("invoice.paid", invoice)
        account.record("invoice.payment_succeeded", invoice)
    else:
        invoice["next_payment_attempt"] = account.now() + 3 * 86400 if retry else None
        account.record("invoice.payment_failed", invoice)


def invoice_payments(account, invoice):
    """`expand[]=payments` on an invoice: how it was paid (the PaymentIntent lives there now)."""
    return list_object(invoice["_payments"], f"/v1/invoice_payments?invoice={invoice['id']}")


def next_period(account, subscription_id, *, paid):
    """The subscription reaches its period end. Cancelled at period end: it ends. A failed
    renewal still open: this is its retry. Otherwise a new period starts with a new invoice."""
    subscription = account.get(subscription_id, "subscription")
    if subscription["status"] == "canceled":
        raise StripeError(f"Subscription {subscription_id} is canceled.")
    previous = {key: subscription[key] for key in ("status", "current_period_start",
                                                    "current_period_end", "latest_invoice")}
    if subscription["cancel_at_period_end"]:
        subscription.update(status="canceled", ended_at=subscription["current_period_end"])
        subscription["cancellation_details"]["reason"] = "cancellation_requested"
        account.record("customer.subscription.deleted", subscription)
        return subscription
    latest = account.objects[subscription["latest_invoice"]]
    if latest["status"] == "open":
        _attempt(account, latest, paid=paid)
    else:
        subscription["_periods"] += 1
        _set_period(subscription, subscription["current_period_end"])
        lines = [{"amount_total": item["price"]["unit_amount"] * item["quantity"],
                  "currency": item["price"]["currency"], "quantity": item["quantity"],
                  "description": item["_name"], "price": item["price"]}
                 for item in subscription["items"]["data"]]
        _bill(account, subscription, lines, "subscription_cycle", paid=paid,
              period=(previous["current_period_start"], previous["current_period_end"]))
    subscription["status"] = "active" if paid else "past_due"
    changed = {key: value for key, value in previous.items() if subscription[key] != value}
    account.record("customer.subscription.updated", subscription, changed)
    return subscription


def update_subscription(account, params, id):
    allow(params, "cancel_at_period_end", "metadata", "proration_behavior")
    subscription = account.get(id, "subscription")
    if subscription["status"] == "canceled":
        raise StripeError("A canceled subscription can only update its cancellation_details "
                          "and metadata.", param="cancel_at_period_end")
    previous = {key: subscription[key] for key in ("cancel_at_period_end", "cancel_at",
                                                    "canceled_at", "metadata")}
    if "cancel_at_period_end" in params:
        at_end = boolean(params["cancel_at_period_end"], "cancel_at_period_end")
        subscription.update(cancel_at_period_end=at_end,
                            cancel_at=subscription["current_period_end"] if at_end else None,
                            canceled_at=account.now() if at_end else None)
    if "metadata" in params:  # merged; an empty value removes the key
        merged = {**subscription["metadata"], **(params["metadata"] or {})}
        subscription["metadata"] = {key: value for key, value in merged.items() if value != ""}
    changed = {key: value for key, value in previous.items() if subscription[key] != value}
    if changed:
        account.record("customer.subscription.updated", subscription, changed)
    return subscription


def cancel_subscription(account, params, id):
    allow(params, "invoice_now", "prorate", "cancellation_details")
    subscription = account.get(id, "subscription")
    if subscription["status"] == "canceled":
        raise StripeError(f"This subscription has already been canceled: {id}",
                          code="resource_missing", status=404)
    now = account.now()
    subscription.update(status="canceled", canceled_at=now, ended_at=now)
    subscription["cancellation_details"]["reason"] = "cancellation_requested"
    account.record("customer.subscription.deleted", subscription)
    return subscription


def create_portal_session(account, params):
    allow(params, "customer", "return_url", "configuration", "locale", "flow_data")
    customer = account.get(require(params, "customer"), "customer", "customer")
    portal_id = account.new_id("bps")
    return account.add({
        "id": portal_id, "object": "billing_portal.session",
        "configuration": params.get("configuration") or "bpc_fake_default",
        "created": account.now(), "customer": customer["id"], "flow": None,
        "locale": params.get("locale"), "on_behalf_of": None,
        "return_url": params.get("return_url"), "url": f"{account.base_url}/portal/{portal_id}"})
