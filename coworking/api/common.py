"""What the API handlers share: who is calling, and how bookings look in JSON."""
from functools import wraps

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking.clock import iso_local
from coworking.errors import AuthenticationFailed


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


def booking_json(booking):
    space = booking.resource.space
    return {
        "id": booking.id,
        "resource_id": booking.resource_id,
        "space": space.slug,
        "start": iso_local(booking.start_at, space.zone),
        "end": iso_local(booking.end_at, space.zone),
        "status": booking.status.value,
    }


def calendar_url(user):
    """Personal calendar feeds are not offered yet; the field is part of the contract."""
    return None
