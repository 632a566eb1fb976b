"""What the tests of running a space share: a space open Monday to Friday 08:00–18:00 on the
frozen Monday 2027-03-01, its host signed in, members with bookings, and helpers to post
forms and read what the audit log and the outbox hold."""
from datetime import datetime, time

import pytest
from sqlalchemy import delete, select

from coworking.audit import AuditEntry
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.factories import csrf_token

WEEKDAYS_8_TO_18 = {day: [(time(8), time(18))] for day in range(5)}


def at(text, day="2027-03-02"):
    """A wall-clock time in Berlin on `day` (Tuesday after the frozen Monday by default)."""
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


@pytest.fixture
def space(make_space, frozen):
    return make_space(slug="moelln-test", hours=WEEKDAYS_8_TO_18, desks=3, rooms=1)


@pytest.fixture
def host(space, make_user, login):
    user = make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
    login("host@example.org")
    return user


@pytest.fixture
def booked(make_user):
    """Builder: a member's booking of `resource` from `start` to `end` ("09:00", day)."""
    def build(resource, start="09:00", end="12:00", day="2027-03-02", member=None, **member_values):
        member = member or make_user(**member_values)
        return book(member, resource.id, at(start, day), at(end, day))

    return build


def post_form(client, path, data, token_from=None):
    """Send a form as the browser would: with the CSRF token of the page it is on."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def audit_entries(action=None):
    db.session.commit()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.scalars(query).all()


def forget_mail():
    """Drop what the outbox holds so far (booking confirmations), to see only what follows."""
    db.session.execute(delete(OutboxMessage))
    db.session.commit()


def mails():
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail").order_by(OutboxMessage.id))]
