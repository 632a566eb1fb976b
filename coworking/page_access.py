"""Blueprints whose every page is for some users only, checked on the server before each
request: the sign-in page for someone signed out, 403 for anyone the rule does not admit."""
from flask import abort
from flask_login import current_user

from coworking.extensions import login_manager


def only_for(blueprint, may):
    """Admit to every page of `blueprint` only the users `may(user)` says yes to."""

    @blueprint.before_request
    def _admitted():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may(current_user):
            abort(403)
        return None

    return _admitted
