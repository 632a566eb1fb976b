"""The operators: who runs each space and sells its plans (public), and every field of one
for admins to read and change."""
from collections import defaultdict

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from coworking import permissions
from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import json_fields
from coworking.errors import Forbidden, InvalidInput
from coworking.extensions import db
from coworking.operators import admin
from coworking.operators.admin import ADDRESS_FIELDS
from coworking.spaces.models import Space

TEXT_FIELDS = ("legal_name", "representative", "register", "tax_number", "vat_id",
               "invoice_prefix", "iban", "bic", "bank_name", "email", "phone")
# Longest text the API reads per field (the service checks the columns' own limits).
READ_MAX = 300


def _spaces_by_operator():
    slugs = defaultdict(list)
    for operator_id, slug in db.session.execute(
            select(Space.operator_id, Space.slug).order_by(Space.slug)):
        slugs[operator_id].append(slug)
    return slugs


def _address(operator):
    return {"street": operator.street, "postcode": operator.postcode, "city": operator.city,
            "country": operator.country}


def public_json(operator, spaces):
    return {"slug": operator.slug, "legal_name": operator.legal_name,
            "address": _address(operator), "email": operator.email, "phone": operator.phone,
            "spaces": spaces, "complete": operator.is_complete}


def operator_json(operator, spaces):
    return {"slug": operator.slug, "legal_name": operator.legal_name,
            "address": _address(operator), "representative": operator.representative,
            "register": operator.register, "tax_number": operator.tax_number,
            "vat_id": operator.vat_id, "tax_mode": operator.tax_mode,
            "invoice_prefix": operator.invoice_prefix or "", "iban": operator.iban,
            "bic": operator.bic, "bank_name": operator.bank_name, "email": operator.email,
            "phone": operator.phone, "revenue_accounts": operator.revenue_accounts,
            "spaces": spaces, "runs_portal": operator.runs_portal,
            "sample_data": operator.sample_data, "complete": operator.is_complete,
            "missing": operator.missing_fields()}


def _admin_only():
    if not permissions.can_manage_operators(current_user):
        raise Forbidden(_l("Only admins see and change an operator's invoice data."))


@bp.get("/operators")
def list_operators():
    spaces = _spaces_by_operator()
    return jsonify([public_json(operator, spaces[operator.id])
                    for operator in admin.all_operators()])


@bp.get("/operators/<slug>")
@login_required
def get_operator(slug):
    _admin_only()
    operator = admin.operator_to_edit(current_user, slug)
    return jsonify(operator_json(operator, _spaces_by_operator()[operator.id]))


def _given():
    """The fields the body sends, by the service's names; an absent field stays as it is,
    an unknown one is refused (a misspelt field would otherwise change nothing unnoticed)."""
    fields = json_fields()
    body = fields.source
    known = set(TEXT_FIELDS) | {"address", "tax_mode", "revenue_accounts", "sample_data"}
    for name in sorted(set(body) - known - {"slug", "spaces", "runs_portal", "complete",
                                            "missing"}):
        fields.errors[name] = [_l("There is no such field.")]
    given = {}
    for name in TEXT_FIELDS:
        if name in body:
            value = fields.string(name, READ_MAX, required=False) if body[name] is not None \
                else ""
            if name not in fields.errors:
                given[name] = value
    address = fields.object("address", required=False)
    for part in ADDRESS_FIELDS:
        if part in address:
            value = address[part]
            if value is not None and not isinstance(value, str):
                fields.errors[f"address.{part}"] = [_l("Must be a string.")]
            else:
                given[part] = value or ""
    for name in set(address) - set(ADDRESS_FIELDS):
        fields.errors[f"address.{name}"] = [_l("There is no such field.")]
    if "tax_mode" in body:
        given["tax_mode"] = fields.string("tax_mode", 30)
    if "revenue_accounts" in body:
        given["revenue_accounts"] = body["revenue_accounts"]
    if "sample_data" in body:
        given["sample_data"] = fields.boolean("sample_data")
    fields.raise_if_invalid()
    return given


@bp.put("/operators/<slug>")
@login_required
def put_operator(slug):
    _admin_only()
    admin.operator_to_edit(current_user, slug)  # 404 before the body is read
    given = _given()
    try:
        operator = admin.update_operator(current_user, slug, given)
    except InvalidInput as error:
        # The address's parts are named where the body has them.
        raise InvalidInput(error.message, errors={
            (f"address.{name}" if name in ADDRESS_FIELDS else name): messages
            for name, messages in (error.errors or {}).items()}) from None
    return jsonify(operator_json(operator, _spaces_by_operator()[operator.id]))
