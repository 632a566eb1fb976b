"""Registration, API tokens and the current user."""
from flask import jsonify
from flask_login import current_user

from coworking.accounts import service
from coworking.accounts.service import EMAIL_MAX, NAME_MAX, PASSWORD_MAX
from coworking.api import bp
from coworking.api.common import calendar_url, client_address, login_required
from coworking.api.inputs import json_fields


def user_json(user):
    return {"id": user.id, "email": user.email, "name": user.name, "roles": user.role_names,
            "calendar_url": calendar_url(user)}


@bp.post("/auth/register")
def register():
    fields = json_fields()
    email = fields.string("email", EMAIL_MAX + 50)
    password = fields.string("password", PASSWORD_MAX + 50)
    name = fields.string("name", NAME_MAX + 50)
    fields.raise_if_invalid()
    user = service.register(email, password, name, client_address=client_address())
    return jsonify(user_json(user)), 201


@bp.post("/auth/tokens")
def issue_token():
    fields = json_fields()
    email = fields.string("email", 1000)
    password = fields.string("password", 1000)
    fields.raise_if_invalid()
    user = service.authenticate(email, password, client_address())
    return jsonify({"token": service.issue_api_token(user)}), 201


@bp.get("/me")
@login_required
def me():
    return jsonify(user_json(current_user))
