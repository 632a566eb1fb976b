"""The member's billing details: who their invoices are made out to."""
from flask import jsonify
from flask_login import current_user

from coworking.accounts import billing_service
from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import json_fields


@bp.get("/me/billing")
@login_required
def show_billing():
    return jsonify(billing_service.as_json(billing_service.billing_details_of(current_user)))


@bp.put("/me/billing")
@login_required
def put_billing():
    """Every field at once; an optional one left out is cleared. The service checks formats
    and names each bad field."""
    fields = json_fields()
    values = {name: fields.source.get(name) for name in billing_service.FIELDS}
    return jsonify(billing_service.as_json(billing_service.save(current_user, values)))
