"""Hosts create, change and cancel events over the API; the room an event takes is guarded
by the database like any booking."""
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.space_events.conftest import at, mails_to


def test_a_host_creates_an_event_with_its_room_and_anyone_sees_it(new_event, room, client, space):
    event = new_event(resource_id=room.id, title_en="Regulars' evening")
    assert event["resource_id"] == room.id and event["registered"] == 0
    assert event["start"] == "2027-03-02T16:00:00+01:00"
    listed = client.get(f"/api/v1/events?space={space.slug}").get_json()
    assert [(e["id"], e["title"], e["capacity"], e["visibility"]) for e in listed] == [
        (event["id"], "Stammtisch", 10, "public")]


def test_the_room_of_an_event_cannot_be_booked_by_anyone_else(new_event, room, api):
    new_event(resource_id=room.id)
    member = api()
    response = member.post("/api/v1/bookings", json={
        "resource_id": room.id, "start": at("17:00"), "end": at("18:00")})
    assert response.status_code == 409


def test_two_events_in_one_room_at_once_answer_409_naming_the_room(new_event, room, api, host,
                                                                  space):
    new_event(resource_id=room.id)
    response = api(host).post(f"/api/v1/spaces/{space.slug}/events", json={
        "title": "Workshop", "start": at("17:00"), "end": at("18:00"), "capacity": 5,
        "visibility": "public", "resource_id": room.id})
    assert response.status_code == 409
    assert "Room 1" in response.get_json()["detail"]


def test_an_event_outside_the_opening_hours_is_refused_naming_the_field(api, host, space):
    response = api(host).post(f"/api/v1/spaces/{space.slug}/events", json={
        "title": "Late", "start": at("17:00"), "end": at("20:00"), "capacity": 5,
        "visibility": "public"})
    assert response.status_code == 422
    problem = response.get_json()
    assert "end" in problem["errors"] and "opening hours" in problem["errors"]["end"][0]


def test_capacity_zero_is_refused_naming_the_field(api, host, space):
    response = api(host).post(f"/api/v1/spaces/{space.slug}/events", json={
        "title": "Empty", "start": at("10:00"), "end": at("11:00"), "capacity": 0,
        "visibility": "public"})
    assert response.status_code == 422
    assert "at least one" in response.get_json()["errors"]["capacity"][0]


def test_a_host_of_another_space_and_a_member_may_not_create_events(api, make_space, make_user,
                                                                   space):
    other = make_user(role="host", space=make_space())
    body = {"title": "X", "start": at("10:00"), "end": at("11:00"), "capacity": 5,
            "visibility": "public"}
    assert api(other).post(f"/api/v1/spaces/{space.slug}/events", json=body).status_code == 403
    assert api().post(f"/api/v1/spaces/{space.slug}/events", json=body).status_code == 403


def test_a_new_time_moves_the_room_booking_with_the_event(new_event, room, api, host):
    event = new_event(resource_id=room.id)
    changed = _patch(api(host), event["id"], {"start": at("10:00"), "end": at("12:00")})
    assert changed.status_code == 200, changed.get_json()
    db.session.commit()
    booking = db.session.scalar(select(Booking).where(Booking.resource_id == room.id))
    assert booking.start_at.isoformat() == "2027-03-02T09:00:00+00:00"
    assert booking.end_at.isoformat() == "2027-03-02T11:00:00+00:00"


def test_a_new_time_when_the_room_is_taken_answers_409_and_changes_nothing(new_event, room, api,
                                                                          host):
    event = new_event(resource_id=room.id)
    member = api()
    booked = member.post("/api/v1/bookings", json={
        "resource_id": room.id, "start": at("10:00"), "end": at("11:00")})
    assert booked.status_code == 201, booked.get_json()
    refused = _patch(api(host), event["id"], {"start": at("10:00"), "end": at("12:00")})
    assert refused.status_code == 409
    shown = api(host).get("/api/v1/events").get_json()
    assert shown[0]["start"] == at("16:00")


def test_cancelling_an_event_frees_its_room_and_tells_everyone_registered(new_event, room, api,
                                                                         host, make_user):
    event = new_event(resource_id=room.id)
    member = make_user(email="ada@example.org", name="Ada")
    assert api(member).post(f"/api/v1/events/{event['id']}/registrations").status_code == 201
    response = _delete(api(host), f"/api/v1/events/{event['id']}")
    assert response.status_code == 204
    (told,) = [m for m in mails_to("ada@example.org") if "Stammtisch" in m["subject"]]
    assert told["subject"] == "Abgesagt: Stammtisch" and "abgesagt" in told["text"]
    assert "Stammtisch" in told["subject"]
    again = api().post("/api/v1/bookings", json={
        "resource_id": room.id, "start": at("16:00"), "end": at("17:00")})
    assert again.status_code == 201
    assert api().get("/api/v1/events").get_json() == []


def _patch(caller, event_id, body):
    from flask import current_app

    return current_app.test_client().patch(f"/api/v1/events/{event_id}", json=body,
                                           headers=caller.headers)


def _delete(caller, path):
    from flask import current_app

    return current_app.test_client().delete(path, headers=caller.headers)
