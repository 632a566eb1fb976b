"""The member directory's pages: searching it and one's own profile. Signed-in members only."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coworking.accounts.views import attach_errors
from coworking.directory import service
from coworking.directory.forms import DeleteProfileForm, ProfileForm
from coworking.errors import DomainError
from coworking.page_access import only_for
from coworking.text_input import allows_line_breaks

bp = Blueprint("directory", __name__, url_prefix="/directory")
only_for(bp, lambda user: True)
NO_STORE = {"Cache-Control": "no-store"}


def _town_choices(first=""):
    return [SelectChoice("", first)] + [SelectChoice(str(town.id), town.name)
                                        for town in service.towns()]


@bp.get("")
def search():
    town = request.args.get("town", "")
    skill = " ".join(request.args.get("skill", "").split())[:service.SEARCH_MAX]
    town_id = int(town) if town.isdigit() and len(town) < 10 else None
    profiles = service.search(current_user, town_id=town_id, skill=skill or None)
    return render_template("directory/search.html", profiles=profiles, towns=service.towns(),
                           town_id=town_id, skill=skill,
                           mine=service.profile_of(current_user)), 200, NO_STORE


def _profile_page(form, status=200):
    form.town_id.choices = _town_choices(_("Choose your town"))
    return render_template("directory/profile.html", form=form,
                           profile=service.profile_of(current_user),
                           delete_form=DeleteProfileForm(formdata=None)), status, NO_STORE


@bp.get("/profile")
def profile():
    mine = service.profile_of(current_user)
    data = ({"what_i_do": mine.what_i_do, "can_help_with": mine.can_help_with,
             "town_id": str(mine.town_id)} if mine is not None else {})
    return _profile_page(ProfileForm(formdata=None, data=data))


@bp.post("/profile")
@allows_line_breaks("what_i_do", "can_help_with")
def save_profile():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _profile_page(form, 422)
    town = form.town_id.data or ""
    try:
        service.save_profile(current_user, form.what_i_do.data, form.can_help_with.data,
                             int(town) if town.isdigit() and len(town) < 10 else None)
    except DomainError as error:
        attach_errors(form, error)
        return _profile_page(form, error.status)
    flash(_("Your profile is in the directory. Other signed-in members can find you."),
          "success")
    return redirect(url_for("directory.search"))


@bp.post("/profile/delete")
def delete_profile():
    if DeleteProfileForm().validate_on_submit():
        service.delete_profile(current_user)
        flash(_("Your profile is deleted; you are no longer in the directory."), "success")
    return redirect(url_for("directory.profile"))
