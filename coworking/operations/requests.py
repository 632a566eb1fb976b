"""Every request gets an id (the caller's X-Request-ID when it is sane), is answered with it,
logged as one JSON line and counted for /metrics.

Error pages and problem details show the id, so a member's complaint leads to its line."""
import json
import logging
import re
import sys
import time
import uuid

from flask import g, request

from coworking.operations import metrics

log = logging.getLogger("coworking.requests")

HEADER = "X-Request-ID"
# What a proxy or a client may hand us: short, and nothing a log reader could be fooled by.
SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_id():
    """The current request's id, or None outside a request this module saw begin."""
    return g.get("request_id")


def _begin():
    given = request.headers.get(HEADER, "")
    g.request_id = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _user_id():
    """The signed-in user's id when the request already looked them up; finding out here
    would cost a query (and the database may be what failed)."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def _end(response):
    started = g.get("request_started")
    if started is None:
        return response
    duration = time.perf_counter() - started
    rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
    method = request.method if request.method in KNOWN_METHODS else "other"
    response.headers[HEADER] = g.request_id
    metrics.observe_request(method, rule, response.status_code, duration)
    if log.isEnabledFor(logging.INFO):
        log.info(json.dumps({
            "request_id": g.request_id, "method": method, "rule": rule,
            "status": response.status_code, "duration_ms": round(duration * 1000, 1),
            "user_id": _user_id(),
        }))
    return response


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written, not when it was made."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def _configure_logger(enabled):
    """One JSON object per line on stderr (gunicorn's error log), and only there."""
    log.setLevel(logging.INFO if enabled else logging.WARNING)
    if not any(isinstance(handler, _Stderr) for handler in log.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False


def register(app):
    _configure_logger(app.config["REQUEST_LOG"])
    # First in and last out: the id exists before any other hook can fail, and the duration
    # covers the others' work.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request_funcs.setdefault(None, []).insert(0, _end)
