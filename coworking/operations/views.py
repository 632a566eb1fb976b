"""GET /healthz, /readyz and /metrics: JSON and text for machines, never a page."""
import hmac
import ipaddress

from flask import Blueprint, current_app, jsonify, request

from coworking.operations import health, metrics
from coworking.web import NO_STORE

bp = Blueprint("operations", __name__)

# Headers a reverse proxy adds: with them and no trusted proxy, a loopback address is the
# proxy's, not the caller's.
FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


@bp.get("/healthz")
def healthz():
    """The process lives and answers; asks nothing else (the database may be down)."""
    return jsonify(status="ok"), 200, NO_STORE


@bp.get("/readyz")
def readyz():
    ready, checks = health.readiness()
    reasons = [f"{name}: {check['reason']}" for name, check in checks.items() if not check["ok"]]
    body = {"status": "ready" if ready else "not ready", "reasons": reasons, "checks": checks}
    return jsonify(body), 200 if ready else 503, NO_STORE


def _refusal():
    """Why this caller may not read the metrics, as a response; None when it may."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              token.encode()):
            return None
        return ("a bearer token is required\n", 401,
                {"WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain"})
    if _from_loopback():
        return None
    return ("only from loopback, or set METRICS_TOKEN\n", 403, {"Content-Type": "text/plain"})


def _from_loopback():
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if not address.is_loopback:
        return False
    proxied = any(name in request.headers for name in FORWARDED)
    return not proxied or current_app.config["TRUSTED_PROXIES"] > 0


@bp.get("/metrics")
def metrics_view():
    refusal = _refusal()
    if refusal is not None:
        return refusal
    body, content_type = metrics.exposition()
    return body, 200, {"Content-Type": content_type, **NO_STORE}
