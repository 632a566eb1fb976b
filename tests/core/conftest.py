"""What the tests of the unit of work and the outbox share."""
import pytest
from sqlalchemy import delete

from coworking.extensions import db
from coworking.outbox import OutboxMessage


@pytest.fixture
def make_user(make_user):
    """Members whose plan's own events are gone already, so only what a test does shows."""

    def build(**values):
        user = make_user(**values)
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
        db.session.refresh(user)  # loaded here, not lazily from another thread later
        return user

    return build
