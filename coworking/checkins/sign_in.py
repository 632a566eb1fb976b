"""The space behind a scanned door poster: a signed-out phone that scans it is sent to sign in
first, and that page names the space it comes back to, so the visitor knows why they are there."""
from sqlalchemy import select

from coworking import links
from coworking.extensions import db
from coworking.spaces.models import Space


def door_space(next_url):
    """The space whose self check-in `next_url` leads to, or None when it leads elsewhere."""
    route = links.route_of(next_url)
    if route is None or route[0] != "checkins.self_check_in":
        return None
    return db.session.scalar(select(Space).where(Space.slug == route[1]["slug"]))
