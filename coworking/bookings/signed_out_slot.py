"""The slot a signed-out visitor tapped: the sign-in and registration pages name it, so the
visitor knows what waits for them once they are in."""
from dataclasses import dataclass
from datetime import datetime
from coworking import links
from coworking.clock import parse_instant
from coworking.extensions import db
from coworking.spaces.models import Resource, Space


@dataclass(frozen=True)
class WaitingSlot:
    space: Space
    resource: Resource | None
    start: datetime | None
    end: datetime | None


def _instant(values):
    try:
        return parse_instant(values[0]) if values else None
    except ValueError:
        return None


def waiting_slot(next_url):
    """The booking a `next` address leads to, or None when it leads elsewhere. Parts of the
    address that name nothing (an unknown desk, a garbled time) are left out, not guessed."""
    route = links.route_of(next_url)
    if route is None or route[0] != "bookings.book":
        return None
    _endpoint, args, query = route
    space = db.session.scalar(db.select(Space).where(Space.slug == args["slug"]))
    if space is None:
        return None
    resource_id = (query.get("resource") or [""])[0]
    resource = db.session.get(Resource, int(resource_id)) if resource_id.isdigit() and len(resource_id) < 10 else None
    if resource is not None and resource.space_id != space.id:
        resource = None
    start, end = _instant(query.get("start")), _instant(query.get("end"))
    if start is None or (end is not None and end <= start):
        end = None
    return WaitingSlot(space, resource, start, end)
