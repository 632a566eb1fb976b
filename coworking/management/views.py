"""The pages that run a space, for its hosts and for admins: `/manage/<slug>` and below.
Thin: a form in, a service call, a page or a redirect out. A change that would cancel
bookings comes back as a page listing them, with a button to confirm."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from coworking import permissions
from coworking.errors import DomainError
from coworking.management import (
    access,
    closures,
    history,
    hours,
    resources,
    rules,
    spaces,
    texts,
)
from coworking.management.access import ConfirmationNeeded
from coworking.management.forms import (
    ButtonForm,
    ClosureForm,
    DeactivateForm,
    HostForm,
    HoursForm,
    ResourceEditForm,
    ResourceForm,
    RulesForm,
    TextsForm,
)
from coworking.page_access import only_for
from coworking.spaces.hours import hours_on
from coworking.spaces.service import local_today
from coworking.text_input import allows_line_breaks
from coworking.web import attach_errors

bp = Blueprint("manage", __name__, url_prefix="/manage")


only_for(bp, permissions.hosts_any_space)


def _attach(form, error):
    """Another space's things are not shown here at all (403/404); rules broken are."""
    if error.status in (403, 404):
        raise error
    attach_errors(form, error)


def _to_overview(slug, message):
    flash(message, "success")
    return redirect(url_for("manage.overview", slug=slug))


def _asked_again(form, needed):
    """The list shown for confirmation; if the host had confirmed one, it changed since."""
    if form.confirmed.data:
        flash(_("Bookings changed meanwhile. Please look at the list again."), "error")
    form.confirmed.data = ",".join(str(booking.id) for booking in needed.bookings)


@bp.get("")
def index():
    return render_template("manage/index.html", spaces=access.spaces_to_manage(current_user))


@bp.get("/<slug>")
def overview(slug):
    return _overview(slug)


def _overview(slug, resource_form=None, host_form=None, status=200):
    space = access.space_to_manage(current_user, slug)
    return render_template(
        "manage/overview.html", space=space, resources=resources.resources_of(space),
        hours=hours.week_texts(hours_on(space, local_today(space))),
        hours_ahead=hours.hours_ahead(space)[1], closures=closures.closures_ahead(space),
        hosts=spaces.hosts_of(space), history=history.recent(space),
        resource_form=resource_form or ResourceForm(), host_form=host_form or HostForm(),
        button_form=ButtonForm(), can_appoint=permissions.can_appoint_hosts(current_user),
        can_publish=permissions.can_create_spaces(current_user),
    ), status


@bp.post("/<slug>/resources")
def add_resource(slug):
    form = ResourceForm()
    if form.validate_on_submit():
        try:
            resource = resources.add_resource(current_user, slug, resources.ResourceDraft(
                name=form.name.data, capacity=form.capacity.data,
                amenities=form.amenities.data or "", kind=form.kind.data))
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("%(name)s is added and can be booked.",
                                        name=resource.name))
    return _overview(slug, resource_form=form, status=422)


@bp.route("/<slug>/resources/<int:resource_id>", methods=["GET", "POST"])
def edit_resource(slug, resource_id):
    space, resource = resources.resource_to_edit(current_user, slug, resource_id)
    form = ResourceEditForm(obj=resource)
    if form.validate_on_submit():
        try:
            resources.update_resource(current_user, slug, resource_id, resources.ResourceDraft(
                name=form.name.data, capacity=form.capacity.data,
                amenities=form.amenities.data or ""))
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("%(name)s is saved.", name=form.name.data.strip()))
    return render_template("manage/resource.html", space=space, resource=resource,
                           form=form), 422 if form.is_submitted() else 200


@bp.route("/<slug>/resources/<int:resource_id>/deactivate", methods=["GET", "POST"])
def deactivate_resource(slug, resource_id):
    form = DeactivateForm()
    if form.validate_on_submit():
        try:
            resource = resources.deactivate_resource(
                current_user, slug, resource_id, choice=form.choice.data or None,
                reason=form.reason.data, confirmed=form.confirmed_ids())
        except ConfirmationNeeded as needed:
            if form.choice.data:
                _asked_again(form, needed)
            else:
                form.choice.errors = [_("Choose what happens to the bookings.")]
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("%(name)s is out of service; nobody can book it now.",
                                        name=resource.name))
    space, resource, bookings, targets = resources.deactivation_plan(current_user, slug,
                                                                     resource_id)
    form.confirmed.data = ",".join(str(booking.id) for booking in bookings)
    return render_template("manage/deactivate.html", space=space, resource=resource,
                           bookings=bookings, targets=targets, form=form,
                           movable=sum(target is not None for target in targets.values())
                           ), 422 if form.errors else 200


@bp.post("/<slug>/resources/<int:resource_id>/reactivate")
def reactivate_resource(slug, resource_id):
    if ButtonForm().validate_on_submit():
        resource = resources.reactivate_resource(current_user, slug, resource_id)
        flash(_("%(name)s is back in service and can be booked.", name=resource.name),
              "success")
    return redirect(url_for("manage.overview", slug=slug))


@bp.route("/<slug>/hours", methods=["GET", "POST"])
def edit_hours(slug):
    space = access.space_to_manage(current_user, slug)
    (since, week), ahead = hours.hours_ahead(space)
    form = HoursForm(data=week)
    if form.validate_on_submit():
        for name, text in hours.tidied(form.texts(), space.slot_minutes).items():
            getattr(form, name).data = text
        answer = _confirmed_change(
            form, space, "manage/confirm_hours.html", _("The opening hours are saved."),
            lambda: hours.set_opening_hours(current_user, slug, form.texts(),
                                            reason=form.reason.data,
                                            confirmed=form.confirmed_ids(),
                                            effective_from=form.effective_from.data,
                                            on_conflict=form.on_conflict.data,
                                            choices=form.outcomes(request.form)))
        if answer is not None:
            return answer
    return render_template("manage/hours.html", space=space, form=form, since=since,
                           ahead=ahead), 422 if form.is_submitted() else 200


