"""The `/v1` endpoints the app uses, Stripe's form encoding read back into nested params,
`expand[]`, and JSON answers."""
import json

from werkzeug.wrappers import Response

from . import billing, checkout, payments
from .state import API_VERSION, StripeError, allow, public


def _retrieve(kind):
    def retrieve(account, params, id):
        allow(params)
        return account.get(id, kind)
    return retrieve


def _session_line_items(account, params, id):
    return checkout.line_items(account, account.get(id, "checkout.session", "session"))


API = {
    ("POST", "/v1/customers"): payments.create_customer,
    ("GET", "/v1/customers/<id>"): _retrieve("customer"),
    ("POST", "/v1/prices"): payments.create_price,
    ("GET", "/v1/prices/<id>"): _retrieve("price"),
    ("GET", "/v1/products/<id>"): _retrieve("product"),
    ("POST", "/v1/checkout/sessions"): checkout.create_session,
    ("GET", "/v1/checkout/sessions"): checkout.list_sessions,
    ("GET", "/v1/checkout/sessions/<id>"): _retrieve("checkout.session"),
    ("GET", "/v1/checkout/sessions/<id>/line_items"): _session_line_items,
    ("POST", "/v1/checkout/sessions/<id>/expire"): checkout.expire_session,
    ("GET", "/v1/subscriptions/<id>"): _retrieve("subscription"),
    ("POST", "/v1/subscriptions/<id>"): billing.update_subscription,
    ("DELETE", "/v1/subscriptions/<id>"): billing.cancel_subscription,
    ("GET", "/v1/invoices/<id>"): _retrieve("invoice"),
    ("POST", "/v1/billing_portal/sessions"): billing.create_portal_session,
    ("POST", "/v1/refunds"): payments.create_refund,
    ("GET", "/v1/refunds/<id>"): _retrieve("refund"),
    ("GET", "/v1/payment_intents/<id>"): _retrieve("payment_intent"),
    ("GET", "/v1/charges/<id>"): _retrieve("charge"),
    ("GET", "/v1/events/<id>"): _retrieve("event"),
}

# Fields computed on request rather than stored as an id.
_INCLUDABLE = {("checkout.session", "line_items"): checkout.line_items,
               ("invoice", "payments"): billing.invoice_payments}


def decode(form):
    """`metadata[plan]=day`, `line_items[0][price]=…`, `expand[0]=…` or `expand[]=…` back into
    nested dicts and lists, as Stripe reads them."""
    root = {}
    for key, value in form.items(multi=True):
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeError(f"Invalid array: {key}", param=key)
        node[parts[-1] or str(len(node))] = value
    return _lists(root)


def _lists(value, key=None):
    if not isinstance(value, dict):
        return value
    value = {k: _lists(v, k) for k, v in value.items()}
    if value and key != "metadata" and all(k.isdigit() for k in value):
        return [value[k] for k in sorted(value, key=int)]
    return value


def expanded(account, stored, paths):
    """The public form of `stored` with each `expand[]` path (`subscription`,
    `subscription.latest_invoice`, `data.payment_intent` on lists) replaced by its object."""
    if isinstance(paths, str):
        paths = [paths]
    result = public(stored)
    for path in paths:
        _expand(account, result, stored, path.split("."), path)
    return result


def _expand(account, result, stored, parts, path):
    field, rest = parts[0], parts[1:]
    if field == "data" and stored.get("object") == "list":
        for result_item, stored_item in zip(result["data"], stored["data"]):
            if rest:
                _expand(account, result_item, stored_item, rest, path)
        return
    includable = _INCLUDABLE.get((stored.get("object"), field))
    value = stored.get(field)
    if includable:
        target = includable(account, stored)
        result[field] = public(target)
    elif isinstance(value, str) and value in account.objects:
        target = account.objects[value]
        result[field] = public(target)
    elif isinstance(value, dict):
        target = value
    elif value is None and field in stored:
        return  # an empty expandable field stays null
    else:
        raise StripeError(f"This property cannot be expanded ({path}).", param="expand")
    if rest:
        _expand(account, result[field], target, rest, path)


def json_response(body, status, request_id=None, *, replayed=False):
    headers = {"Stripe-Version": API_VERSION}
    if request_id:
        headers["Request-Id"] = request_id
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    if status >= 500:
        headers["Stripe-Should-Retry"] = "false"  # a retry would fail the same way
    return Response(json.dumps(body, indent=2), status=status, headers=headers,
                    mimetype="application/json")
