"""Pages for some users only, checked on the server before each request: the sign-in page for
someone signed out, 403 for anyone the rule does not admit. `only_for` guards every page of a
blueprint, `only` one page of a blueprint whose other pages are public."""
from functools import wraps

from flask import abort
from flask_login import current_user

from coworking.extensions import login_manager


def _refusal(may):
    """The answer for someone `may(user)` does not admit, or None."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not may(current_user):
        abort(403)
    return None


def only_for(blueprint, may):
    """Admit to every page of `blueprint` only the users `may(user)` says yes to."""

    @blueprint.before_request
    def _admitted():
        return _refusal(may)

    return _admitted


def only(may):
    """Admit to the page this decorates only the users `may(user)` says yes to."""

    def guard(view):
        @wraps(view)
        def admitted(*args, **kwargs):
            refused = _refusal(may)
            return refused if refused is not None else view(*args, **kwargs)

        return admitted

    return guard
