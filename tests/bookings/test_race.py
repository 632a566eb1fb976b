"""Real races: many processes and threads book the same slot at once; exactly one wins."""
import threading
from datetime import date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.accounts.service import issue_api_token
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.extensions import db
from tests.factories import ENGINE, make_config, race_in_processes, resources_of

CONTENDERS = 8


def _contend(database_url, token, body, barrier, results):
    from coworking import create_app

    app = create_app(make_config(database_url))
    client = app.test_client()
    barrier.wait(timeout=60)
    response = client.post("/api/v1/bookings", json=body,
                           headers={"Authorization": f"Bearer {token}"})
    results.put(response.status_code)


def active_bookings_of(desk):
    db.session.commit()  # end the test's read snapshot so the contenders' writes show
    return db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.resource_id == desk.id, Booking.status.in_(ACTIVE_STATUSES)))


@pytest.fixture
def contest(make_space, make_user):
    space = make_space(public_holidays_closed=False)
    desk = resources_of(space)[0]
    # A week ahead on the real clock: child processes cannot share a frozen one.
    start = datetime.combine(date.today() + timedelta(days=7), time(10), tzinfo=space.zone)
    end = start + timedelta(hours=1)
    tokens = [issue_api_token(make_user()) for _ in range(CONTENDERS)]
    return desk, {"resource_id": desk.id, "start": start.isoformat(), "end": end.isoformat()}, tokens


def test_processes_racing_for_one_slot_leave_exactly_one_booking(contest, database_url):
    desk, body, tokens = contest
    codes = sorted(race_in_processes(_contend, [(database_url, token, body) for token in tokens]))
    assert codes == [201] + [409] * (len(tokens) - 1)
    assert active_bookings_of(desk) == 1


def test_threads_racing_for_one_slot_leave_exactly_one_booking(contest, app):
    desk, body, tokens = contest
    barrier = threading.Barrier(len(tokens))
    codes, lock = [], threading.Lock()

    def contend(token):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.post("/api/v1/bookings", json=body,
                               headers={"Authorization": f"Bearer {token}"})
        with lock:
            codes.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=contend, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(code for code, _ in codes)
    assert statuses == [201] + [409] * (len(tokens) - 1), codes
    assert all(body["status"] == 409 and body["detail"] for code, body in codes if code == 409)
    assert active_bookings_of(desk) == 1


@pytest.mark.skipif(ENGINE != "postgresql", reason="SQLite's writers take turns anyway "
                                                   "(BEGIN IMMEDIATE)")
def test_bookings_of_one_desk_take_turns_so_racing_inserts_cannot_deadlock(make_space, make_user,
                                                                           app):
    """Racing inserts would wait on one another inside the exclusion constraint, and two that
    wait on each other deadlock until PostgreSQL notices, a second later. Bookings of one
    desk lock its row first, so the second waits for the first to finish instead."""
    import time as stopwatch

    from coworking.bookings.service import book
    from coworking.database import unit_of_work

    space = make_space(public_holidays_closed=False)
    desk_id = resources_of(space)[0].id
    first, second = make_user().id, make_user().id
    day = date.today() + timedelta(days=7)
    slot = lambda hour: (datetime.combine(day, time(hour), tzinfo=space.zone),  # noqa: E731
                         datetime.combine(day, time(hour + 1), tzinfo=space.zone))
    booked, released = threading.Event(), threading.Event()
    finished = {}

    def hold_the_desk():
        with app.app_context():
            with unit_of_work():
                book(db.session.get(User, first), desk_id, *slot(9))
                booked.set()
                released.wait(timeout=30)
                stopwatch.sleep(0.3)
                finished["first"] = stopwatch.monotonic()

    def book_later_that_day():
        with app.app_context():
            book(db.session.get(User, second), desk_id, *slot(14))
            finished["second"] = stopwatch.monotonic()

    holder = threading.Thread(target=hold_the_desk)
    holder.start()
    assert booked.wait(timeout=30)
    other = threading.Thread(target=book_later_that_day)
    other.start()
    released.set()
    holder.join(timeout=30)
    other.join(timeout=30)
    assert finished["second"] > finished["first"]
    assert active_bookings_of(resources_of(space)[0]) == 2
