"""Changing a booking: its member moves it to another time and/or desk in one step, keeping
its id and cover; the new slot is checked like a new booking, a taken one is a 409 that
leaves the booking as it was, and of many members changing into one free slot exactly one
gets it."""
import threading
from datetime import date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.memberships.models import CoverUse, CreditEntry
from tests.api.test_api_contract import assert_problem
from tests.checkins.helpers import booking_of
from tests.factories import give_membership, resources_of

CONTENDERS = 8


def at(hm, day="2027-03-02"):
    return datetime.fromisoformat(f"{day}T{hm}:00+01:00")


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=1, public_holidays_closed=False)


@pytest.fixture
def member(api, make_user):
    """Mara holds a 10-visit card (no unlimited plan) and booked Desk 1, 09:00-12:00."""
    return api(make_user(email="mara@example.org", name="Mara Member", covered=False))


@pytest.fixture
def booking(space, member):
    give_membership(member.user, kind="multi_pass", spaces=[space], credits=10)
    return book(member.user, resources_of(space)[0].id, at("09:00"), at("12:00"))


@pytest.fixture
def api_patch(client):
    def send(caller, booking, body, **kw):
        return client.patch(f"/api/v1/bookings/{booking.id}", json=body,
                            headers=caller.headers, **kw)
    return send


def credits_spent(user):
    db.session.commit()
    return -db.session.scalar(select(func.coalesce(func.sum(CreditEntry.delta), 0))
                              .where(CreditEntry.reason == "booking"))


def test_time_and_desk_change_in_one_step_keeping_id_and_cover(space, booking, member,
                                                               api_patch):
    desk2 = resources_of(space)[1]
    spent = credits_spent(member.user)
    response = api_patch(member, booking, {"start": "2027-03-03T13:00:00+01:00",
                                           "end": "2027-03-03T15:00:00+01:00",
                                           "resource_id": desk2.id})
    assert response.status_code == 200, response.json
    assert response.json["id"] == booking.id and response.json["resource_id"] == desk2.id
    assert response.json["start"] == "2027-03-03T13:00:00+01:00"
    assert response.json["covered_by"] == {"membership_id": booking.membership_id}
    changed = booking_of(booking.id)
    assert changed.start_at == at("13:00", "2027-03-03") and changed.status == "confirmed"
    assert credits_spent(member.user) == spent
    (use,) = db.session.scalars(select(CoverUse).where(CoverUse.booking_id == booking.id))
    assert use.local_day == date(2027, 3, 3) and use.minutes == 120


def test_a_new_start_alone_keeps_the_length(booking, member, api_patch):
    response = api_patch(member, booking, {"start": "2027-03-02T14:00:00+01:00"})
    assert response.json["end"] == "2027-03-02T17:00:00+01:00"


def test_a_taken_slot_is_a_409_and_the_booking_stays(space, booking, member, api, api_patch):
    other = api(name="Olga")
    assert other.post("/api/v1/bookings", json={
        "resource_id": booking.resource_id, "start": "2027-03-02T14:00:00+01:00",
        "end": "2027-03-02T15:00:00+01:00"}).status_code == 201
    response = api_patch(member, booking, {"start": "2027-03-02T13:30:00+01:00",
                                           "end": "2027-03-02T14:30:00+01:00"})
    assert_problem(response, 409)
    assert "14:00" in response.json["detail"]
    kept = booking_of(booking.id)
    assert (kept.start_at, kept.end_at) == (at("09:00"), at("12:00"))


def test_bad_input_is_a_422_naming_the_field(space, booking, member, api_patch):
    cases = [({}, "start"), ({"start": "2027-03-02T14:00:00"}, "start"),
             ({"end": 5}, "end"), ({"resource_id": "two"}, "resource_id"),
             ({"resource_id": resources_of(space, "meeting_room")[0].id}, "resource_id"),
             ({"start": "2027-03-02T19:00:00+01:00"}, "start"),            # after closing
             ({"start": "2027-03-02T14:10:00+01:00"}, "start"),            # off the grid
             ({"end": "2027-03-02T08:00:00+01:00"}, "end")]
    for body, field in cases:
        response = api_patch(member, booking, body)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"], (body, response.json)
    assert booking_of(booking.id).start_at == at("09:00")


