"""Reading Stripe's objects: where API version 2026-10-28 puts a field, and where older
versions put it, so events of either shape find the same membership and period."""
from datetime import UTC, datetime


def dig(obj, *path):
    """obj[a][b]... or None where any step is missing."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def instant(epoch):
    return datetime.fromtimestamp(int(epoch), UTC) if epoch is not None else None


def positive_id(value):
    """Our row id as we put it into metadata, or None for anything else."""
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def object_id(value):
    """An expandable field: the id whether Stripe sent the id or the whole object."""
    return value.get("id") if isinstance(value, dict) else value


def subscription_period(subscription):
    """(start, end) of the current period: on the items now, top-level before 2025."""
    if not subscription:
        return None, None
    items = dig(subscription, "items", "data") or []
    for source in [*items, subscription]:
        if source.get("current_period_end") is not None:
            return (instant(source.get("current_period_start")),
                    instant(source["current_period_end"]))
    return None, None


def subscription_of_invoice(invoice):
    """The subscription an invoice bills: under `parent` now, top-level before."""
    return object_id(dig(invoice, "parent", "subscription_details", "subscription")
                     or invoice.get("subscription"))


def membership_hint(invoice, subscription=None):
    """Our membership id from the subscription's metadata, as the invoice copies it, or from
    the subscription itself."""
    return positive_id(dig(invoice, "parent", "subscription_details", "metadata",
                           "membership_id")
                       or dig(subscription, "metadata", "membership_id"))


def invoice_period(invoice):
    """(start, end) of the subscription period an invoice paid for, from its lines."""
    periods = [line["period"] for line in dig(invoice, "lines", "data") or []
               if isinstance(line.get("period"), dict) and line["period"].get("end")]
    if not periods:
        return None, None
    return (instant(min(p.get("start") or p["end"] for p in periods)),
            instant(max(p["end"] for p in periods)))
