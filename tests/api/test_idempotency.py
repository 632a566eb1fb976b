"""`POST /api/v1/bookings` with an Idempotency-Key: a repeat within 24 hours answers the first
response again, the same key with another body is refused, and a key is free after 24 hours."""
import threading
from datetime import date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.bookings.idempotency import IdempotencyKey
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.extensions import db
from tests.factories import resources_of


@pytest.fixture
def desks(make_space, frozen):
    return resources_of(make_space(desks=2))


def body(desk, start="09:00", end="10:00", day="2027-03-02"):
    return {"resource_id": desk.id, "start": f"{day}T{start}:00+01:00", "end": f"{day}T{end}:00+01:00"}


def keyed(member, json, key):
    return member.post("/api/v1/bookings", json=json, headers={"Idempotency-Key": key})


def count(model, *where):
    db.session.commit()  # a fresh snapshot: the requests wrote in their own sessions
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def assert_refused_naming_the_header(response):
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == ["Idempotency-Key"]
    assert "Idempotency-Key" in response.json["detail"]


def test_a_repeat_with_the_same_key_and_body_answers_the_first_response(desks, api):
    member = api()
    first = keyed(member, body(desks[0]), "order-4711")
    again = keyed(member, body(desks[0]), "order-4711")
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(Booking) == 1 and count(IdempotencyKey) == 1


def test_the_same_body_in_another_key_order_or_spacing_is_the_same_request(desks, api):
    member = api()
    first = keyed(member, body(desks[0]), "k")
    data = '{ "end": "2027-03-02T10:00:00+01:00",  "start": "2027-03-02T09:00:00+01:00", "resource_id": %d }'
    again = member.post("/api/v1/bookings", data=data % desks[0].id, content_type="application/json",
                        headers={"Idempotency-Key": "k"})
    assert again.status_code == 201 and again.json == first.json
    assert count(Booking) == 1


def test_the_first_answer_comes_back_even_after_the_booking_changed(desks, api):
    """A client whose connection broke learns what happened then, not what happened since."""
    member = api()
    first = keyed(member, body(desks[0]), "k")
    member.post(f"/api/v1/bookings/{first.json['id']}/cancel")
    again = keyed(member, body(desks[0]), "k")
    assert again.status_code == 201 and again.json["status"] == "confirmed"
    assert member.get(f"/api/v1/bookings/{first.json['id']}").json["status"] == "cancelled"


def test_the_same_key_with_another_body_is_refused_naming_the_header(desks, api):
    member = api()
    assert keyed(member, body(desks[0]), "k").status_code == 201
    assert_refused_naming_the_header(keyed(member, body(desks[1]), "k"))
    assert_refused_naming_the_header(keyed(member, body(desks[0], end="10:30"), "k"))
    assert count(Booking) == 1


def test_keys_belong_to_one_member(desks, api):
    first, second = api(), api()
    assert keyed(first, body(desks[0]), "shared").status_code == 201
    other = keyed(second, body(desks[1]), "shared")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert count(Booking) == 2


def test_only_successful_bookings_are_remembered(desks, api):
    member, other = api(), api()
    taken = other.post("/api/v1/bookings", json=body(desks[0]))
    refused = keyed(member, body(desks[0]), "k")
    assert refused.status_code == 409
    other.post(f"/api/v1/bookings/{taken.json['id']}/cancel")
    again = keyed(member, body(desks[0]), "k")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    # A broken rule is not remembered either: the same key then books something valid.
    assert keyed(member, body(desks[1], "07:00", "08:00"), "k2").status_code == 422
    assert keyed(member, body(desks[1], "11:00", "12:00"), "k2").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 201, "schlüssel", "tab\there", "del\x7f"])
def test_a_malformed_key_is_refused_naming_the_header(desks, api, key):
    member = api()
    assert_refused_naming_the_header(keyed(member, body(desks[0]), key))
    assert count(Booking) == 0


@pytest.mark.parametrize("key", ["x" * 200, "a", "2f1c9b7e-0d6a-4a8e-9c1d-0b6e1f2a3c4d", "~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"])
def test_any_printable_ascii_key_up_to_200_characters_is_taken(desks, api, key):
    member = api()
    first = keyed(member, body(desks[0]), key)
    assert first.status_code == 201
    assert keyed(member, body(desks[0]), key).json == first.json


def test_a_key_is_free_again_after_24_hours_even_before_the_prune_job(desks, api, frozen):
    member = api()
    first = keyed(member, body(desks[0], day="2027-03-05"), "k")
    assert first.status_code == 201
    frozen.set("2027-03-02T06:59:00+01:00")
    assert keyed(member, body(desks[0], day="2027-03-05"), "k").json == first.json
    other = body(desks[1], "11:00", "12:00", day="2027-03-05")
    assert_refused_naming_the_header(keyed(member, other, "k"))
    frozen.set("2027-03-02T07:00:00+01:00")
    later = keyed(member, other, "k")
    assert later.status_code == 201 and later.json["id"] != first.json["id"]
    assert count(IdempotencyKey) == 1  # the expired row made way for the new one


