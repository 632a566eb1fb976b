"""Hosts collect what members pay on site: plans bought at their space and day passes of
bookings there, each confirmed with one button. A full host day page comes later."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import permissions
from coworking.bookings import day_pass
from coworking.bookings.forms import ConfirmPaymentForm
from coworking.errors import DomainError
from coworking.memberships import holdings, service as memberships

bp = Blueprint("host", __name__, url_prefix="/host")


@bp.get("/payments")
@login_required
def payments_due():
    if not permissions.hosts_any_space(current_user):
        abort(403)
    return render_template("host/payments.html",
                           plans_due=holdings.membership_payments_to_collect(current_user),
                           day_passes=day_pass.to_collect(current_user),
                           confirm_form=ConfirmPaymentForm())


def _confirmed(confirm, object_id, message):
    """Run `confirm`; not the host's to confirm is an error page (403/404), as in the API."""
    if ConfirmPaymentForm().validate_on_submit():
        try:
            confirm(current_user, object_id)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            flash(str(error.message), "error")
        else:
            flash(message, "success")
    return redirect(url_for("host.payments_due"))


@bp.post("/memberships/<int:membership_id>/confirm-payment")
@login_required
def confirm_membership(membership_id):
    return _confirmed(memberships.confirm_payment_on_site, membership_id,
                      _("Payment confirmed: the membership is active."))


@bp.post("/bookings/<int:booking_id>/confirm-payment")
@login_required
def confirm_day_pass(booking_id):
    return _confirmed(day_pass.confirm_on_site, booking_id,
                      _("Payment confirmed: the day pass is paid."))
