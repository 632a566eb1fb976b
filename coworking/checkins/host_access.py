"""The space a host's page is about, for hosts the rule admits only: 403 for anyone else."""
from flask import abort
from flask_login import current_user

from coworking.spaces.service import get_space


def space_for_host(slug, may):
    """The space `slug` names (404 when none), if `may(user, space_id)` admits the user."""
    space = get_space(slug)
    if not may(current_user, space.id):
        abort(403)
    return space
