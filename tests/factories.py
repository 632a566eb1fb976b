"""Builders and helpers the tests share, imported by the tests and by conftest alike."""
import os
import re
from datetime import UTC, datetime

from sqlalchemy import select

from config import TestConfig
from coworking.extensions import db
from coworking.spaces.models import Resource

PG_URL = os.environ.get("TEST_DATABASE_URL")
ENGINE = "postgresql" if PG_URL else "sqlite"


def make_config(database_url, **overrides):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


class Clock:
    """Moves the frozen clock: `set("2027-03-02T10:30:00+01:00")` returns the UTC instant."""

    def __init__(self, traveller):
        self._traveller = traveller

    def set(self, iso):
        instant = datetime.fromisoformat(iso).astimezone(UTC)
        self._traveller.move_to(instant)
        return instant


def resources_of(space, kind="hot_desk"):
    return db.session.scalars(select(Resource).where(Resource.space_id == space.id,
                                                     Resource.kind == kind)
                              .order_by(Resource.id)).all()


def csrf_token(client, path):
    """The CSRF token of the form on `path`, as a browser would submit it."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)