def test_the_prune_job_forgets_keys_at_the_minute_they_expire(desks, api, frozen, runner):
    member = api()
    keyed(member, body(desks[0], day="2027-03-05"), "k")
    frozen.set("2027-03-02T06:59:00+01:00")
    assert "prune-booking-keys: pruned 0" in runner.invoke(args=["jobs", "run"]).output
    frozen.set("2027-03-02T07:00:00+01:00")
    assert "prune-booking-keys: pruned 1" in runner.invoke(args=["jobs", "run"]).output
    assert count(IdempotencyKey) == 0
    assert count(Booking) == 1


def race(app, token, requests):
    """Send `requests` ((key, body) pairs) from one member at the same moment; their answers."""
    barrier = threading.Barrier(len(requests))
    answers, lock = [], threading.Lock()

    def send(key, json):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.post("/api/v1/bookings", json=json,
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                                        "Accept-Language": "en"})
        with lock:
            answers.append((response.status_code, response.get_json(),
                            response.headers.get("Idempotent-Replayed")))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == len(requests), answers
    return answers


@pytest.fixture
def week_ahead(make_space, make_user):
    """Two desks and a member on the real clock: the racing threads run in real time."""
    from coworking.accounts.service import issue_api_token

    space = make_space(desks=2, public_holidays_closed=False)
    day = date.today() + timedelta(days=7)

    def at(hour):
        return datetime.combine(day, time(hour), tzinfo=space.zone).isoformat()

    token = issue_api_token(make_user())
    db.session.commit()
    return resources_of(space), at, token


def test_two_requests_with_one_key_at_once_book_once_and_both_answer_it(app, week_ahead):
    desks, at, token = week_ahead
    for round, hour in enumerate((9, 11, 13)):
        json = {"resource_id": desks[0].id, "start": at(hour), "end": at(hour + 1)}
        answers = race(app, token, [(f"race-{round}", json)] * 2)
        assert [status for status, _, _ in answers] == [201, 201], answers
        assert answers[0][1] == answers[1][1]
        assert sorted(str(replayed) for _, _, replayed in answers) == ["None", "true"]
    assert count(Booking, Booking.status.in_(ACTIVE_STATUSES)) == 3
    assert count(IdempotencyKey) == 3


def test_one_key_with_two_bodies_at_once_books_one_and_refuses_the_other(app, week_ahead):
    """Two hours in a row do not collide, so the key's unique constraint decides."""
    desks, at, token = week_ahead
    for round, hour in enumerate((9, 12, 15)):
        requests = [(f"race-{round}", {"resource_id": desks[0].id, "start": at(h), "end": at(h + 1)})
                    for h in (hour, hour + 1)]
        answers = race(app, token, requests)
        assert sorted(status for status, _, _ in answers) == [201, 422], answers
        refused = next(body for status, body, _ in answers if status == 422)
        assert list(refused["errors"]) == ["Idempotency-Key"]
    assert count(Booking, Booking.status.in_(ACTIVE_STATUSES)) == 3


def test_the_overlap_guards_or_the_unique_key_decide_when_the_first_key_is_not_yet_seen(
        desks, make_user, monkeypatch):
    """What a request does when the first one with its key commits just after it looked:
    its booking collides (same body) or its key does (another body); nothing is kept."""
    from coworking.bookings import idempotency, service

    member = make_user()

    def respond(booking):
        return 201, {"id": booking.id}

    def book(request_fingerprint, start, end):
        return idempotency.book_once(
            member, "late", request_fingerprint, respond,
            lambda: service.book(member, desks[0].id,
                                 datetime.fromisoformat(f"2027-03-02T{start}:00+01:00"),
                                 datetime.fromisoformat(f"2027-03-02T{end}:00+01:00"), "api"))

    first = book("same", "09:00", "10:00")
    looked = []
    seen = idempotency._replay

    def too_early(*args):
        looked.append(args)
        return None if len(looked) == 1 else seen(*args)

    monkeypatch.setattr(idempotency, "_replay", too_early)
    again = book("same", "09:00", "10:00")
    assert (again.status, again.body, again.replayed) == (201, {"id": first.booking.id}, True)
    looked.clear()
    with pytest.raises(idempotency.KeyReused):
        book("other", "11:00", "12:00")
    assert count(Booking) == 1 and count(IdempotencyKey) == 1
