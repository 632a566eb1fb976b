"""Browsers that signed in before: their owner gets in while strangers' guesses are held back.

A successful sign-in leaves a signed cookie that names the browser and the users who signed
in with it. Failed sign-ins from such a browser count against that browser, not against the
account, so someone guessing a member's password cannot lock the member out.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "known_device"
MAX_AGE = timedelta(days=365)
MAX_USERS = 5  # a shared computer remembers the last few people who signed in on it


class KnownDevice:
    """What a valid cookie says: the browser's own id and whom it knows."""

    def __init__(self, device_id, users):
        self.device_id = device_id
        self._users = users  # user id (str) -> password fingerprint

    def knows(self, user):
        return hmac.compare_digest(self._users.get(str(user.id), ""), _fingerprint(user))

    def with_user(self, user):
        users = {uid: mark for uid, mark in self._users.items() if uid != str(user.id)}
        users[str(user.id)] = _fingerprint(user)
        return KnownDevice(self.device_id, dict(list(users.items())[-MAX_USERS:]))


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def _fingerprint(user):
    """Changes with the password, so a new password forgets the browsers the old one knew."""
    key = current_app.secret_key.encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def read(cookie_value):
    """The known device a request's cookie names, or None when it is missing, forged or old."""
    if not cookie_value:
        return None
    try:
        data = _serializer().loads(cookie_value, max_age=MAX_AGE.total_seconds())
    except BadSignature:
        return None
    if not (isinstance(data, dict) and isinstance(data.get("d"), str)
            and isinstance(data.get("u"), dict)):
        return None
    return KnownDevice(data["d"], {str(k): str(v) for k, v in data["u"].items()})


def remember(response, user, device=None):
    """After a successful sign-in: this browser is known for `user` for another year."""
    device = (device or KnownDevice(secrets.token_urlsafe(16), {})).with_user(user)
    value = _serializer().dumps({"d": device.device_id, "u": device._users})
    response.set_cookie(COOKIE_NAME, value, max_age=int(MAX_AGE.total_seconds()), httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
