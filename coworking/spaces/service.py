"""Reading spaces, resources and closures for the views, the API and the booking rules."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from flask_babel import lazy_gettext as _l

from coworking.errors import NotFound
from coworking.extensions import db
from coworking.spaces.models import Closure, Resource, Space

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def list_spaces():
    return db.session.scalars(
        select(Space).options(selectinload(Space.opening_hours)).order_by(Space.name)
    ).all()


def get_space(slug):
    space = db.session.scalar(
        select(Space).where(Space.slug == slug).options(selectinload(Space.opening_hours))
    )
    if space is None:
        raise NotFound(_l("There is no space called “%(slug)s”.", slug=slug), field="slug")
    return space


def active_resources(space):
    return db.session.scalars(
        select(Resource)
        .where(Resource.space_id == space.id, Resource.active.is_(True))
        .order_by(Resource.kind, Resource.name, Resource.id)
    ).all()


def closures_between(space, first: date, last: date):
    """Closures of `space` touching the inclusive date range, in one query."""
    return db.session.scalars(
        select(Closure).where(
            Closure.space_id == space.id, Closure.start_date <= last, Closure.end_date >= first
        )
    ).all()


def opening_hours_by_weekday(space):
    """[(weekday name, [(opens, closes), ...]), ...] Monday first, for display and the API."""
    return [
        (name, [(h.opens, h.closes) for h in space.opening_hours if h.weekday == index])
        for index, name in enumerate(WEEKDAYS)
    ]


def all_slugs():
    """Every space's slug, by name: what a plan covering all spaces covers."""
    return db.session.scalars(select(Space.slug).order_by(Space.name)).all()
