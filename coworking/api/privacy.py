"""The member's own data: research consent, everything held about them, deleting the account."""
from flask import jsonify
from flask_login import current_user, logout_user

from coworking.accounts import research_profile
from coworking.accounts.service import PASSWORD_MAX
from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import json_fields
from coworking.privacy import deletion, export


@bp.get("/me/research")
@login_required
def show_research():
    """Not in the design's table: what `PUT /me/research` set, to show it again."""
    return jsonify(research_profile.profile_of(current_user).as_json())


@bp.put("/me/research")
@login_required
def put_research():
    fields = json_fields()
    consent = fields.boolean("consent")
    answers = fields.object("profile", required=False)
    fields.raise_if_invalid()
    return jsonify(research_profile.set_research(current_user, consent, answers).as_json())


@bp.get("/me/export")
@login_required
def export_me():
    response = jsonify(export.personal_data(current_user))
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/me")
@login_required
def delete_me():
    fields = json_fields()
    password = fields.string("password", PASSWORD_MAX + 50)
    fields.raise_if_invalid()
    deletion.delete_account(current_user, password)
    logout_user()
    return "", 204
