"""Registration, API tokens, password resets and the current user."""
from zoneinfo import ZoneInfo

from flask import current_app, jsonify, request
from flask_login import current_user

from coworking.accounts import devices, passwords, service
from coworking.accounts.service import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, TOKEN_NAME_MAX
from coworking.api import bp
from coworking.api.common import calendar_url, client_address, login_required
from coworking.api.inputs import json_fields
from coworking.clock import iso_local


def user_json(user):
    return {"id": user.id, "email": user.email, "name": user.name, "roles": user.role_names,
            "calendar_url": calendar_url(user)}


def _account_time(instant):
    """Account times belong to no space, so they are shown in the programme's own zone."""
    if instant is None:
        return None
    return iso_local(instant, ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def token_json(token):
    return {"id": token.id, "name": token.name, "created_at": _account_time(token.created_at),
            "last_used_at": _account_time(token.last_used_at),
            "expires_at": _account_time(token.expires_at)}


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
    name = fields.string("name", TOKEN_NAME_MAX, required=False)
    fields.raise_if_invalid()
    # A browser that signed in through the web before gets in during a lockout here too.
    device = devices.read(request.cookies.get(devices.COOKIE_NAME))
    user = service.authenticate(email, password, client_address(), known_device=device)
    secret, token = service.create_api_token(user, name)
    return jsonify({"token": secret, "id": token.id, "name": token.name,
                    "expires_at": _account_time(token.expires_at)}), 201


@bp.post("/auth/password-reset")
def request_password_reset():
    """202 whether an account has the address or not: the answer reveals nothing."""
    fields = json_fields()
    email = fields.string("email", EMAIL_MAX + 50)
    fields.raise_if_invalid()
    passwords.request_reset(email, client_address())
    return "", 202


@bp.post("/auth/password-reset/confirm")
def confirm_password_reset():
    fields = json_fields()
    token = fields.string("token", 1000)
    password = fields.string("password", PASSWORD_MAX + 50)
    fields.raise_if_invalid()
    passwords.reset(token, password)
    return "", 204


@bp.get("/me")
@login_required
def me():
    return jsonify(user_json(current_user))


@bp.get("/me/tokens")
@login_required
def list_tokens():
    return jsonify([token_json(token) for token in service.api_tokens_of(current_user)])


@bp.delete("/me/tokens/<int:token_id>")
@login_required
def revoke_token(token_id):
    """Revoking a token twice answers 404 the second time: it is no longer in the list."""
    service.revoke_api_token(current_user, token_id)
    return "", 204
