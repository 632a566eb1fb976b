"""The JSON API v1 under /api/v1, described by /api/v1/openapi.json."""
from flask import Blueprint, request
from flask_login import current_user

from coworking.accounts.loaders import authenticated_by_token
from coworking.api.inputs import require_json
from coworking.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def refuse_bodies_that_are_not_json():
    require_json(request)


@bp.before_request
def protect_session_writes():
    """A write the browser session authenticates needs a CSRF token; one a valid API token
    authenticates does not, since a browser never adds that token to a forged request."""
    if (
        request.method in ("POST", "PUT", "PATCH", "DELETE")
        and current_user.is_authenticated
        and not authenticated_by_token()
    ):
        csrf.protect()


from coworking.api import (  # noqa: E402,F401
    auth,
    billing,
    bookings,
    calendars,
    checkins,
    companies,
    contracts,  # noqa: E402,F401
    invoices,  # noqa: E402,F401
    me_billing,
    memberships,
    openapi,
    operators,
    privacy,
    push,
    research,
    schedules,  # noqa: E402,F401
    space_events,
    spaces,
)
