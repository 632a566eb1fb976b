"""The admins' operator pages: every operator with its readiness to go public
(`/admin/operators`), a new operator, and the edit page of one (`/admin/operators/<slug>`)."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coworking import permissions
from coworking.errors import DomainError
from coworking.management import readiness
from coworking.management.operator_forms import NewOperatorForm, OperatorForm, country_choices
from coworking.operators import admin
from coworking.operators.admin import ACCOUNT
from coworking.page_access import only_for
from coworking.web import attach_errors

bp = Blueprint("operator_admin", __name__, url_prefix="/admin/operators")


only_for(bp, permissions.can_manage_operators)


@bp.get("")
def index():
    return render_template("manage/admin/operators.html", operators=readiness.of_operators(),
                           site=readiness.of_site(current_app.config))


def _attach(form, error):
    """Each message beside its field; the revenue accounts' beside the account typed wrong."""
    for rate in ("1900", "700", "0"):
        field = getattr(form, f"account_{rate}")
        if "revenue_accounts" in (error.errors or {}) and not ACCOUNT.match(
                (field.data or "").strip() or "0000"):
            field.errors = list(error.errors["revenue_accounts"])
    attach_errors(form, error)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewOperatorForm()
    form.country.choices = country_choices()
    if not form.is_submitted():
        form.country.data, form.tax_mode.data = "DE", "standard"
        for rate, account in (("1900", "8400"), ("700", "8300"), ("0", "8200")):
            getattr(form, f"account_{rate}").data = account
    elif form.validate():
        try:
            operator = admin.create_operator(current_user, form.slug.data, form.given({}))
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("%(name)s is added. Choose it as the operator of its spaces and the "
                    "seller of its plans.", name=operator.name), "success")
            return redirect(url_for("operator_admin.index", _anchor=operator.slug))
    return render_template("manage/admin/operator_form.html", form=form, operator=None), \
        422 if form.is_submitted() else 200


@bp.route("/<slug>", methods=["GET", "POST"])
def edit(slug):
    operator = admin.operator_to_edit(current_user, slug)
    form = OperatorForm()
    form.country.choices = country_choices()
    if not form.is_submitted():
        form.fill(operator)
    elif form.validate():
        try:
            admin.update_operator(current_user, slug, form.given(operator.revenue_accounts))
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("%(name)s is saved. Invoices issued from now on carry the new data; "
                    "those issued before stay as they are.", name=operator.name), "success")
            return redirect(url_for("operator_admin.index", _anchor=operator.slug))
    return render_template("manage/admin/operator_form.html", form=form, operator=operator,
                           missing=admin.missing_labels(operator)), \
        422 if form.is_submitted() else 200
