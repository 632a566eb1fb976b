"""What the API handlers share: who is calling, and how bookings and payments look in JSON."""
from functools import wraps
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking import clock
from coworking.calendars import tokens
from coworking.clock import iso_local
from coworking.errors import AuthenticationFailed
from coworking.memberships.holdings import payments_shown_for_bookings
from coworking.memberships.models import PaymentMethod, PaymentStatus
from coworking.spaces.booking_changes import change_json, latest_changes


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            raise AuthenticationFailed(
                _l("Please sign in or send an API token as “Authorization: Bearer …”."))
        return view(*args, **kwargs)

    return wrapper


def client_address():
    return request.remote_addr or "-"


def programme_time(instant):
    """Times that belong to no one space (memberships, payments of plans) are shown in the
    programme's own zone."""
    if instant is None:
        return None
    return iso_local(instant, ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


# The contract knows a payment as due, paid or expired: a failed one can no longer be paid
# (expired), a refunded one was paid (the membership it was for shows it has ended).
_SHOWN_STATUS = {PaymentStatus.DUE: "due", PaymentStatus.PAID: "paid",
                 PaymentStatus.EXPIRED: "expired", PaymentStatus.FAILED: "expired",
                 PaymentStatus.REFUNDED: "paid"}


def payment_json(payment, now, zone=None):
    if payment is None or payment.method == PaymentMethod.FREE:
        return None
    status = _SHOWN_STATUS[payment.shown_status(now)]
    if payment.method == PaymentMethod.STRIPE:
        expires_at = (iso_local(payment.expires_at, zone) if zone and payment.expires_at
                      else programme_time(payment.expires_at))
        return {"method": "stripe", "checkout_url": payment.checkout_url,
                "expires_at": expires_at, "status": status}
    return {"method": "on_site", "amount_cents": payment.amount_cents, "status": status}


def booking_json(booking, payment, now, change=None):
    """`change`: the space's latest change of it (booking_changes.latest_changes), if any."""
    space = booking.resource.space
    return {
        "id": booking.id,
        "resource_id": booking.resource_id,
        "space": space.slug,
        "start": iso_local(booking.start_at, space.zone),
        "end": iso_local(booking.end_at, space.zone),
        "status": booking.status.value,
        "covered_by": ({"membership_id": booking.membership_id}
                       if booking.membership_id is not None else None),
        "payment": payment_json(payment, now, space.zone),
        "change": change_json(change),
    }


def bookings_json(bookings):
    """Bookings with their payments (a day pass, or the open purchase on site of the plan
    covering it) and the space's changes of them, loaded in three queries for the whole list."""
    payments = payments_shown_for_bookings(bookings)
    changes = latest_changes([b.id for b in bookings])
    now = clock.utcnow()
    return [booking_json(b, payments.get(b.id), now, changes.get(b.id)) for b in bookings]


def one_booking_json(booking):
    (shown,) = bookings_json([booking])
    return shown


def new_booking_json(booking):
    """A booking just made, shown inside the unit that made it (so that answering costs no
    transaction after the commit): no change of the space's can concern it yet."""
    return booking_json(booking, payments_shown_for_bookings([booking]).get(booking.id),
                        clock.utcnow())


def calendar_url(user):
    """The member's own feed; its token is made the first time anyone asks."""
    return tokens.personal_feed_url(user)
