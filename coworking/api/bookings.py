"""Booking, listing and cancelling, and paying for a single booking with a day pass."""
from flask import jsonify, request, url_for
from flask_login import current_user

from coworking import clock, online_payments
from coworking.api import bp
from coworking.api.common import booking_json, bookings_json, login_required, one_booking_json
from coworking.api.inputs import json_fields
from coworking.bookings import payments, service
from coworking.spaces.service import get_space


@bp.post("/bookings")
@login_required
def create_booking():
    fields = json_fields()
    resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1)
    start = fields.instant("start")
    end = fields.instant("end")
    pay = fields.choice("pay", service.PAY_CHOICES, required=False)
    fields.raise_if_invalid()
    booking = service.book(current_user, resource_id, start, end, source="api", pay=pay,
                           online=online_payments.enabled())
    back = online_payments.site_url(url_for("bookings.mine"))
    payment = payments.day_pass_checkout(booking, success_url=back, cancel_url=back)
    return jsonify(booking_json(booking, payment, clock.utcnow())), 201


@bp.get("/bookings")
@login_required
def list_bookings():
    slug = request.args.get("space")
    if slug:
        found = service.bookings_in_space(current_user, get_space(slug))
    else:
        found = service.bookings_of(current_user)
    return jsonify(bookings_json(found))


@bp.get("/bookings/<int:booking_id>")
@login_required
def show_booking(booking_id):
    return jsonify(one_booking_json(service.visible_booking(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id):
    return jsonify(one_booking_json(service.cancel(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/confirm-payment")
@login_required
def confirm_booking_payment(booking_id):
    """Not in the design's table: the host's side of `pay: "day_pass"` without Stripe."""
    return jsonify(one_booking_json(payments.confirm_day_pass_on_site(current_user, booking_id)))
