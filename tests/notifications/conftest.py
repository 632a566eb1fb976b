"""What the e-mail tests share: members whose earlier mail (their plan's) is gone already."""
from datetime import datetime

import pytest
from sqlalchemy import delete

from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.factories import resources_of


@pytest.fixture
def make_user(make_user):
    def build(**values):
        user = make_user(**values)
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
        db.session.refresh(user)
        return user

    return build


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space(desks=4))[0]


def at(text, day="2027-03-02"):
    """A wall-clock time in Berlin on `day` (Tuesday after the frozen Monday)."""
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")
