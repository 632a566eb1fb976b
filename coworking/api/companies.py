"""Company accounts over the API: opening one, inviting an employee, joining, and the days
used per employee that the company's admin sees."""
from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking import links
from coworking.api import bp
from coworking.api.common import login_required, programme_time
from coworking.api.inputs import json_fields
from coworking.companies import service
from coworking.errors import InvalidInput
from coworking.invoicing.service import parse_month


@bp.post("/companies")
@login_required
def open_company():
    fields = json_fields()
    name = fields.string("name", service.NAME_MAX)
    billing = fields.object("billing")
    fields.raise_if_invalid()
    company = service.open_company(current_user, name, billing)
    return jsonify({"id": company.id, "name": company.name}), 201


@bp.post("/companies/<int:company_id>/invitations")
@login_required
def invite(company_id):
    fields = json_fields()
    email = fields.string("email", 254)
    fields.raise_if_invalid()
    secret, invitation = service.invite(current_user, company_id, email)
    return jsonify({"url": links.external_url("companies.invitation", token=secret),
                    "expires_at": programme_time(invitation.expires_at)}), 201


@bp.post("/companies/join")
@login_required
def join():
    fields = json_fields()
    token = fields.string("token", 200)
    fields.raise_if_invalid()
    company = service.join(current_user, token)
    return jsonify({"id": company.id, "name": company.name}), 200


@bp.get("/companies/<int:company_id>/usage")
@login_required
def usage(company_id):
    span = parse_month(request.args.get("month"))
    if span is None:
        raise InvalidInput(_l("Not a month in the form YYYY-MM."), field="month")
    _company, rows = service.usage(current_user, company_id, *span)
    return jsonify({"month": span[0].strftime("%Y-%m"), "members": rows})
