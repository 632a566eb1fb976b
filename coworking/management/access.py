"""Which space a host or admin may run, read once per use case; and the error that asks
them to confirm a change that cancels bookings."""
from flask_babel import lazy_gettext as _l, ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coworking import permissions
from coworking.errors import Conflict, Forbidden, NotFound
from coworking.extensions import db
from coworking.spaces.models import Space


def space_to_manage(actor, slug, lock=False):
    """The space `slug` if `actor` may run it: NotFound when there is none, Forbidden for
    anyone else (a host of another space learns nothing beyond that it exists).

    `lock` locks its row on PostgreSQL, so that two changes of one space take turns (rows
    that merely refer to the space, such as audit entries, are not held up)."""
    if not permissions.hosts_any_space(actor):
        raise Forbidden(_l("Only the hosts of a space and admins run it."))
    query = (select(Space).where(Space.slug == slug)
             .options(selectinload(Space.opening_hours))
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(of=Space, key_share=True)
    space = db.session.scalar(query) if isinstance(slug, str) else None
    if space is None:
        raise NotFound(_l("There is no space called “%(slug)s”.", slug=slug))
    if not permissions.can_manage_space(actor, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s and admins run it.", name=space.name))
    return space


def spaces_to_manage(actor):
    """The spaces `actor` runs, by name: every space for an admin."""
    if not permissions.hosts_any_space(actor):
        raise Forbidden(_l("Only the hosts of a space and admins run it."))
    query = select(Space).order_by(Space.name)
    if not permissions.is_admin(actor):
        query = query.where(Space.id.in_(actor.hosted_space_ids()))
    return db.session.scalars(query).all()


class ConfirmationNeeded(Conflict):
    """The change would cancel (or move) these bookings: nothing has changed; ask first.

    Raised also when the host confirmed a list that is no longer the whole list (someone
    booked meanwhile), so that nobody's booking goes without the host having seen it."""

    code = "confirmation-needed"

    def __init__(self, bookings, plan=None):
        super().__init__(ngettext(
            "This change affects %(num)s booking. Please check it and confirm.",
            "This change affects %(num)s bookings. Please check them and confirm.",
            len(bookings)))
        self.bookings = bookings
        self.plan = plan or {}
        self.extra = {"bookings": [booking.id for booking in bookings]}
