"""The Stripe Customer Portal for a member's subscription."""
from flask import jsonify, url_for
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import login_required
from coworking.billing.portal import open_portal


@bp.post("/memberships/<int:membership_id>/portal")
@login_required
def membership_portal(membership_id):
    url = open_portal(current_user, membership_id, url_for("accounts.account", _external=True))
    return jsonify({"url": url}), 201
