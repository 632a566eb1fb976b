"""A booking lasts at most a day, so every overlap search starts a day back and reads an index,
however long the history grows."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from coworking.bookings.models import MAX_BOOKING_LENGTH, Booking
from coworking.extensions import db
from coworking.spaces.models import MAX_BOOKING_MINUTES, Space
from tests.factories import ENGINE, resources_of

DAY_START = datetime(2027, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def desks(make_space):
    return resources_of(make_space(desks=2))


def row(user, desk, start, end, status="confirmed"):
    return {"user_id": user.id, "resource_id": desk.id, "start_at": start, "end_at": end,
            "status": status, "holds_desk": True, "source": "web",
            "created_at": datetime(2027, 1, 1, tzinfo=UTC)}


def insert_row(**values):
    with db.engine.begin() as conn:
        conn.execute(insert(Booking.__table__), values)


def test_the_database_refuses_a_booking_longer_than_a_day(desks, make_user):
    member = make_user()
    insert_row(**row(member, desks[0], DAY_START, DAY_START + MAX_BOOKING_LENGTH))
    with pytest.raises(IntegrityError):
        insert_row(**row(member, desks[1], DAY_START + timedelta(days=3),
                         DAY_START + timedelta(days=4, seconds=1), status="cancelled"))


def test_the_guards_see_a_day_long_booking_that_began_the_day_before(desks, make_user):
    alice, bob = make_user(), make_user()
    insert_row(**row(alice, desks[0], DAY_START - MAX_BOOKING_LENGTH + timedelta(minutes=30),
                     DAY_START + timedelta(minutes=30)))
    with pytest.raises(IntegrityError, match="booking_resource_overlap"):
        insert_row(**row(bob, desks[0], DAY_START, DAY_START + timedelta(hours=1)))
    with pytest.raises(IntegrityError, match="booking_member_desk_overlap"):
        insert_row(**row(alice, desks[1], DAY_START, DAY_START + timedelta(hours=1)))
    insert_row(**row(bob, desks[0], DAY_START + timedelta(minutes=30),
                     DAY_START + timedelta(hours=1)))
    # Reviving a cancelled booking over the day-long one is refused too.
    insert_row(**row(bob, desks[0], DAY_START, DAY_START + timedelta(minutes=30),
                     status="cancelled"))
    with pytest.raises(IntegrityError, match="booking_resource_overlap"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE booking SET status = 'confirmed' "
                              "WHERE status = 'cancelled'"))


def test_a_space_cannot_allow_longer_bookings_than_the_schema(app):
    Space(max_booking_minutes=MAX_BOOKING_MINUTES)
    with pytest.raises(ValueError):
        Space(max_booking_minutes=MAX_BOOKING_MINUTES + 30)


def _plan(query):
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if ENGINE == "sqlite":
            return " ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        conn.exec_driver_sql("SET enable_seqscan = off")
        return " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))


@pytest.mark.parametrize("column,index", [("resource_id", "ix_booking_resource_start"),
                                          ("user_id", "ix_booking_user_start")])
def test_overlap_searches_are_bounded_on_both_sides_of_an_index(app, column, index):
    query = select(Booking.id).where(getattr(Booking, column) == 7,
                                     *Booking.overlapping(DAY_START, DAY_START + timedelta(hours=1)))
    plan = _plan(query)
    if ENGINE == "sqlite":
        assert f"USING INDEX {index} ({column}=? AND start_at>? AND start_at<?)" in plan
    else:  # the btree index or the guard's GiST index, whichever the planner prefers
        assert "Seq Scan" not in plan
        assert "start_at >" in plan.split("Index Cond:")[1]


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite triggers; PostgreSQL's guards are "
                                               "exclusion constraints on a GiST index")
def test_the_sqlite_guards_do_not_read_the_history(desks, make_user, app):
    member = make_user()
    history = [row(member, desks[0], DAY_START - timedelta(days=d + 1),
                   DAY_START - timedelta(days=d + 1) + timedelta(hours=1))
               for d in range(2000)]

    def steps_to_insert(start):
        steps = [0]
        with db.engine.begin() as conn:
            raw = conn.connection.driver_connection
            raw.set_progress_handler(lambda: steps.__setitem__(0, steps[0] + 1) or 0, 10)
            try:
                conn.execute(insert(Booking.__table__),
                             row(member, desks[0], start, start + timedelta(hours=1)))
            finally:
                raw.set_progress_handler(None, 0)
        return steps[0]

    without_history = steps_to_insert(DAY_START)
    with db.engine.begin() as conn:
        conn.execute(insert(Booking.__table__), history)
    with_history = steps_to_insert(DAY_START + timedelta(hours=2))
    assert with_history < 2 * without_history + 20