def test_only_its_member_before_the_start(space, booking, member, api, make_user, api_patch,
                                          frozen):
    host = api(make_user(role="host", space=space, email="host@example.org"))
    body = {"start": "2027-03-02T14:00:00+01:00"}
    assert_problem(api_patch(host, booking, body), 403)
    assert_problem(api_patch(api(name="Other"), booking, body), 404)
    frozen.set("2027-03-02T09:00:00+01:00")
    assert_problem(api_patch(member, booking, body), 409)


@pytest.fixture
def contest(make_space, make_user):
    """Each contender has a booking of Desk 2 at its own hour a week ahead (real clock: the
    threads share no frozen one); Desk 1 is free at 17:00."""
    space = make_space(desks=2, rooms=0, public_holidays_closed=False)
    desk1, desk2 = resources_of(space)[:2]
    day = date.today() + timedelta(days=7)
    tokens, bookings = [], []
    for n in range(CONTENDERS):
        user = make_user()
        start = datetime.combine(day, time(8 + n), tzinfo=space.zone)
        bookings.append(book(user, desk2.id, start, start + timedelta(hours=1)).id)
        tokens.append(issue_api_token(user))
    target = datetime.combine(day, time(17), tzinfo=space.zone)
    return desk1, target, list(zip(tokens, bookings))


def test_threads_changing_into_one_free_slot_leave_exactly_one_there(contest, app):
    desk, target, contenders = contest
    body = {"resource_id": desk.id, "start": target.isoformat(),
            "end": (target + timedelta(hours=1)).isoformat()}
    barrier = threading.Barrier(len(contenders))
    codes, lock = [], threading.Lock()

    def contend(token, booking_id):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.patch(f"/api/v1/bookings/{booking_id}", json=body,
                                headers={"Authorization": f"Bearer {token}"})
        with lock:
            codes.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=contend, args=pair) for pair in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(code for code, _ in codes)
    assert statuses == [200] + [409] * (len(contenders) - 1), codes
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.resource_id == desk.id, Booking.status.in_(ACTIVE_STATUSES))) == 1
    # The losers kept their own bookings on Desk 2.
    assert db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.status.in_(ACTIVE_STATUSES))) == len(contenders)


def test_the_change_page_moves_the_booking_and_says_so(client, login, space, booking, member):
    from tests.factories import csrf_token
    login(member.user.email)
    mine = client.get("/bookings").get_data(as_text=True)
    assert f'href="/bookings/{booking.id}/change"' in mine and ">Ändern</a>" in mine
    page = f"/bookings/{booking.id}/change"
    desk2 = resources_of(space)[1]
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "day": "2027-03-04", "start_time": "10:00",
                                       "end_time": "11:30", "resource_id": desk2.id})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Geändert" in client.get(response.location).get_data(as_text=True)
    changed = booking_of(booking.id)
    assert (changed.start_at, changed.resource_id) == (at("10:00", "2027-03-04"), desk2.id)
    taken = client.post(page, data={"csrf_token": csrf_token(client, page),
                                    "day": "2027-03-04", "start_time": "12:00",
                                    "end_time": "11:00", "resource_id": desk2.id})
    assert taken.status_code == 422 and 'class="error" id="end_time-error"' in \
        taken.get_data(as_text=True)
    assert booking_of(booking.id).start_at == at("10:00", "2027-03-04")


def test_book_again_repeats_desk_and_time_on_the_chosen_day(client, login, space, booking,
                                                            member, frozen):
    from tests.factories import csrf_token
    frozen.set("2027-03-02T13:00:00+01:00")
    login(member.user.email)
    mine = client.get("/bookings").get_data(as_text=True)
    assert f'href="/bookings/{booking.id}/again"' in mine
    page = f"/bookings/{booking.id}/again"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "day": "2027-03-09"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.commit()
    new = db.session.scalars(select(Booking).where(Booking.id != booking.id)).one()
    assert (new.resource_id, new.start_at, new.end_at) == (
        booking.resource_id, at("09:00", "2027-03-09"), at("12:00", "2027-03-09"))
    again = client.post(page, data={"csrf_token": csrf_token(client, page),
                                    "day": "2027-03-09"})
    assert again.status_code == 409
