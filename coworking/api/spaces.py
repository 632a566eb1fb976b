"""Spaces, their resources and availability."""
from flask import jsonify
from flask_login import current_user

from coworking import clock
from coworking.api import bp
from coworking.api.inputs import query_fields
from coworking.bookings.availability import MAX_DAYS, availability
from coworking.clock import iso_local
from coworking.spaces import service
from coworking.spaces.about import about


def space_json(space):
    return {
        "slug": space.slug,
        "name": space.name,
        "town": space.town.name,
        "address": space.address,
        "timezone": space.timezone,
        "opening_hours": [
            {"weekday": weekday, "opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
            for weekday, intervals in service.opening_hours_by_weekday(space)
            for opens, closes in intervals
        ],
        **_about_json(space),
    }


def _about_json(space):
    """What the hosts tell visitors; empty texts are null."""
    told = about(space)
    return {
        "description": told.description or None,
        "amenities": told.amenities,
        "access": told.access or None,
        "contact": {"name": space.contact_name or None, "email": space.contact_email or None,
                    "phone": space.contact_phone or None} if told.contact else None,
        "latitude": space.latitude,
        "longitude": space.longitude,
        "map_url": told.map_url,
    }


@bp.get("/spaces")
def spaces():
    return jsonify([space_json(space) for space in service.list_spaces(current_user)])


@bp.get("/spaces/<slug>/resources")
def resources(slug):
    space = service.get_space(slug, current_user)
    return jsonify([
        {"id": r.id, "name": r.name, "kind": r.kind.value, "capacity": r.capacity}
        for r in service.active_resources(space)
    ])


def _intervals(pairs, zone):
    return [{"start": iso_local(a, zone), "end": iso_local(b, zone)} for a, b in pairs]


@bp.get("/spaces/<slug>/availability")
def space_availability(slug):
    space = service.get_space(slug, current_user)
    fields = query_fields()
    today = clock.utcnow().astimezone(space.zone).date()
    first_day = fields.day("date", required=False, default=today)
    days = fields.integer("days", minimum=1, maximum=MAX_DAYS, required=False, default=1)
    fields.raise_if_invalid()
    zone = space.zone
    return jsonify({
        "slug": space.slug,
        "slot_minutes": space.slot_minutes,
        "days": [
            {
                "date": day.day.isoformat(),
                "open": day.is_open,
                "resources": [
                    {"id": rd.resource.id, "free": _intervals(rd.free, zone),
                     "taken": _intervals(rd.taken, zone)}
                    for rd in day.resources
                ],
            }
            for day in availability(space, first_day, days)
        ],
    })


