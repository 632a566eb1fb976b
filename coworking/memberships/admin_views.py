"""The admins' plan editor: list, create, change and retire plans."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coworking import permissions
from coworking.errors import DomainError
from coworking.memberships import admin
from coworking.memberships.forms import PlanForm, RetireForm
from coworking.operators.admin import all_operators
from coworking.page_access import only_for
from coworking.spaces.service import list_spaces
from coworking.web import attach_errors

bp = Blueprint("plan_admin", __name__, url_prefix="/admin/plans")


only_for(bp, permissions.can_manage_plans)


def _draft(form, kind=None):
    return admin.PlanDraft(
        name=form.name.data, kind=kind, description=form.description.data or "",
        name_en=form.name_en.data or "", description_en=form.description_en.data or "",
        price_cents=form.price_cents.data, vat_basis_points=form.vat_basis_points.data,
        credits=form.credits.data, validity_days=form.validity_days.data,
        days_per_month=form.days_per_month.data, meeting_room_hours=form.meeting_room_hours.data,
        all_spaces=form.all_spaces.data, space_ids=list(form.space_ids.data or ()),
        once_per_member=form.once_per_member.data, stripe_price_id=form.stripe_price_id.data,
        seller_id=form.seller_id.data or None)


def _with_spaces(form, automatic=True):
    form.space_ids.choices = [SelectChoice(space.id, space.name) for space in list_spaces(drafts=True)]
    form.seller_id.choices = ([SelectChoice(0, _("The operator of the one space it covers, "
                                                 "else the programme office"))]
                              if automatic else []) + [
        SelectChoice(operator.id, operator.name) for operator in all_operators()]
    return form


@bp.get("")
def index():
    return render_template("memberships/admin/plans.html", plans=admin.all_plans(current_user),
                           retire_form=RetireForm())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _with_spaces(PlanForm())
    if not form.is_submitted():
        form.vat_basis_points.data = 1900
    elif form.validate():
        try:
            plan = admin.create_plan(current_user, _draft(form, form.kind.data))
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("The plan %(plan)s is on offer.", plan=plan.name), "success")
            return redirect(url_for("plan_admin.index"))
    return _form_page(form, None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id):
    plan = admin.plan_to_edit(current_user, plan_id)
    form = _with_spaces(PlanForm(obj=plan), automatic=False)
    del form.kind  # a plan stays the kind it was sold as
    if not form.is_submitted():
        form.space_ids.data = [space.id for space in plan.spaces]
        form.seller_id.data = plan.seller_id
    elif form.validate():
        try:
            admin.update_plan(current_user, plan_id, _draft(form))
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("The plan %(plan)s is saved.", plan=form.name.data.strip()), "success")
            return redirect(url_for("plan_admin.index"))
    return _form_page(form, plan)


def _form_page(form, plan):
    status = 422 if form.is_submitted() else 200
    return render_template("memberships/admin/plan_form.html", form=form, plan=plan), status


@bp.post("/<int:plan_id>/retire")
def retire(plan_id):
    if RetireForm().validate_on_submit():
        plan = admin.retire_plan(current_user, plan_id)
        flash(_("%(plan)s is no longer sold; memberships bought on it run on.",
                plan=plan.name), "success")
    return redirect(url_for("plan_admin.index"))
