"""A member checking in and the no-show job releasing the same booking at the same moment:
exactly one of them wins, on SQLite and on PostgreSQL. Whichever comes second sees what the
first did, because both lock the booking's row and decide again on what they locked."""
import threading
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from coworking.accounts.models import User
from coworking.accounts.service import issue_api_token
from coworking.bookings.service import book
from coworking.checkins import service
from coworking.checkins.codes import daily_code
from coworking.checkins.jobs import mark_no_shows
from coworking.database import unit_of_work
from coworking.extensions import db
from tests.checkins.helpers import at, booking_of, visits
from tests.factories import ENGINE, resources_of

AFTER_GRACE = "2027-03-02T09:31:00+01:00"


@pytest.fixture
def contest(space, make_user, frozen):
    """A booking overdue for check-in, its member's token and today's code."""
    member = make_user()
    booking = book(member, resources_of(space)[0].id, at("09:00"), at("12:00"))
    frozen.set(AFTER_GRACE)
    code = daily_code(space, date(2027, 3, 2))
    token = issue_api_token(member)
    db.session.commit()
    return booking.id, member.id, token, code


def check_in_over_http(app, booking_id, token, code, answers):
    client = FlaskClient(app)
    response = client.post(f"/api/v1/bookings/{booking_id}/check-in", json={"code": code},
                           headers={"Authorization": f"Bearer {token}"})
    answers.append(response.status_code)


def run(*targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


def assert_one_outcome(booking_id, checked_in, released):
    booking = booking_of(booking_id)
    if booking.status == "checked_in":
        assert checked_in == [200] and released == [0]
        assert [v.booking_id for v in visits()] == [booking_id]
    else:
        assert booking.status == "no_show"
        assert checked_in == [409] and released == [1]
        assert visits() == []


def wait_until_someone_waits_for_a_lock(timeout=30):
    """On PostgreSQL: until another session waits for a row lock (the check-in behind the
    job's unit, say). SQLite shows no such thing; its writers take turns anyway."""
    if ENGINE != "postgresql":
        return
    probe = threading.Event()
    with db.engine.connect() as conn:
        for _ in range(int(timeout / 0.01)):
            if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE "
                                 "wait_event_type = 'Lock' AND datname = current_database()")
                            ).scalar():
                return
            conn.commit()
            probe.wait(0.01)
    raise AssertionError("nobody waited for a lock")


def test_the_job_first_the_member_second_gets_a_clear_conflict(app, contest):
    booking_id, _member_id, token, code = contest
    marked, released, answers = threading.Event(), [], []

    def job_holding_its_unit():
        with app.app_context():
            with unit_of_work():
                released.append(mark_no_shows())
                marked.set()
                wait_until_someone_waits_for_a_lock()

    def member_checking_in():
        with app.app_context():
            assert marked.wait(timeout=30)
            # The job's unit still holds the row (or SQLite's write lock): this waits for it.
            check_in_over_http(app, booking_id, token, code, answers)

    run(job_holding_its_unit, member_checking_in)
    assert_one_outcome(booking_id, answers, released)
    assert booking_of(booking_id).status == "no_show"


def test_the_member_first_the_job_second_leaves_the_booking_checked_in(app, contest):
    booking_id, member_id, _token, code = contest
    checked_in, go_on, answers, released = threading.Event(), threading.Event(), [], []

    def member_holding_the_unit():
        with app.app_context():
            with unit_of_work():
                service.check_in(db.session.get(User, member_id), booking_id, code)
                answers.append(200)
                checked_in.set()
                assert go_on.wait(timeout=30)

    def job():
        with app.app_context():
            assert checked_in.wait(timeout=30)
            if ENGINE == "postgresql":
                # While the check-in holds the row, the job skips it rather than wait.
                released.append(mark_no_shows())
                go_on.set()
            else:
                # SQLite's job waits for the check-in's write lock to be given up.
                go_on.set()
                released.append(mark_no_shows())

    run(member_holding_the_unit, job)
    assert_one_outcome(booking_id, answers, released)
    assert booking_of(booking_id).status == "checked_in"
    assert mark_no_shows() == 0


@pytest.mark.parametrize("round_", range(6))
def test_racing_at_the_same_instant_has_exactly_one_outcome(app, contest, round_):
    booking_id, _member_id, token, code = contest
    barrier = threading.Barrier(2)
    answers, released = [], []

    def member():
        with app.app_context():
            barrier.wait(timeout=30)
            check_in_over_http(app, booking_id, token, code, answers)

    def job():
        with app.app_context():
            barrier.wait(timeout=30)
            released.append(mark_no_shows())

    run(*((member, job) if round_ % 2 else (job, member)))
    assert_one_outcome(booking_id, answers, released)
