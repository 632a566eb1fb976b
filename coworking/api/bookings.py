"""Booking, listing and cancelling."""
from flask import jsonify, request
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import booking_json, login_required
from coworking.api.inputs import json_fields
from coworking.bookings import service
from coworking.spaces.service import get_space


@bp.post("/bookings")
@login_required
def create_booking():
    fields = json_fields()
    resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1)
    start = fields.instant("start")
    end = fields.instant("end")
    fields.raise_if_invalid()
    booking = service.book(current_user, resource_id, start, end, source="api")
    return jsonify(booking_json(booking)), 201


@bp.get("/bookings")
@login_required
def list_bookings():
    slug = request.args.get("space")
    if slug:
        found = service.bookings_in_space(current_user, get_space(slug))
    else:
        found = service.bookings_of(current_user)
    return jsonify([booking_json(b) for b in found])


@bp.get("/bookings/<int:booking_id>")
@login_required
def show_booking(booking_id):
    return jsonify(booking_json(service.visible_booking(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id):
    return jsonify(booking_json(service.cancel(current_user, booking_id)))
