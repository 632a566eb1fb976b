"""The JSON API v1 under /api/v1, described by /api/v1/openapi.json."""
from flask import Blueprint, request, session

from coworking.api.inputs import require_json
from coworking.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def refuse_bodies_that_are_not_json():
    require_json(request)


@bp.before_request
def protect_session_writes():
    """Token clients need no CSRF token; a browser session writing through the API does."""
    if (
        request.method in ("POST", "PUT", "PATCH", "DELETE")
        and "_user_id" in session
        and not request.headers.get("Authorization", "").lower().startswith("bearer ")
    ):
        csrf.protect()


from coworking.api import auth, bookings, spaces, openapi  # noqa: E402,F401
