"""Reading spaces, resources and closures for the views, the API and the booking rules."""
from datetime import UTC, date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from coworking import clock, permissions
from coworking.errors import NotFound
from coworking.extensions import db
from coworking.spaces.hours import schedule_from, schedule_of
from coworking.spaces.models import CHANGED_SPACES, Closure, OpeningHours, Resource, Space

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def list_spaces(viewer=None, drafts=False):
    """The published spaces, with the drafts `viewer` may see (admins: all, hosts: their
    own); every one with `drafts`, for the pages that run them."""
    query = select(Space).options(selectinload(Space.opening_hours)).order_by(Space.name)
    if not drafts and not permissions.is_admin(viewer):
        hosted = viewer.hosted_space_ids() if permissions.hosts_any_space(viewer) else set()
        query = query.where(Space.draft.is_(False) | Space.id.in_(hosted))
    return db.session.scalars(query).all()


def get_space(slug, viewer=None):
    """The space at `slug`. With a `viewer` (the public pages and the API), a draft is there
    only for admins and its own hosts: for anyone else it does not exist yet."""
    space = db.session.scalar(
        select(Space).where(Space.slug == slug).options(selectinload(Space.opening_hours))
    )
    if space is None or (viewer is not None and space.draft
                         and not permissions.can_manage_space(viewer, space.id)):
        raise NotFound(_l("There is no space called “%(slug)s”.", slug=slug), field="slug")
    return space


def active_resources(space):
    return db.session.scalars(
        select(Resource)
        .where(Resource.space_id == space.id, Resource.active.is_(True))
        .order_by(Resource.kind, Resource.name, Resource.id)
    ).all()


def resource_with_closures(resource_id, instant, lock=False):
    """(resource, closures) in one statement: the resource with its space, town and opening
    hours, and the closures of its space touching the UTC date of `instant` or a day either
    side (no time zone is further than a day from UTC); (None, []) when there is none.

    What a booking needs to be checked, read at the cost of one round trip. `lock` locks the
    resource's row on PostgreSQL until the transaction ends, so that writers for one resource
    take turns (FOR NO KEY UPDATE: inserts referencing the row are not held up). It first
    shares the lock of the space's row, one more round trip: bookings of a space go on side
    by side, but a change of its hours or a closure (which locks that row) waits for those
    under way and they for it, so the hours read here are the ones in force at the commit.
    """
    if lock:
        db.session.execute(select(Resource.space_id).join(Space, Space.id == Resource.space_id)
                           .where(Resource.id == resource_id)
                           .with_for_update(of=Space, read=True))
    day = instant.astimezone(UTC).date()
    touching = and_(Closure.space_id == Resource.space_id,
                    Closure.start_date <= day + timedelta(days=1),
                    Closure.end_date >= day - timedelta(days=1))
    query = (
        select(Resource, Closure).outerjoin(Closure, touching).where(Resource.id == resource_id)
        .options(joinedload(Resource.space, innerjoin=True).joinedload(Space.opening_hours))
    )
    if lock:
        query = query.with_for_update(of=Resource, key_share=True)
    rows = db.session.execute(query).unique().all()
    if not rows:
        return None, []
    return rows[0][0], [closure for _resource, closure in rows if closure is not None]


def schedule_at(space_id, settings_version):
    """The Schedule of a space's opening hours at `settings_version`, which the caller read
    from the space's row (locked, where the database locks): kept per app, so a booking
    reads the hours only when they have changed since the last one (one statement then).
    The version is raised with every change of the hours (`_raise_settings_version`), so
    another process's change is a miss here, never a stale hit. The Schedule is plain
    tuples and dicts that nobody changes, bound to no session."""
    known = current_app.extensions.setdefault("space_schedules", {})
    cached = known.get(space_id)
    if cached is not None and cached[0] == settings_version:
        return cached[1]
    schedule = schedule_from(db.session.execute(
        select(OpeningHours.effective_from, OpeningHours.weekday, OpeningHours.opens,
               OpeningHours.closes).where(OpeningHours.space_id == space_id)))
    # A change of this transaction's own may still be rolled back: not kept.
    if space_id not in db.session.info.get(CHANGED_SPACES, ()):
        known[space_id] = (settings_version, schedule)
    return schedule


def forget_schedules(app):
    """Drop the kept schedules: for a database put back as it was (its versions with it)."""
    app.extensions.pop("space_schedules", None)


def closures_between(space, first: date, last: date):
    """Closures of `space` touching the inclusive date range, in one query."""
    return db.session.scalars(
        select(Closure).where(
            Closure.space_id == space.id, Closure.start_date <= last, Closure.end_date >= first
        )
    ).all()


def local_today(space):
    return clock.utcnow().astimezone(space.zone).date()


def opening_hours_by_weekday(space, on=None):
    """[(weekday name, [(opens, closes), ...]), ...] Monday first, of the week in force on
    `on` (today unless told), for display and the API."""
    week = schedule_of(space).week_on(on or local_today(space))
    return [(name, list(week.get(index, ()))) for index, name in enumerate(WEEKDAYS)]


def all_slugs():
    """Every space's slug, by name: what a plan covering all spaces covers."""
    return db.session.scalars(select(Space.slug).order_by(Space.name)).all()