def _confirmed_change(form, space, confirm_template, saved, change):
    """Run a change that may cut into bookings: the list to confirm when it does, back to
    the overview once done, None (the form again, with its errors) when refused."""
    try:
        _changed, cancelled = change()
    except ConfirmationNeeded as needed:
        _asked_again(form, needed)
        return render_template(confirm_template, space=space, form=form,
                               bookings=needed.bookings)
    except DomainError as error:
        _attach(form, error)
        return None
    return _to_overview(space.slug, _cancelled_too(saved, cancelled))


def _cancelled_too(message, resolved):
    """The saved message, and what became of the bookings the change hit."""
    counts = {outcome: sum(1 for item in resolved if item["outcome"] == outcome)
              for outcome in ("cancelled", "moved", "shortened")}
    if counts["cancelled"]:
        message += " " + ngettext(
            "%(num)s booking is cancelled; its member gets an e-mail.",
            "%(num)s bookings are cancelled; their members get an e-mail.", counts["cancelled"])
    if counts["moved"]:
        message += " " + ngettext("%(num)s booking is moved.", "%(num)s bookings are moved.",
                                  counts["moved"])
    if counts["shortened"]:
        message += " " + ngettext("%(num)s booking is shortened.",
                                  "%(num)s bookings are shortened.", counts["shortened"])
    return message


@bp.route("/<slug>/closures", methods=["GET", "POST"])
def edit_closures(slug):
    space = access.space_to_manage(current_user, slug)
    form = ClosureForm()
    if form.validate_on_submit():
        answer = _confirmed_change(
            form, space, "manage/confirm_closure.html", _("The closure is saved."),
            lambda: closures.add_closure(current_user, slug, form.start_date.data,
                                         form.end_date.data, form.closure_reason.data,
                                         reason_en=form.closure_reason_en.data or "",
                                         message=form.reason.data,
                                         confirmed=form.confirmed_ids(),
                                         start_time=form.start.data, end_time=form.end.data,
                                         on_conflict=form.on_conflict.data,
                                         choices=form.outcomes(request.form)))
        if answer is not None:
            return answer
    return render_template("manage/closures.html", space=space, form=form,
                           closures=closures.closures_ahead(space), button_form=ButtonForm()
                           ), 422 if form.is_submitted() else 200


@bp.post("/<slug>/closures/<int:closure_id>/remove")
def remove_closure(slug, closure_id):
    if ButtonForm().validate_on_submit():
        closures.remove_closure(current_user, slug, closure_id)
        flash(_("The closure is removed; those days are open again."), "success")
    return redirect(url_for("manage.edit_closures", slug=slug))


@bp.route("/<slug>/rules", methods=["GET", "POST"])
def edit_rules(slug):
    space = access.space_to_manage(current_user, slug)
    form = RulesForm(obj=space)
    if form.validate_on_submit():
        try:
            rules.set_booking_rules(current_user, slug, rules.BookingRules(
                **{name: getattr(form, name).data for name in rules.RULE_NAMES}))
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("The booking rules are saved. They hold for bookings "
                                        "made from now on."))
    return render_template("manage/rules.html", space=space, form=form), \
        422 if form.is_submitted() else 200


@bp.route("/<slug>/texts", methods=["GET", "POST"])
@allows_line_breaks(*TextsForm.MULTILINE)
def edit_texts(slug):
    space = access.space_to_manage(current_user, slug)
    form = TextsForm(data=vars(texts.SpaceTexts.of(space)))
    if form.validate_on_submit():
        try:
            texts.set_space_texts(current_user, slug, texts.SpaceTexts(
                **{name: getattr(form, name).data for name in texts.TEXT_NAMES}))
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("The texts and the contact are saved; visitors see "
                                        "them on the overview and the space's page."))
    return render_template("manage/texts.html", space=space, form=form), \
        422 if form.is_submitted() else 200


@bp.post("/<slug>/hosts")
def appoint_host(slug):
    if not permissions.can_appoint_hosts(current_user):
        abort(403)
    form = HostForm()
    if form.validate_on_submit():
        try:
            user = spaces.appoint_host(current_user, slug, form.email.data, form.name.data)
        except DomainError as error:
            _attach(form, error)
        else:
            return _to_overview(slug, _("%(name)s is now a host of this space.",
                                        name=user.name))
    return _overview(slug, host_form=form, status=422)


@bp.post("/<slug>/publish")
def publish(slug):
    if not permissions.can_create_spaces(current_user):
        abort(403)
    if ButtonForm().validate_on_submit():
        space = spaces.publish_space(current_user, slug)
        flash(_("%(name)s is published: members see it and book it now.", name=space.name),
              "success")
    return redirect(url_for("manage.overview", slug=slug))


@bp.post("/<slug>/hosts/<int:user_id>/remove")
def remove_host(slug, user_id):
    if not permissions.can_appoint_hosts(current_user):
        abort(403)
    if ButtonForm().validate_on_submit():
        user = spaces.remove_host(current_user, slug, user_id)
        flash(_("%(name)s is no longer a host of this space.", name=user.name), "success")
    return redirect(url_for("manage.overview", slug=slug))

