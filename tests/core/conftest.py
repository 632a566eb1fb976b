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


@pytest.fixture(autouse=True)
def without_mail(monkeypatch):
    """The outbox's own rules, counted on the domain events alone: the e-mails those events
    cause are rows too, and have tests of their own (tests/notifications)."""
    from coworking import events

    for event_type, handlers in list(events._subscribers.items()):
        kept = [h for h in handlers if not h.__module__.startswith("coworking.notifications")]
        monkeypatch.setitem(events._subscribers, event_type, kept)
