"""The admins' pages for the programme's spaces: every space with its town, a new space,
a new town (`/admin/spaces`, `/admin/towns/new`)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coworking import permissions
from coworking.errors import DomainError
from coworking.management import spaces
from coworking.management.forms import SpaceForm, SpaceTypeForm, TownForm
from coworking.management.hours import DEFAULT_HOURS, described
from coworking.management.operator_forms import SpaceOperatorForm
from coworking.operators.admin import all_operators
from coworking.page_access import only_for
from coworking.spaces.service import list_spaces
from coworking.web import attach_errors

bp = Blueprint("space_admin", __name__, url_prefix="/admin")


only_for(bp, permissions.can_create_spaces)


@bp.get("/spaces")
def index():
    return render_template("manage/admin/spaces.html", spaces=list_spaces(drafts=True),
                           towns=spaces.all_towns(), type_form=SpaceTypeForm(),
                           operator_form=SpaceOperatorForm(), operators=all_operators())


@bp.post("/spaces/<slug>/operator")
def space_operator(slug):
    """Who runs a space: its pages link that operator's Impressum and privacy notice."""
    form = SpaceOperatorForm()
    if form.validate_on_submit():
        try:
            space = spaces.set_space_operator(current_user, slug, form.operator_id.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(space)s is run by %(operator)s. Plans sold for it keep their seller; "
                    "change it under “Manage plans” where it should change too.",
                    space=space.name, operator=space.operator.name), "success")
    else:
        flash(_("The form was too old; please try again."), "error")
    return redirect(url_for("space_admin.index", _anchor="spaces"))


@bp.post("/spaces/<slug>/type")
def space_type(slug):
    """What kind of place a space is, so research can compare towns of different types."""
    form = SpaceTypeForm()
    if form.validate_on_submit():
        try:
            space = spaces.set_space_type(current_user, slug, form.space_type.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(name)s is classified.", name=space.name), "success")
    else:
        flash(_("The form was too old; please try again."), "error")
    return redirect(url_for("space_admin.index", _anchor="spaces"))


@bp.route("/spaces/new", methods=["GET", "POST"])
def new_space():
    form = SpaceForm(data=described(DEFAULT_HOURS))
    form.town_id.choices = [SelectChoice(town.id, town.name) for town in spaces.all_towns()]
    form.operator_id.choices = [SelectChoice(0, _("The operator of the town's other spaces, "
                                                   "or a new one for the town"))] + [
        SelectChoice(operator.id, operator.name) for operator in all_operators()]
    valid = form.validate_on_submit()
    # A form with a field of the wrong shape still goes to the service, which names every
    # other problem too: the admin sees them all at once. Only a stale form does not.
    if form.is_submitted() and (valid or "csrf_token" not in form.errors):
        try:
            space = spaces.create_space(current_user, spaces.SpaceDraft(
                slug=form.slug.data, name=form.name.data, town_id=form.town_id.data,
                address=form.address.data, timezone=form.timezone.data,
                slot_minutes=form.slot_minutes.data, hours=form.texts(),
                space_type=form.space_type.data or "",
                operator_id=form.operator_id.data or None))
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("%(name)s is saved as a draft. Add its desks and rooms, appoint its "
                    "hosts, then publish it.", name=space.name), "success")
            return redirect(url_for("manage.overview", slug=space.slug))
    return render_template("manage/admin/space_form.html", form=form), \
        422 if form.is_submitted() else 200


@bp.route("/towns/new", methods=["GET", "POST"])
def new_town():
    form = TownForm()
    if form.validate_on_submit():
        try:
            town = spaces.create_town(current_user, spaces.TownDraft(
                name=form.name.data, state=form.state.data, population=form.population.data,
                town_type=form.town_type.data or "", location_type=form.location_type.data or ""))
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("%(town)s is added; you can open spaces there now.", town=town.name),
                  "success")
            return redirect(url_for("space_admin.index"))
    return render_template("manage/admin/town_form.html", form=form), \
        422 if form.is_submitted() else 200
