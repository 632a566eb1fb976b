"""Any free desk of a kind: `POST /api/v1/bookings` with `{space, kind, start, end}`.

The member names a time, not a desk; the desk they had last time there is preferred, and when
someone takes the chosen one at the same moment the next free one is booked, never the same
desk twice."""
import threading
from datetime import date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import book
from coworking.extensions import db
from tests.factories import make_config, race_in_processes, resources_of


def at(space, day, hour, minute=0):
    return datetime.combine(date.fromisoformat(day), time(hour, minute),
                            tzinfo=space.zone).isoformat()


def body(space, day="2027-03-02", start=9, end=17, kind="hot_desk"):
    return {"space": space.slug, "kind": kind, "start": at(space, day, start),
            "end": at(space, day, end)}


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=1, booths=1)


def test_any_free_desk_is_booked_for_the_whole_range(api, space):
    response = api().post("/api/v1/bookings", json=body(space))
    assert response.status_code == 201, response.get_json()
    booking = response.get_json()
    assert booking["resource_id"] == resources_of(space)[0].id
    assert booking["start"] == "2027-03-02T09:00:00+01:00"
    assert booking["status"] == "confirmed"


def test_the_desk_the_member_had_last_time_is_preferred(api, make_user, space):
    member = make_user()
    desks = resources_of(space)
    book(member, desks[2].id, datetime.fromisoformat(at(space, "2027-03-02", 9)),
         datetime.fromisoformat(at(space, "2027-03-02", 12)))
    response = api(member).post("/api/v1/bookings", json=body(space, day="2027-03-03"))
    assert response.status_code == 201
    assert response.get_json()["resource_id"] == desks[2].id
    # Someone else has no history there: the first desk in the page's order.
    other = api().post("/api/v1/bookings", json=body(space, day="2027-03-03"))
    assert other.get_json()["resource_id"] == desks[0].id


def test_a_desk_taken_for_part_of_the_range_is_skipped(api, make_user, space):
    desks = resources_of(space)
    book(make_user(), desks[0].id, datetime.fromisoformat(at(space, "2027-03-02", 15)),
         datetime.fromisoformat(at(space, "2027-03-02", 16)))
    response = api().post("/api/v1/bookings", json=body(space))
    assert response.get_json()["resource_id"] == desks[1].id


def test_none_free_is_a_conflict_that_says_so(api, make_user, space):
    for desk in resources_of(space):
        book(make_user(), desk.id, datetime.fromisoformat(at(space, "2027-03-02", 12)),
             datetime.fromisoformat(at(space, "2027-03-02", 13)))
    response = api().post("/api/v1/bookings", json=body(space))
    assert response.status_code == 409
    problem = response.get_json()
    assert "No Hot desk in" in problem["detail"] and "09:00" in problem["detail"]
    assert "start" in problem["errors"]


def test_rooms_and_booths_by_kind(api, space):
    member = api()
    room = member.post("/api/v1/bookings",
                       json=body(space, start=10, end=11, kind="meeting_room")).get_json()
    booth = member.post("/api/v1/bookings",
                        json=body(space, start=10, end=11, kind="phone_booth")).get_json()
    assert room["resource_id"] == resources_of(space, "meeting_room")[0].id
    assert booth["resource_id"] == resources_of(space, "phone_booth")[0].id


@pytest.mark.parametrize("change, field", [
    ({"kind": "fixed_desk"}, "kind"),
    ({"kind": "sofa"}, "kind"),
    ({"kind": None}, "kind"),
    ({"space": "nowhere"}, "space"),
    ({"start": "tomorrow"}, "start"),
])
def test_bad_fields_are_named(api, space, change, field):
    sent = {key: value for key, value in (body(space) | change).items() if value is not None}
    response = api().post("/api/v1/bookings", json=sent)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_a_time_in_the_past_is_told_as_such_not_as_none_free(api, space):
    response = api().post("/api/v1/bookings", json=body(space, day="2027-02-27"))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0


def test_the_resource_id_form_keeps_working(api, space):
    desk = resources_of(space)[1]
    response = api().post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": at(space, "2027-03-02", 9),
        "end": at(space, "2027-03-02", 10)})
    assert response.status_code == 201
    assert response.get_json()["resource_id"] == desk.id


def test_an_idempotency_key_books_any_desk_once(api, space):
    member = api()
    headers = {"Idempotency-Key": "tuesday-any"}
    first = member.post("/api/v1/bookings", json=body(space), headers=headers)
    again = member.post("/api/v1/bookings", json=body(space), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1


# -- Races: real processes and threads on a real clock (a week ahead) --------------------------

CONTENDERS = 6


@pytest.fixture
def last_desks(make_space, make_user):
    """A space of three desks, one taken: two free desks left for the contenders."""
    space = make_space(desks=3, public_holidays_closed=False)
    day = date.today() + timedelta(days=7)
    start = datetime.combine(day, time(10), tzinfo=space.zone)
    end = start + timedelta(hours=2)
    book(make_user(), resources_of(space)[0].id, start, end)
    tokens = [issue_api_token(make_user()) for _ in range(CONTENDERS)]
    return space, {"space": space.slug, "kind": "hot_desk", "start": start.isoformat(),
                   "end": end.isoformat()}, tokens


def _contend(database_url, token, sent, barrier, results):
    from coworking import create_app

    client = create_app(make_config(database_url)).test_client()
    barrier.wait(timeout=60)
    response = client.post("/api/v1/bookings", json=sent,
                           headers={"Authorization": f"Bearer {token}"})
    results.put((response.status_code, (response.get_json() or {}).get("resource_id")))


def _outcome(space, answers):
    db.session.commit()  # end the test's snapshot so the contenders' writes show
    per_desk = dict(db.session.execute(
        select(Booking.resource_id, func.count()).where(
            Booking.resource_id.in_([desk.id for desk in resources_of(space)]),
            Booking.status.in_(ACTIVE_STATUSES))
        .group_by(Booking.resource_id)).all())
    statuses = sorted(status for status, _ in answers)
    won = sorted(desk for status, desk in answers if status == 201)
    return statuses, won, per_desk


def test_processes_racing_for_the_last_desks_each_get_one_or_a_conflict(last_desks,
                                                                         database_url):
    space, sent, tokens = last_desks
    answers = race_in_processes(_contend, [(database_url, token, sent) for token in tokens])
    statuses, won, per_desk = _outcome(space, answers)
    desks = resources_of(space)
    assert statuses == [201, 201] + [409] * (CONTENDERS - 2), answers
    assert won == sorted([desks[1].id, desks[2].id])
    assert per_desk == {desk.id: 1 for desk in desks}  # never a desk twice


def test_threads_racing_for_the_last_desk_never_double_book(last_desks, app, make_user):
    space, sent, tokens = last_desks
    # Leave one desk: the second free desk is taken as well.
    book(make_user(), resources_of(space)[2].id,
         datetime.fromisoformat(sent["start"]), datetime.fromisoformat(sent["end"]))
    barrier = threading.Barrier(len(tokens))
    answers, lock = [], threading.Lock()

    def contend(token):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.post("/api/v1/bookings", json=sent,
                               headers={"Authorization": f"Bearer {token}"})
        with lock:
            answers.append((response.status_code, response.get_json().get("resource_id")))

    threads = [threading.Thread(target=contend, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses, won, per_desk = _outcome(space, answers)
    assert statuses == [201] + [409] * (CONTENDERS - 1), answers
    assert won == [resources_of(space)[1].id]
    assert set(per_desk.values()) == {1}
