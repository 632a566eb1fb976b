"""What one booking costs the database, counted on the engine: `book()` within five statements
and one commit on both engines (one more, reading the opening hours, only for the first
booking of a space since its hours or rules last changed), its confirmation e-mail included (written when it is sent),
and a booking over the API with one commit, one trip through the pool (one ping) and no
rollback after the commit; everything a booking writes is still written."""
from datetime import date, datetime

import pytest
from sqlalchemy import delete, event, func, select

from coworking.accounts.models import User
from coworking.accounts.service import issue_api_token
from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.calendars.models import CalendarStamp
from coworking.database import unit_of_work
from coworking.errors import RuleViolation
from coworking.extensions import db
from coworking.management.hours import set_opening_hours
from coworking.memberships.models import CoverUse
from coworking.outbox import OutboxMessage
from tests.factories import resources_of

NINE = datetime.fromisoformat("2027-03-02T09:00:00+01:00")
TEN = datetime.fromisoformat("2027-03-02T10:00:00+01:00")
ELEVEN = datetime.fromisoformat("2027-03-02T11:00:00+01:00")


class Traffic:
    """Statements, commits, rollbacks and pool checkouts (each one ping with pool_pre_ping),
    in order, as the engine's event listeners see them."""

    def __init__(self, engine):
        self.engine, self.entries = engine, []
        self.listeners = (
            ("before_cursor_execute",
             lambda conn, cursor, statement, *rest: self.entries.append(statement)),
            ("commit", lambda conn: self.entries.append("<COMMIT>")),
            ("rollback", lambda conn: self.entries.append("<ROLLBACK>")),
            ("checkout", lambda *rest: self.entries.append("<CHECKOUT>")),
        )

    def __enter__(self):
        for name, listener in self.listeners:
            event.listen(self.engine, name, listener)
        return self

    def __exit__(self, *exc):
        for name, listener in self.listeners:
            event.remove(self.engine, name, listener)

    @property
    def statements(self):
        return [e for e in self.entries
                if not e.startswith("<") and not e.lstrip().upper().startswith("BEGIN")]

    def count(self, marker):
        return self.entries.count(marker)

    def rollbacks_after_commit(self):
        if "<COMMIT>" not in self.entries:
            return 0
        return self.entries[self.entries.index("<COMMIT>"):].count("<ROLLBACK>")


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space(desks=2))[0]


def _forget_earlier_messages():
    """The member's welcome and the like: what is left afterwards is the booking's."""
    db.session.execute(delete(OutboxMessage))
    db.session.commit()


def _written_for(booking_id):
    """What a covered booking leaves behind besides its row."""
    db.session.commit()
    return {
        "cover uses": db.session.scalar(select(func.count()).select_from(CoverUse)
                                        .where(CoverUse.booking_id == booking_id)),
        "outbox topics": sorted(db.session.scalars(select(OutboxMessage.topic))),
        "calendar stamps": db.session.scalar(select(func.count()).select_from(CalendarStamp)),
    }


# Five: the read, the booking, its cover use, the outbox row of its confirmation e-mail and
# the calendar stamps, on both engines. What is still to be paid on site, which the e-mail
# tells, is read when the worker writes it, not in the booking's unit. The space's opening
# hours are kept per process while its settings version stays the same: the first booking
# after a change (or after a start) reads them once more, a sixth statement.
BUDGET = 5


def _hours_reads(traffic):
    return [s for s in traffic.statements if "FROM opening_hours" in s]


def _book_counted(member_id, desk_id, start, end):
    db.session.remove()
    member = db.session.get(User, member_id)  # as a request has loaded its user
    with Traffic(db.engine) as traffic:
        booking = book(member, desk_id, start, end)
    return booking, traffic


def test_book_takes_five_statements_and_one_commit(desk, make_user):
    member_id, desk_id = make_user().id, desk.id
    _forget_earlier_messages()
    first, traffic = _book_counted(member_id, desk_id, NINE, TEN)
    assert len(traffic.statements) <= BUDGET + 1, traffic.statements
    assert len(_hours_reads(traffic)) == 1, traffic.statements
    assert traffic.count("<COMMIT>") == 1
    _forget_earlier_messages()

    booking, traffic = _book_counted(member_id, desk_id, TEN, ELEVEN)
    assert len(traffic.statements) <= BUDGET, traffic.statements
    assert _hours_reads(traffic) == []
    assert traffic.count("<COMMIT>") == 1
    assert traffic.rollbacks_after_commit() == 0
    assert _written_for(booking.id) == {"cover uses": 1,
                                        "outbox topics": ["mail"],
                                        "calendar stamps": 2}


def test_a_change_of_the_hours_is_read_by_the_next_booking(desk, make_user):
    """The hours kept from the last booking are read again once the host has changed them:
    a booking in the hours just taken away is refused, one still open is not."""
    member_id, desk_id, slug = make_user().id, desk.id, desk.space.slug
    host_id = make_user(email="host@example.org", role="host", space=desk.space).id
    _book_counted(member_id, desk_id, NINE, TEN)
    with unit_of_work():
        set_opening_hours(db.session.get(User, host_id), slug, {"tuesday": "08:00–10:00"},
                          confirmed=None, effective_from=date(2027, 3, 2))
    with pytest.raises(RuleViolation):
        _book_counted(member_id, desk_id, TEN, ELEVEN)
    _, traffic = _book_counted(member_id, desk_id, datetime.fromisoformat(
        "2027-03-02T08:00:00+01:00"), NINE)
    assert _hours_reads(traffic) == []


def test_a_booking_over_the_api_commits_once_and_pings_once(desk, make_user, client):
    member = make_user()
    token, desk_id = issue_api_token(member), desk.id
    _forget_earlier_messages()
    with Traffic(db.engine) as traffic:
        response = client.post("/api/v1/bookings", headers={"Authorization": f"Bearer {token}"},
                               json={"resource_id": desk_id, "start": NINE.isoformat(),
                                     "end": TEN.isoformat()})
    assert response.status_code == 201, response.json
    assert traffic.count("<COMMIT>") == 1, traffic.entries
    assert traffic.count("<CHECKOUT>") == 1, traffic.entries
    assert traffic.rollbacks_after_commit() == 0, traffic.entries
    # The token's first use is written in the booking's own unit, not in a commit of its own.
    assert any(s.startswith("UPDATE api_token") for s in traffic.statements)
    assert _written_for(response.json["id"]) == {"cover uses": 1,
                                                 "outbox topics": ["mail"],
                                                 "calendar stamps": 2}
    booking = db.session.get(Booking, response.json["id"])
    assert booking.status == "confirmed" and response.json["covered_by"] is not None
