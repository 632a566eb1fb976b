"""A booking as an .ics file, and a new secret for the member's calendar feed."""
from flask import Response, jsonify
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import login_required
from coworking.bookings import service
from coworking.calendars import ics, tokens


@bp.get("/bookings/<int:booking_id>/ics")
@login_required
def booking_ics(booking_id):
    """Whoever may see the booking may download it; the browser session will do."""
    booking = service.visible_booking(current_user, booking_id)
    return Response(ics.booking_ics(booking), content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="booking-{booking.id}.ics"'})


@bp.post("/me/calendar-token")
@login_required
def rotate_calendar_token():
    """The old feed URL answers 404 from now on."""
    return jsonify({"calendar_url": tokens.feed_url(tokens.rotate(current_user))}), 201
