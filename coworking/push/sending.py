"""Web Push through the outbox: `notify` writes one message per device of a member in the
unit of work of the change that causes it; after the commit the worker encrypts it for that
device (RFC 8291), signs it (VAPID, RFC 8292) and posts it to the device's push service.

A push service that answers 404 or 410 has forgotten the device: the subscription is dropped
and the message is done. One that is down (no answer, 429, 5xx) makes its message wait for a
retry with the outbox's back-off, and for a minute the worker does not try that service again
in this process: its other messages wait at once instead of each waiting out the timeout, so
e-mail and other devices' messages in the same pass go out without delay.
"""
import json
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import force_locale
from pywebpush import WebPushException, webpush
from sqlalchemy import select

from coworking import clock, outbox
from coworking.extensions import db
from coworking.push import keys, service
from coworking.push.endpoints import PrivateAddress, session_for
from coworking.push.models import PushSubscription

log = logging.getLogger(__name__)

TOPIC = "push"
# How long a push service keeps a message for a device that is off, unless the message says.
DEFAULT_TTL = timedelta(days=1)
# How long a push service that failed is left alone by this worker.
PAUSE_AFTER_FAILURE = timedelta(minutes=1)
TITLE_MAX, BODY_MAX = 120, 600

_paused_until = {}


class PushServiceDown(RuntimeError):
    """The push service did not take the message; it waits for the next attempt."""


def _text(value, limit):
    text = str(value() if callable(value) else value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def notify(user, title, body, url, tag=None, expires_at=None, urgent=False):
    """Queue a notification to every device `user` turned notifications on for; call inside
    the unit of work of its cause, like an e-mail. `title` and `body` may be functions, so
    they are written in the member's language; `url` opens when the member taps it; `tag`
    lets a newer notification replace an older one of the same thing; after `expires_at` it
    is not worth showing any more (an offer that lapsed). Returns the outbox messages."""
    if not keys.configured() or user is None:
        return []
    subscriptions = db.session.scalars(
        select(PushSubscription.id).where(PushSubscription.user_id == user.id)).all()
    if not subscriptions:
        return []
    language = getattr(user, "language", None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        content = {"title": _text(title, TITLE_MAX), "body": _text(body, BODY_MAX),
                   "url": url, "tag": tag, "lang": language}
    until = expires_at.isoformat() if expires_at is not None else None
    return [outbox.enqueue(TOPIC, {"subscription_id": subscription_id, "message": content,
                                   "expires_at": until, "urgent": bool(urgent)})
            for subscription_id in subscriptions]


def _origin(endpoint):
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def _pause(origin, now, seconds=None):
    _paused_until[origin] = now + (timedelta(seconds=seconds) if seconds else PAUSE_AFTER_FAILURE)


def _retry_after(error):
    value = error.retry_after
    return int(value) if value and str(value).isdigit() else None


def deliver(payload):
    now = clock.utcnow()
    expires_at = datetime.fromisoformat(payload["expires_at"]) if payload.get("expires_at") else None
    if expires_at is not None and expires_at <= now:
        return  # nobody can act on it any more
    subscription = db.session.get(PushSubscription, payload["subscription_id"])
    if subscription is None:
        return  # turned off, or dropped since it was written
    info, subscription_id = subscription.info(), subscription.id
    db.session.rollback()  # the read is done; nothing is held while the service answers
    origin = _origin(info["endpoint"])
    paused = _paused_until.get(origin)
    if paused is not None and paused > now:
        raise PushServiceDown(f"{origin} failed a moment ago; trying again later")
    ttl = (expires_at - now) if expires_at is not None else DEFAULT_TTL
    try:
        webpush(info, data=json.dumps(payload["message"], ensure_ascii=False),
                vapid_private_key=keys.signer(), vapid_claims=keys.claims(),
                ttl=max(int(ttl.total_seconds()), 0),
                timeout=current_app.config["PUSH_TIMEOUT_SECONDS"],
                headers={"Urgency": "high" if payload.get("urgent") else "normal"},
                requests_session=session_for(info["endpoint"]))
    except WebPushException as error:
        status = error.status_code
        if status in (404, 410):
            log.info("push subscription %s is gone (%s): dropped", subscription_id, status)
            service.drop(subscription_id)
            return
        if status is None or status == 429 or status >= 500:
            _pause(origin, now, _retry_after(error))
        raise PushServiceDown(f"{origin} answered {status}") from None
    except (requests.RequestException, PrivateAddress, OSError) as error:
        _pause(origin, now)
        raise PushServiceDown(f"{origin} unreachable: {type(error).__name__}") from None
    outbox.accepted()
    service.sent(subscription_id)
