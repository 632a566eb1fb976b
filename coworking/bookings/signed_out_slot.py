"""The slot a signed-out visitor tapped: the sign-in and registration pages name it, so the
visitor knows what waits for them once they are in."""
from dataclasses import dataclass
from datetime import date, datetime, time

from coworking import links
from coworking.clock import parse_instant
from coworking.extensions import db
from coworking.spaces.models import Resource, ResourceKind, Space


@dataclass(frozen=True)
class WaitingSlot:
    space: Space
    resource: Resource | None
    start: datetime | None
    end: datetime | None
    # "Any free one" of this kind, where no particular resource was chosen.
    kind: ResourceKind | None = None


def _instant(values):
    try:
        return parse_instant(values[0]) if values else None
    except ValueError:
        return None


def waiting_slot(next_url):
    """The booking a `next` address leads to, or None when it leads elsewhere. Parts of the
    address that name nothing (an unknown desk, a garbled time) are left out, not guessed."""
    route = links.route_of(next_url)
    if route is None or route[0] not in ("bookings.book", "spaces.show"):
        return None
    endpoint, args, query = route
    space = db.session.scalar(db.select(Space).where(Space.slug == args["slug"]))
    if space is None:
        return None
    if endpoint == "spaces.show":
        return _chosen_range(space, query)
    resource_id = (query.get("resource") or [""])[0]
    resource = db.session.get(Resource, int(resource_id)) if resource_id.isdigit() and len(resource_id) < 10 else None
    if resource is not None and resource.space_id != space.id:
        resource = None
    start, end = _instant(query.get("start")), _instant(query.get("end"))
    if start is None or (end is not None and end <= start):
        end = None
    return WaitingSlot(space, resource, start, end)


def _chosen_range(space, query):
    """The range of "book any free place" on a space's page (`date`, `from`, `until`, `kind`),
    or None when the page was left without one."""
    try:
        day = date.fromisoformat((query.get("date") or [""])[0])
        start, end = (time.fromisoformat((query.get(name) or [""])[0])
                      for name in ("from", "until"))
    except ValueError:
        return None
    kind = (query.get("kind") or [ResourceKind.HOT_DESK.value])[0]
    if kind not in {k.value for k in ResourceKind} or end <= start:
        return None
    return WaitingSlot(space, None, datetime.combine(day, start, tzinfo=space.zone),
                       datetime.combine(day, end, tzinfo=space.zone), ResourceKind(kind))
