"""Webhook deliveries as Stripe makes them: the Event JSON, its `Stripe-Signature` header, and
the POST to the app (a URL, or a Flask test client)."""
import json
import urllib.error
import urllib.request
from typing import NamedTuple

from stripe import WebhookSignature

WEBHOOK_PATH = "/webhooks/stripe"


class Delivery(NamedTuple):
    """The app's answer to a webhook POSTed over HTTP."""
    status_code: int
    text: str


def signed(event, secret, timestamp):
    """The body Stripe would POST (pretty-printed, as Stripe sends it) and its headers. The
    signature is the library's own: HMAC-SHA256 over f"{t}.{body}", sent as `t=…,v1=…`."""
    payload = event if isinstance(event, str) else json.dumps(event, indent=2)
    header = WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return payload, {"Stripe-Signature": header,
                     "Content-Type": "application/json; charset=utf-8",
                     "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"}


def post(target, payload, headers, path=WEBHOOK_PATH):
    """POST to a URL (returns a Delivery) or through a Flask test client to `path` (returns
    the test client's response). Both answers have `.status_code`."""
    if not isinstance(target, str):
        return target.post(path, data=payload.encode(), headers=headers)
    request = urllib.request.Request(target, data=payload.encode(), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Delivery(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Delivery(error.code, error.read().decode())
