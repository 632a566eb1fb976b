"""Events in the spaces: the upcoming ones, a host's new event, its changes and its
cancellation, and registering (a member with one tap, a guest with name and e-mail)."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, jsonify, request
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import client_address, login_required
from coworking.api.inputs import Fields, json_fields, query_fields
from coworking.clock import iso_local
from coworking.space_events import listing, registrations, service
from coworking.spaces.service import get_space

TITLE_MAX, TEXT_MAX = 200, 20_000


def event_json(event, registered):
    zone = event.space.zone
    return {"id": event.id, "space": event.space.slug, "title": event.title,
            "title_en": event.title_en, "description": event.description,
            "description_en": event.description_en,
            "start": iso_local(event.start_at, zone), "end": iso_local(event.end_at, zone),
            "resource_id": event.resource_id, "capacity": event.capacity,
            "registered": registered, "visibility": event.visibility}


def one_event_json(event):
    return event_json(event, listing.registered_counts([event.id]).get(event.id, 0))


def registration_json(registration):
    return {"id": registration.id, "event_id": registration.event_id,
            "status": registration.status.value}


def _day_start(day):
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(), tzinfo=zone)


@bp.get("/events")
def list_space_events():
    fields = query_fields()
    slug = fields.string("space", 60, required=False)
    first = fields.day("from", required=False)
    last = fields.day("to", required=False)
    fields.raise_if_invalid()
    space = get_space(slug) if slug else None
    events = listing.visible_events(
        current_user, space, first=_day_start(first) if first else None,
        last=_day_start(last) + timedelta(days=1) if last else None)
    counts = listing.registered_counts([event.id for event in events])
    return jsonify([event_json(event, counts.get(event.id, 0)) for event in events])


def _texts(fields, required):
    return {"title": fields.string("title", TITLE_MAX, required=required),
            "description": fields.string("description", TEXT_MAX, required=False,
                                         multiline=True)}


def _english(fields):
    values = {}
    for name, length, multiline in (("title_en", TITLE_MAX, False),
                                    ("description_en", TEXT_MAX, True)):
        if name in fields.source:
            values[name] = fields.string(name, length, required=False, multiline=multiline)
    return values


@bp.post("/spaces/<slug>/events")
@login_required
def create_space_event(slug):
    fields = json_fields()
    values = _texts(fields, required=True)
    values.update(start=fields.instant("start"), end=fields.instant("end"),
                  capacity=fields.integer("capacity", minimum=-2**31, maximum=2**31 - 1),
                  visibility=fields.choice("visibility", ("public", "members")),
                  resource_id=fields.integer("resource_id", minimum=1, maximum=2**31 - 1,
                                             required=False))
    values.update(_english(fields))
    fields.raise_if_invalid()
    event = service.create_event(current_user, slug, **values)
    return jsonify(one_event_json(event)), 201


@bp.patch("/events/<int:event_id>")
@login_required
def change_space_event(event_id):
    fields = json_fields()
    values = {name: value for name, value in _texts(fields, required=False).items()
              if value is not None}
    for name in ("start", "end"):
        value = fields.instant(name, required=False)
        if value is not None:
            values[name] = value
    capacity = fields.integer("capacity", minimum=-2**31, maximum=2**31 - 1, required=False)
    if capacity is not None:
        values["capacity"] = capacity
    visibility = fields.choice("visibility", ("public", "members"), required=False)
    if visibility is not None:
        values["visibility"] = visibility
    if "resource_id" in fields.source:
        values["resource_id"] = fields.integer("resource_id", minimum=1, maximum=2**31 - 1,
                                               required=False)
    values.update(_english(fields))
    fields.raise_if_invalid()
    return jsonify(one_event_json(service.change_event(current_user, event_id, **values)))


@bp.delete("/events/<int:event_id>")
@login_required
def cancel_space_event(event_id):
    service.cancel_event(current_user, event_id)
    return "", 204


@bp.post("/events/<int:event_id>/registrations")
def register_for_event(event_id):
    """Signed in: the member registers (no body needed). Otherwise a guest's name and e-mail."""
    fields = json_fields() if request.get_data(cache=True) else Fields({})
    if current_user.is_authenticated:
        registration, new = registrations.register_member(current_user, event_id)
        return jsonify(registration_json(registration)), 201 if new else 200
    name = fields.string("name", registrations.NAME_MAX)
    email = fields.string("email", 254)
    fields.raise_if_invalid()
    registration = registrations.register_guest(event_id, name, email, client_address())
    return jsonify(registration_json(registration)), 201


@bp.delete("/events/<int:event_id>/registrations/<int:registration_id>")
@login_required
def cancel_event_registration(event_id, registration_id):
    registrations.cancel_registration(current_user, event_id, registration_id)
    return "", 204
