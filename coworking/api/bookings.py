"""Booking, listing and cancelling."""
import re

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import booking_json, login_required
from coworking.api.inputs import json_fields
from coworking.bookings import idempotency, service
from coworking.errors import InvalidInput
from coworking.spaces.service import get_space

IDEMPOTENCY_KEY = "Idempotency-Key"
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]{1,%d}$" % idempotency.KEY_MAX)


def idempotency_key():
    """The request's Idempotency-Key, or None when it sends none."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is not None and not _PRINTABLE_ASCII.match(key):
        raise InvalidInput(_l("The Idempotency-Key header must be 1 to %(n)s printable ASCII "
                              "characters.", n=idempotency.KEY_MAX), field=IDEMPOTENCY_KEY)
    return key


@bp.post("/bookings")
@login_required
def create_booking():
    key = idempotency_key()
    fields = json_fields()
    resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1)
    start = fields.instant("start")
    end = fields.instant("end")
    fields.raise_if_invalid()
    if key is None:
        booking = service.book(current_user, resource_id, start, end, source="api")
        return jsonify(booking_json(booking)), 201
    try:
        answer = idempotency.book_once(
            current_user, key, idempotency.fingerprint(fields.source),
            lambda booking: (201, booking_json(booking)), resource_id, start, end, source="api")
    except idempotency.KeyReused:
        raise InvalidInput(_l("This Idempotency-Key was used in the last 24 hours with a "
                              "different request body; send a new key for a new booking."),
                           field=IDEMPOTENCY_KEY) from None
    response = jsonify(answer.body)
    response.status_code = answer.status
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


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
