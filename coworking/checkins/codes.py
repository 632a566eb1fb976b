"""The self check-in code of a space for a local date.

Derived with a keyed hash (HMAC-SHA256 under SECRET_KEY) from the space and the date in the
space's own zone, so it rotates at local midnight and nothing needs storing. Letters and
digits that are easy to tell apart and to type, for people who read it off the poster.
"""
import hashlib
import hmac
from datetime import date

from flask import current_app

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 6


def daily_code(space, day: date):
    key = current_app.config["SECRET_KEY"].encode()
    message = f"checkin:{space.id}:{space.slug}:{day.isoformat()}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])


def normalise(code):
    """What a member typed, as the code is written: capitals, no blanks or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def matches(space, day: date, code):
    # As bytes: compare_digest takes no str with letters beyond ASCII, and people type those.
    return hmac.compare_digest(normalise(code).encode(), daily_code(space, day).encode())
