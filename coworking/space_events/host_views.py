"""A host's events: the list with a form for a new one, an event's page to change it, see
who registered and check attendees in, and cancelling it."""
from datetime import datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coworking import permissions
from coworking.errors import DomainError, Forbidden
from coworking.extensions import db
from coworking.space_events import listing, registrations, service
from coworking.space_events.forms import ButtonForm, EventForm
from coworking.space_events.models import RegistrationStatus
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import get_space

bp = Blueprint("event_host", __name__, url_prefix="/host")
NO_STORE = {"Cache-Control": "no-store"}


def _space(slug):
    if not permissions.hosts_any_space(current_user):
        raise Forbidden(_("Only the hosts of a space and admins run its events."))
    space = get_space(slug)
    if not permissions.can_manage_space(current_user, space.id):
        raise Forbidden(_("Only the hosts of %(name)s and admins run its events.",
                          name=space.name))
    return space


def _form(space, event=None):
    form = EventForm(obj=None)
    rooms = db.session.scalars(
        select(Resource).where(Resource.space_id == space.id, Resource.active.is_(True),
                               Resource.kind == ResourceKind.MEETING_ROOM)
        .order_by(Resource.name)).all()
    form.resource_id.choices = [("", _("No room"))] + [(str(r.id), r.name) for r in rooms]
    if event is not None and not form.is_submitted():
        zone = space.zone
        form.title.data, form.description.data = event.title, event.description
        form.title_en.data, form.description_en.data = event.title_en, event.description_en
        form.day.data = event.start_at.astimezone(zone).date()
        form.start_time.data = event.start_at.astimezone(zone).time()
        form.end_time.data = event.end_at.astimezone(zone).time()
        form.capacity.data, form.visibility.data = event.capacity, event.visibility
        form.resource_id.data = str(event.resource_id or "")
    return form


def _values(form, space):
    zone = space.zone
    return {"title": form.title.data, "description": form.description.data or "",
            "title_en": form.title_en.data or None,
            "description_en": form.description_en.data or None,
            "start": datetime.combine(form.day.data, form.start_time.data, tzinfo=zone),
            "end": datetime.combine(form.day.data, form.end_time.data, tzinfo=zone),
            "capacity": form.capacity.data, "visibility": form.visibility.data,
            "resource_id": int(form.resource_id.data) if form.resource_id.data else None}


_FIELDS = {"start": "start_time", "end": "end_time", "capacity": "capacity",
           "resource_id": "resource_id", "title": "title", "visibility": "visibility"}


def _put_on_form(form, error):
    """A rule's message beside the field it names, or above the form."""
    target = getattr(form, _FIELDS.get(error.field or "", ""), None)
    if target is not None:
        target.errors = [error.message]
    else:
        form.form_errors.append(error.message)


@bp.route("/<slug>/events", methods=["GET", "POST"])
@login_required
def index(slug):
    space = _space(slug)
    form = _form(space)
    status = 200
    if form.validate_on_submit():
        try:
            event = service.create_event(current_user, space.slug, **_values(form, space))
        except DomainError as error:
            _put_on_form(form, error)
            status = error.status
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for(".event", slug=space.slug, event_id=event.id))
    elif form.is_submitted():
        status = 422
    events = listing.visible_events(current_user, space)
    counts = listing.registered_counts([event.id for event in events])
    return render_template("space_events/host_index.html", space=space, form=form,
                           events=events, counts=counts), status, NO_STORE


@bp.route("/<slug>/events/<int:event_id>", methods=["GET", "POST"])
@login_required
def event(slug, event_id):
    space = _space(slug)
    event = service.event_to_manage(current_user, event_id)
    if event.space_id != space.id:
        raise Forbidden(_("This event belongs to another space."))
    form = _form(space, event)
    status = 200
    if form.validate_on_submit():
        try:
            service.change_event(current_user, event.id, **_values(form, space))
        except DomainError as error:
            _put_on_form(form, error)
            status = error.status
        else:
            flash(_("The event is saved. Everyone registered is told of a new time or room."),
                  "success")
            return redirect(url_for(".event", slug=space.slug, event_id=event.id))
    elif form.is_submitted():
        status = 422
    return render_template("space_events/host_event.html", space=space, event=event,
                           form=form, button=ButtonForm(formdata=None),
                           registrations=listing.event_registrations(event.id),
                           statuses=RegistrationStatus), status, NO_STORE


@bp.post("/<slug>/events/<int:event_id>/cancel")
@login_required
def cancel(slug, event_id):
    _space(slug)
    if ButtonForm().validate_on_submit():
        try:
            service.cancel_event(current_user, event_id)
            flash(_("The event is cancelled; everyone registered is told by e-mail."), "success")
        except DomainError as error:
            if error.status in (403, 404):
                raise
            flash(error.message, "error")
    return redirect(url_for(".index", slug=slug))


@bp.post("/<slug>/events/registrations/<int:registration_id>/check-in")
@login_required
def check_in(slug, registration_id):
    """From the host's day or the event's page: the attendee is here."""
    _space(slug)
    if ButtonForm().validate_on_submit():
        try:
            registration = registrations.check_in(current_user, registration_id)
            flash(_("%(name)s is checked in.", name=registration.name), "success")
        except DomainError as error:
            if error.status in (403, 404):
                raise
            flash(error.message, "error")
    return redirect(url_for("host_day.day", slug=slug))


@bp.app_template_global()
def events_of_day(space, day):
    """[(event, registrations)] of the space's events on local date `day`, for the host's
    day (which ranks below this package and so asks through a template global)."""
    start = datetime.combine(day, time(), tzinfo=space.zone)
    events = listing.events_on(space, start, start + timedelta(days=1))
    return [(event, listing.event_registrations(event.id)) for event in events]
