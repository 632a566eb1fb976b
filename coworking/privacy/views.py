"""The account page's "your data" part: the download, and deleting the account."""
import json
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from coworking.accounts.forms import DeleteAccountForm
from coworking.errors import DomainError
from coworking.privacy import deletion, export, readable
from coworking.web import attach_errors, home_url

bp = Blueprint("privacy", __name__)


@bp.get("/account/export")
@login_required
def download():
    body = json.dumps(export.personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="meine-daten.json"',
        "Cache-Control": "no-store"})


@bp.get("/account/export/page")
@login_required
def readable_download():
    """The same data as the JSON download, as a page to read or print."""
    data = export.personal_data(current_user)
    account, sections, other, emails, invoices = readable.readable(data)
    return render_template("privacy/my_data.html",
                           exported_at=datetime.fromisoformat(data["exported_at"]),
                           account=account, sections=sections, other=other, emails=emails,
                           invoices=invoices), 200, {"Cache-Control": "no-store"}


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user, form.password.data)
        except DomainError as error:
            attach_errors(form, error)
            status = error.status
        else:
            logout_user()
            flash(_("Your account is deleted. Thank you for working with us."), "success")
            return redirect(home_url())
    elif form.is_submitted():
        status = 422
    return render_template("accounts/delete.html", form=form,
                           subscriptions=deletion.running_subscriptions(current_user),
                           ends=deletion.what_ends(current_user)), status
