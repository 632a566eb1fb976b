"""At the same moment: first requests that all make a member's token, rotations, and bookings
that stamp one space's feed. Each ends with one token in force and a stamp per change."""
import threading
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.calendars.models import CalendarStamp, CalendarToken
from coworking.extensions import db
from tests.factories import resources_of

CONTENDERS = 6


def at_once(app, requests):
    """Send every (method, path, token, body) from its own thread at once; the answers."""
    barrier = threading.Barrier(len(requests))
    answers, lock = [], threading.Lock()

    def send(method, path, token, body):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.open(path, method=method, json=body,
                               headers={"Authorization": f"Bearer {token}"})
        with lock:
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.commit()  # end the test's snapshot so the threads' writes show
    return answers


def tokens_in_force(user):
    return db.session.scalar(select(func.count()).select_from(CalendarToken).where(
        CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)))


def test_first_requests_at_once_make_one_token_and_show_one_url(app, make_user):
    member = make_user()
    token = issue_api_token(member)
    answers = at_once(app, [("GET", "/api/v1/me", token, None)] * CONTENDERS)
    assert [status for status, _ in answers] == [200] * CONTENDERS
    assert len({body["calendar_url"] for _, body in answers}) == 1
    assert tokens_in_force(member) == 1


def test_rotations_at_once_leave_one_token_in_force(app, make_user):
    member = make_user()
    token = issue_api_token(member)
    answers = at_once(app, [("POST", "/api/v1/me/calendar-token", token, {})] * CONTENDERS)
    assert [status for status, _ in answers] == [201] * CONTENDERS, answers
    assert tokens_in_force(member) == 1


def test_bookings_at_once_in_one_space_each_raise_its_stamp(app, make_space, make_user, frozen):
    space = make_space(desks=CONTENDERS, rooms=0)
    requests = [("POST", "/api/v1/bookings", issue_api_token(make_user()),
                 {"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
                  "end": "2027-03-02T10:00:00+01:00"}) for desk in resources_of(space)]
    answers = at_once(app, requests)
    assert [status for status, _ in answers] == [201] * CONTENDERS, answers
    stamp = db.session.get(CalendarStamp, ("space", space.id))
    # The clock stands still: every change still moved Last-Modified on by a second.
    now = int(datetime(2027, 3, 1, 6, tzinfo=UTC).timestamp())
    assert stamp.changed == now + CONTENDERS - 1
