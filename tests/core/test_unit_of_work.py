"""One unit of work per use case: it commits once, rolls back everything on failure, holds no
lock after failing, composes, and turns a lost race into a Conflict."""
import sqlite3
import threading
from datetime import datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from coworking.bookings import service
from coworking.bookings.models import Booking
from coworking.database import unit_of_work, use_case
from coworking.errors import Conflict, RuleViolation
from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.factories import ENGINE, read_topics, resources_of


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space(desks=2))[0]


def at(text):
    return datetime.fromisoformat(f"2027-03-02T{text}:00+01:00")


def count(model):
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_rule_error_releases_the_write_lock_at_once(desk, make_user, app):
    member = make_user()
    with pytest.raises(RuleViolation):
        service.book(member, desk.id, at("07:00"), at("08:00"))  # before opening
    assert not db.session().in_transaction()
    if ENGINE == "sqlite":
        # Another writer on the same file gets the write lock without waiting.
        path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
    assert service.book(member, desk.id, at("09:00"), at("10:00")).id


def test_a_use_case_that_fails_half_way_leaves_nothing_behind(desk, make_user, monkeypatch):
    read_topics(monkeypatch, "booking.confirmed")  # its event would be a row, were it kept
    member = make_user()

    @use_case
    def book_then_fail():
        service.book(member, desk.id, at("09:00"), at("10:00"))
        raise RuntimeError("the second step fails")

    with pytest.raises(RuntimeError):
        book_then_fail()
    assert count(Booking) == 0
    assert count(OutboxMessage) == 0


def test_units_compose_and_commit_once(desk, make_user, app, monkeypatch):
    read_topics(monkeypatch, "booking.confirmed")
    first, second = make_user(), make_user()
    db.session.commit()
    commits = []
    event.listen(db.engine, "commit", lambda conn: commits.append(1))

    @use_case
    def two_bookings():
        a = service.book(first, desk.id, at("09:00"), at("10:00"))
        # The second one loses against the first inside the same unit; a savepoint keeps
        # the first booking, and the composing use case goes on.
        with pytest.raises(Conflict):
            service.book(second, desk.id, at("09:30"), at("10:30"))
        b = service.book(second, desk.id, at("10:00"), at("11:00"))
        return a, b

    a, b = two_bookings()
    assert len(commits) == 1
    assert count(Booking) == 2
    topics = db.session.scalars(select(OutboxMessage.topic).where(OutboxMessage.topic != "mail")
                                .order_by(OutboxMessage.id)).all()
    assert topics == ["booking.confirmed", "booking.confirmed"]


def test_changes_made_outside_a_unit_are_refused_not_committed(desk, make_user):
    member = make_user()
    db.session.commit()
    member.name = "Changed behind the unit's back"
    with pytest.raises(RuntimeError):
        service.book(member, desk.id, at("09:00"), at("10:00"))
    db.session.rollback()
    assert count(Booking) == 0
    assert db.session.get(type(member), member.id).name == "Test Member"


def test_a_use_case_after_reads_begins_a_writer_on_sqlite_and_goes_on_on_postgresql(desk,
                                                                                    make_user):
    """A request reads the signed-in user first. SQLite needs a new transaction begun
    IMMEDIATE for the write lock, and ends the read by a rollback on the same connection;
    PostgreSQL has no writer mode, so ending the read would only cost a COMMIT and a BEGIN."""
    from coworking.accounts.models import User

    member_id, desk_id = make_user().id, desk.id
    db.session.remove()
    commits, pings = [], []
    dialect = db.engine.dialect
    ping = type(dialect).do_ping
    dialect.do_ping = lambda dbapi_connection: pings.append(1) or ping(dialect, dbapi_connection)
    event.listen(db.engine, "commit", lambda conn: commits.append(1))
    try:
        member = db.session.get(User, member_id)
        service.book(member, desk_id, at("09:00"), at("10:00"))
    finally:
        del dialect.do_ping
    # SQLite ends the read by a rollback, keeping what it loaded; one commit either way.
    assert (len(commits), len(pings)) == (1, 1)
    assert count(Booking) == 1


class _Deadlock(Exception):
    sqlstate = "40P01"


def test_a_lost_race_is_retried_once_then_answered_as_a_conflict(app):
    calls = []

    @use_case
    def always_deadlocks():
        calls.append(1)
        raise OperationalError("INSERT ...", {}, _Deadlock("deadlock detected"))

    with pytest.raises(Conflict):
        always_deadlocks()
    assert len(calls) == 2

    calls.clear()

    @use_case
    def deadlocks_once():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, _Deadlock("deadlock detected"))
        return "done"

    assert deadlocks_once() == "done" and len(calls) == 2


def test_other_database_errors_are_not_mistaken_for_races(app):
    @use_case
    def broken():
        raise OperationalError("SELECT ...", {}, Exception("disk I/O error"))

    with pytest.raises(OperationalError):
        broken()


def test_a_nested_unit_joins_the_outer_one(desk, make_user):
    member = make_user()
    with pytest.raises(RuntimeError):
        with unit_of_work():
            with unit_of_work():
                service.book(member, desk.id, at("09:00"), at("10:00"))
            assert count_in_transaction() == 1
            raise RuntimeError("the outer use case fails after the inner one")
    assert count(Booking) == 0


def count_in_transaction():
    return db.session.scalar(select(func.count()).select_from(Booking))


@pytest.mark.parametrize("round_", range(3))
def test_threads_racing_book_leave_one_booking_and_only_conflicts(make_space, make_user, app,
                                                                  frozen, round_):
    """On PostgreSQL concurrent inserts may deadlock while the exclusion constraint is checked;
    that too must end as a Conflict, never as a database error."""
    space = make_space(desks=1, rooms=0)
    desk = resources_of(space)[0]
    members = [make_user() for _ in range(8)]
    barrier = threading.Barrier(len(members))
    outcomes, lock = [], threading.Lock()

    def contend(member, offset):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                # Overlapping but different ranges, so inserts wait on one another.
                service.book(member, desk.id, at(f"{9 + offset % 2:02d}:00"),
                             at(f"{11 + offset % 3:02d}:00"))
                outcome = "booked"
            except Conflict:
                outcome = "conflict"
            except Exception as error:  # pragma: no cover - the failure this test looks for
                outcome = repr(error)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=contend, args=(m, i)) for i, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["conflict"] * 7
    assert count(Booking) == 1
