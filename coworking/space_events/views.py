"""Events on the web: the network's and a town's events, an event's page where members
register with one tap and guests with name and e-mail, and the page a guest's link opens."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from coworking import clock, permissions
from coworking.errors import DomainError
from coworking.extensions import db
from coworking.space_events import listing, registrations
from coworking.space_events.forms import ButtonForm, GuestForm
from coworking.space_events.models import OPEN_STATUSES, RegistrationStatus, SpaceEvent
from coworking.spaces.service import get_space, list_spaces

bp = Blueprint("space_events", __name__)
NO_STORE = {"Cache-Control": "no-store"}


def _language():
    return str(get_locale())


def _listing(events):
    counts = listing.registered_counts([event.id for event in events])
    mine = registrations.registrations_of_member(current_user, [event.id for event in events])
    return [{"event": event, "registered": counts.get(event.id, 0), "mine": mine.get(event.id)}
            for event in events]


@bp.get("/events")
def network():
    """Every town's upcoming events on one page, by town."""
    events = listing.visible_events(current_user)
    by_space = {}
    for row in _listing(events):
        by_space.setdefault(row["event"].space_id, []).append(row)
    return render_template("space_events/network.html", spaces=list_spaces(),
                           by_space=by_space, language=_language())


@bp.get("/spaces/<slug>/events")
def town(slug):
    space = get_space(slug)
    return render_template("space_events/town.html", space=space,
                           rows=_listing(listing.visible_events(current_user, space)),
                           language=_language())


def _event_or_404(event_id):
    event = db.session.get(SpaceEvent, event_id)
    if event is None or not permissions.can_see_event(current_user, event):
        abort(404)
    return event


@bp.get("/events/<int:event_id>")
def event_page(event_id):
    event = _event_or_404(event_id)
    return _show(event)


def _show(event, guest_form=None, status=200):
    now = clock.utcnow()
    mine = registrations.registrations_of_member(current_user, [event.id]).get(event.id)
    return render_template(
        "space_events/event.html", event=event, space=event.space, mine=mine,
        registered=listing.registered_counts([event.id]).get(event.id, 0),
        closed=registrations.refusal(event, now), language=_language(),
        guest_form=guest_form or GuestForm(formdata=None), button=ButtonForm(formdata=None),
        statuses=RegistrationStatus, open_statuses=OPEN_STATUSES,
        offer_open=mine is not None and mine.holds_place(now)), status, NO_STORE


def _told(registration):
    messages = {
        RegistrationStatus.CONFIRMED: _("You are registered. See you there!"),
        RegistrationStatus.WAITLISTED: _("The event is full: you are on its waiting list. We "
                                         "e-mail you as soon as a place is free for you."),
        RegistrationStatus.UNCONFIRMED: _("Almost done: we sent you an e-mail. Your "
                                          "registration counts once you follow its link."),
    }
    flash(messages.get(registration.status, registration.status.label), "success")


@bp.post("/events/<int:event_id>/register")
def register(event_id):
    event = _event_or_404(event_id)
    if current_user.is_authenticated:
        if not ButtonForm().validate_on_submit():
            abort(400)
        try:
            registration, _new = registrations.register_member(current_user, event.id)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for(".event_page", event_id=event.id))
        _told(registration)
        return redirect(url_for(".event_page", event_id=event.id))
    form = GuestForm()
    if not form.validate_on_submit():
        return _show(event, form, 422)
    try:
        registration = registrations.register_guest(event.id, form.name.data, form.email.data,
                                                    request.remote_addr)
    except DomainError as error:
        if error.field in ("name", "email"):
            getattr(form, error.field).errors = [error.message]
            return _show(event, form, error.status)
        flash(error.message, "error")
        return redirect(url_for(".event_page", event_id=event.id))
    _told(registration)
    return redirect(url_for(".event_page", event_id=event.id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/cancel")
def cancel(event_id, registration_id):
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.path))
    if ButtonForm().validate_on_submit():
        registrations.cancel_registration(current_user, event_id, registration_id)
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".event_page", event_id=event_id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/accept")
def accept(event_id, registration_id):
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.path))
    if ButtonForm().validate_on_submit():
        try:
            registrations.accept_offer(current_user, event_id, registration_id)
            flash(_("The place is yours. See you there!"), "success")
        except DomainError as error:
            if error.status == 404:
                raise
            flash(error.message, "error")
    return redirect(url_for(".event_page", event_id=event_id))


@bp.get("/events/guest/<token>")
def guest(token):
    """The link in a guest's e-mail: following it confirms the registration, and the page
    shows where it stands (take an offered place, or cancel)."""
    try:
        registration = registrations.confirm_guest(token)
    except DomainError as error:
        return render_template("space_events/gone.html", message=error.message), 410, NO_STORE
    now = clock.utcnow()
    return render_template("space_events/guest.html", registration=registration,
                           event=registration.event, space=registration.event.space,
                           token=token, button=ButtonForm(formdata=None), language=_language(),
                           statuses=RegistrationStatus, open_statuses=OPEN_STATUSES,
                           offer_open=registration.holds_place(now)), 200, NO_STORE


@bp.post("/events/guest/<token>/accept")
def guest_accept(token):
    return _guest_action(token, "accept")


@bp.post("/events/guest/<token>/cancel")
def guest_cancel(token):
    return _guest_action(token, "cancel")


def _guest_action(token, action):
    if ButtonForm().validate_on_submit():
        try:
            if action == "accept":
                registrations.accept_guest_offer(token)
                flash(_("The place is yours. See you there!"), "success")
            else:
                registrations.cancel_guest(token)
                flash(_("Your registration is cancelled."), "success")
        except DomainError as error:
            return render_template("space_events/gone.html", message=error.message), \
                error.status, NO_STORE
    return redirect(url_for(".guest", token=token))
