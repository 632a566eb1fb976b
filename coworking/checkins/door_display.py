"""The door display: a tablet by the entrance shows the day's check-in code and its QR code,
switching at local midnight and saying "closed" outside opening hours, so nobody prints a
poster every day. A host creates a device link for it (the key is shown once, only its hash
kept) and can revoke it; a revoked or unknown link shows nothing."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import clock, links, permissions
from coworking.checkins import codes, poster
from coworking.checkins.models import DoorDevice
from coworking.database import use_case
from coworking.errors import Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.spaces.hours import open_day
from coworking.spaces.service import closures_between
from coworking.text_input import control_characters_problem

NAME_MAX = 100


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def _require_host(actor, space):
    if not permissions.can_run_space_day(actor, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s set up its door display.",
                           name=space.name))


def devices_of(actor, space):
    """The space's device links, newest first, revoked ones included (they say so)."""
    _require_host(actor, space)
    return db.session.scalars(select(DoorDevice).where(DoorDevice.space_id == space.id)
                              .order_by(DoorDevice.created_at.desc(), DoorDevice.id.desc())
                              ).all()


def device_url(space, key):
    return links.site_url(f"/door/{space.slug}?device={key}")


@use_case
def create_device(actor, space, name):
    """(device, link): a new device link; the link holds the key, shown this once."""
    _require_host(actor, space)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or control_characters_problem(name):
        raise InvalidInput(_l("Please name the device (up to %(n)s characters), e.g. "
                              "“Tablet at the entrance”.", n=NAME_MAX), field="name")
    key = secrets.token_urlsafe(24)
    device = DoorDevice(space_id=space.id, name=name, key_hash=_hash(key),
                        created_by_id=actor.id, created_at=clock.utcnow())
    db.session.add(device)
    return device, device_url(space, key)


@use_case
def revoke_device(actor, space, device_id):
    """The link stops working at once; revoking twice changes nothing."""
    _require_host(actor, space)
    device = db.session.get(DoorDevice, device_id) if 0 < device_id < 2**31 else None
    if device is None or device.space_id != space.id:
        raise NotFound(_l("There is no such device link."))
    if device.revoked_at is None:
        device.revoked_at = clock.utcnow()
    return device


@dataclass
class DoorShown:
    space: object
    now: datetime
    day: object
    is_open: bool
    code: str | None = None
    url: str | None = None
    qr: object = None


@use_case
def door_display(space, key):
    """What the device with `key` shows now: the code of the local day and its QR while the
    space is open, "closed" otherwise. NotFound for a missing, unknown or revoked key."""
    device = db.session.scalar(select(DoorDevice).where(
        DoorDevice.key_hash == _hash(key or ""), DoorDevice.space_id == space.id,
        DoorDevice.revoked_at.is_(None))) if key else None
    if device is None:
        raise NotFound(_l("This door display link is not valid (any more). Please ask a host "
                          "for a new one."))
    now = clock.utcnow()
    device.last_seen_at = now
    day = now.astimezone(space.zone).date()
    opening = open_day(space, day, closures_between(space, day, day))
    is_open = any(start <= now < end for start, end in opening.intervals)
    shown = DoorShown(space=space, now=now, day=day, is_open=is_open)
    if is_open:
        shown.code = codes.daily_code(space, day)
        shown.url = poster.checkin_url(space, shown.code)
    return shown
