"""What the event tests share: a space with a room, its host, and an API caller per role."""
import re

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from tests.factories import resources_of

# Tuesday after the frozen Monday 2027-03-01; the test spaces open 08:00-18:00 every day.
DAY = "2027-03-02"


def at(clock_time, day=DAY):
    return f"{day}T{clock_time}:00+01:00"


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2, rooms=1)


@pytest.fixture
def room(space):
    return resources_of(space, "meeting_room")[0]


@pytest.fixture
def host(make_user, space):
    return make_user(role="host", space=space, email="host@example.org")


@pytest.fixture
def new_event(api, host, space):
    """Builder: POSTs an event as the host; returns the response's JSON (asserting 201)."""
    caller = api(host)

    def build(**values):
        body = {"title": "Stammtisch", "description": "Wir treffen uns.", "start": at("16:00"),
                "end": at("18:00"), "capacity": 10, "visibility": "public", **values}
        response = caller.post(f"/api/v1/spaces/{space.slug}/events", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return build


def mails_to(address):
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == mail.TOPIC)
                              .order_by(OutboxMessage.id)).all()
    return [row.payload for row in rows if row.payload["to"] == address]


def link_in(payload, path):
    match = re.search(rf"https?://[^\s]+{path}[^\s\"<]+", payload["text"])
    assert match, payload["text"]
    return match.group(0)
