"""Check-in and check-out, no-shows, the host's day, today's check-in code and walk-ins."""
from flask import jsonify, request
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import booking_json, login_required, one_booking_json
from coworking.api.inputs import Fields, json_fields, query_fields
from coworking.checkins import day as days, service, undo as undo_actions, walk_ins
from coworking.spaces.booking_changes import latest_changes
from coworking.spaces.service import get_space


def _optional_json_fields():
    """A body is optional here: a host checks in without one."""
    if not request.get_data(cache=True):
        return Fields({})
    return json_fields()


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in(booking_id):
    fields = _optional_json_fields()
    code = fields.string("code", 40, required=False)
    paid_on_site = fields.boolean("paid_on_site", required=False, default=False)
    fields.raise_if_invalid()
    return jsonify(one_booking_json(service.check_in(current_user, booking_id, code,
                                                     paid_on_site=paid_on_site)))


@bp.post("/bookings/<int:booking_id>/check-out")
@login_required
def check_out(booking_id):
    return jsonify(one_booking_json(service.check_out(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/no-show")
@login_required
def no_show(booking_id):
    return jsonify(one_booking_json(service.mark_no_show(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/undo")
@login_required
def undo(booking_id):
    return jsonify(one_booking_json(undo_actions.undo(current_user, booking_id)))


@bp.get("/spaces/<slug>/day")
@login_required
def space_day(slug):
    space = get_space(slug)
    days.require_host(current_user, space)
    fields = query_fields()
    day = fields.day("date", required=False)
    fields.raise_if_invalid()
    shown = days.host_day(current_user, space, day)
    changes = latest_changes([b.id for b in shown.bookings])
    return jsonify({
        "date": shown.day.isoformat(),
        "desks": shown.desks,
        "present": shown.present,
        "bookings": [
            {**booking_json(b, shown.payments.get(b.id), shown.now, changes.get(b.id)),
             "member": {"id": b.user.id, "name": b.user.name}}
            for b in shown.bookings
        ],
    })


@bp.get("/spaces/<slug>/checkin-code")
@login_required
def checkin_code(slug):
    code, url, valid_on = days.checkin_code(current_user, get_space(slug))
    return jsonify({"code": code, "url": url, "valid_on": valid_on.isoformat()})


@bp.post("/spaces/<slug>/walk-ins")
@login_required
def walk_in(slug):
    space = get_space(slug)
    days.require_host(current_user, space)
    fields = json_fields()
    email = fields.string("email", 254, required=False)
    name = fields.string("name", 200, required=False)
    resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1, required=False)
    end = fields.instant("end")
    fields.raise_if_invalid()
    booking = walk_ins.walk_in(current_user, space, email, end, name=name,
                               resource_id=resource_id)
    return jsonify(one_booking_json(booking)), 201
