"""The server's VAPID identity (RFC 8292): the key pair push services know this site by, and
the member devices' keys as the browser gives them."""
import base64

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid

from config import vapid_public_key_of as public_key_of  # noqa: F401  (one derivation)


def b64url_decode(text):
    text = text.strip().rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def configured():
    """Whether this site sends Web Push at all: only with both keys (config.py checks them)."""
    config = current_app.config
    return bool(config.get("VAPID_PRIVATE_KEY") and config.get("VAPID_PUBLIC_KEY"))


def public_key():
    """What a browser subscribes with (`applicationServerKey`), or None when not configured."""
    return current_app.config["VAPID_PUBLIC_KEY"].strip().rstrip("=") if configured() else None


def signer():
    return Vapid.from_raw(current_app.config["VAPID_PRIVATE_KEY"].strip().rstrip("=").encode())


def claims():
    """The claims of one signature; pywebpush adds `aud` (the endpoint's origin) and `exp`
    to the very dict it gets, so every message needs a fresh one."""
    return {"sub": current_app.config["VAPID_SUBJECT"] or "mailto:coworking@localhost"}


def device_key_problem(p256dh):
    """Why `p256dh` is not a P-256 public key in uncompressed form, or None."""
    try:
        raw = b64url_decode(p256dh)
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "p256dh"
    return None


def auth_secret_problem(auth):
    try:
        return None if len(b64url_decode(auth)) == 16 else "auth"
    except ValueError:
        return "auth"
