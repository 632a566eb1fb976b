"""Limits per member a space sets against hoarding, and the rate limit on booking: each allows
exactly its number, refuses the next with its own message, and frees room as it should."""
import pytest

from tests.factories import csrf_token, resources_of


def slot(resource, day, start, end):
    return {"resource_id": resource.id, "start": f"2027-03-{day:02d}T{start}:00+01:00",
            "end": f"2027-03-{day:02d}T{end}:00+01:00"}


def test_upcoming_room_and_booth_bookings_stop_at_the_spaces_limit(make_space, api, frozen):
    space = make_space(desks=1, rooms=1, booths=1, max_room_bookings=2)
    (room,), (booth,), (desk,) = (resources_of(space, kind)
                                  for kind in ("meeting_room", "phone_booth", "hot_desk"))
    member, other = api(), api()
    first = member.post("/api/v1/bookings", json=slot(room, 2, "09:00", "10:00"))
    assert first.status_code == 201
    assert member.post("/api/v1/bookings", json=slot(booth, 3, "09:00", "10:00")).status_code == 201

    third = member.post("/api/v1/bookings", json=slot(room, 4, "09:00", "10:00"))
    assert third.status_code == 422
    assert third.json["type"].endswith("/limit-reached")
    assert third.json["detail"] == (
        f"You already have 2 upcoming bookings of meeting rooms and phone booths at {space.name}, "
        "as many as it allows per member. Cancel one to book another.")
    # Desks and other members are not held back by it.
    assert member.post("/api/v1/bookings", json=slot(desk, 4, "09:00", "10:00")).status_code == 201
    assert other.post("/api/v1/bookings", json=slot(room, 4, "09:00", "10:00")).status_code == 201

    assert member.post(f"/api/v1/bookings/{first.json['id']}/cancel").status_code == 200
    assert member.post("/api/v1/bookings", json=slot(booth, 4, "10:00", "11:00")).status_code == 201


def test_a_room_booking_stops_counting_the_minute_it_ends(make_space, api, frozen):
    space = make_space(desks=0, rooms=1, max_room_bookings=1)
    (room,) = resources_of(space, "meeting_room")
    member = api()
    assert member.post("/api/v1/bookings", json=slot(room, 2, "09:00", "10:00")).status_code == 201
    frozen.set("2027-03-02T09:59:00+01:00")
    assert member.post("/api/v1/bookings", json=slot(room, 2, "11:00", "12:00")).status_code == 422
    frozen.set("2027-03-02T10:00:00+01:00")
    assert member.post("/api/v1/bookings", json=slot(room, 2, "11:00", "12:00")).status_code == 201


def test_desk_days_ahead_stop_at_the_spaces_limit(make_space, api, frozen):
    space = make_space(desks=2, rooms=1, max_desk_days=2)
    desk, other_desk = resources_of(space)
    (room,) = resources_of(space, "meeting_room")
    member = api()
    monday = member.post("/api/v1/bookings", json=slot(desk, 2, "09:00", "10:00"))
    assert monday.status_code == 201
    # A second desk booking on a day already counted costs no further day.
    assert member.post("/api/v1/bookings", json=slot(other_desk, 2, "14:00", "15:00")).status_code == 201
    assert member.post("/api/v1/bookings", json=slot(desk, 3, "09:00", "10:00")).status_code == 201

    third_day = member.post("/api/v1/bookings", json=slot(desk, 4, "09:00", "10:00"))
    assert third_day.status_code == 422
    assert third_day.json["detail"] == (
        f"You already have desks booked on 2 days ahead at {space.name}, as many as it allows "
        "per member. To book another day, cancel one of them first.")
    assert member.post("/api/v1/bookings", json=slot(room, 4, "09:00", "10:00")).status_code == 201
    assert api().post("/api/v1/bookings", json=slot(desk, 4, "09:00", "10:00")).status_code == 201

    # Cancelling one of two bookings on a day keeps the day; cancelling both frees it.
    member.post(f"/api/v1/bookings/{monday.json['id']}/cancel")
    assert member.post("/api/v1/bookings", json=slot(other_desk, 4, "10:00", "11:00")).status_code == 422
    afternoon = next(b for b in member.get("/api/v1/bookings").json
                     if b["start"] == "2027-03-02T14:00:00+01:00")
    member.post(f"/api/v1/bookings/{afternoon['id']}/cancel")
    assert member.post("/api/v1/bookings", json=slot(other_desk, 4, "10:00", "11:00")).status_code == 201


def test_a_desk_day_stops_counting_the_minute_its_booking_ends(make_space, api, frozen):
    desk = resources_of(make_space(desks=1, max_desk_days=1))[0]
    member = api()
    assert member.post("/api/v1/bookings", json=slot(desk, 1, "08:00", "09:00")).status_code == 201
    frozen.set("2027-03-01T08:59:00+01:00")
    assert member.post("/api/v1/bookings", json=slot(desk, 2, "09:00", "10:00")).status_code == 422
    frozen.set("2027-03-01T09:00:00+01:00")
    assert member.post("/api/v1/bookings", json=slot(desk, 2, "09:00", "10:00")).status_code == 201


def test_spaces_without_limits_take_any_number(make_space, api, frozen):
    space = make_space(desks=1, rooms=1)
    (desk,), (room,) = resources_of(space), resources_of(space, "meeting_room")
    member = api()
    for day in range(2, 14):
        assert member.post("/api/v1/bookings", json=slot(desk, day, "09:00", "10:00")).status_code == 201
        assert member.post("/api/v1/bookings", json=slot(room, day, "09:00", "10:00")).status_code == 201


@pytest.fixture
def three_per_ten_minutes(app):
    app.config["RATELIMIT_BOOKINGS_PER_MEMBER"] = "3 per 10 minutes"


def test_booking_is_rate_limited_per_member(make_space, api, frozen, three_per_ten_minutes):
    space = make_space(desks=3, rooms=1)
    desks = resources_of(space)
    member = api()
    for day, desk in zip((2, 3, 4), desks):
        assert member.post("/api/v1/bookings", json=slot(desk, day, "09:00", "10:00")).status_code == 201
    frozen.set("2027-03-01T07:05:00+01:00")
    refused = member.post("/api/v1/bookings", json=slot(desks[0], 6, "09:00", "10:00"))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "300"
    assert refused.json["detail"] == ("You can make at most 3 bookings within 10 minutes. "
                                      "Please wait 300 seconds and try again.")
    # Others book as usual, and a cancellation does not hand out more bookings.
    assert api().post("/api/v1/bookings", json=slot(desks[0], 6, "09:00", "10:00")).status_code == 201
    first = member.get("/api/v1/bookings").json[0]
    member.post(f"/api/v1/bookings/{first['id']}/cancel")
    assert member.post("/api/v1/bookings", json=slot(desks[1], 6, "09:00", "10:00")).status_code == 429
    # The window moves: the first bookings stop counting ten minutes after they were made
    # (at that very second the store's own expiry may or may not have run yet).
    frozen.set("2027-03-01T07:09:59+01:00")
    last_second = member.post("/api/v1/bookings", json=slot(desks[1], 6, "09:00", "10:00"))
    assert last_second.status_code == 429 and last_second.headers["Retry-After"] == "1"
    frozen.set("2027-03-01T07:10:01+01:00")
    assert member.post("/api/v1/bookings", json=slot(desks[1], 6, "09:00", "10:00")).status_code == 201


def test_booking_requests_that_break_a_rule_do_not_count_against_the_rate(
        make_space, api, frozen, three_per_ten_minutes):
    desk = resources_of(make_space(desks=1))[0]
    member = api()
    for _ in range(5):
        assert member.post("/api/v1/bookings", json=slot(desk, 2, "07:00", "08:00")).status_code == 422
    for day in (2, 3, 4):
        assert member.post("/api/v1/bookings", json=slot(desk, day, "09:00", "10:00")).status_code == 201
    assert member.post("/api/v1/bookings", json=slot(desk, 5, "09:00", "10:00")).status_code == 429


def test_the_web_form_explains_the_rate_limit(make_space, make_user, login, client, frozen,
                                              three_per_ten_minutes):
    from datetime import datetime

    from coworking.bookings import service

    space = make_space(desks=1)
    desk = resources_of(space)[0]
    member = make_user(email="rate@example.org")
    for day in (2, 3, 4):
        service.book(member, desk.id, datetime.fromisoformat(f"2027-03-0{day}T09:00:00+01:00"),
                     datetime.fromisoformat(f"2027-03-0{day}T10:00:00+01:00"))
    login("rate@example.org")
    url = f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-05T09:00:00%2B01:00"
    response = client.post(url.split("?")[0], data={
        "csrf_token": csrf_token(client, url), "resource_id": desk.id,
        "start": "2027-03-05T09:00:00+01:00", "end": "2027-03-05T10:00:00+01:00"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "600"
    assert "Du kannst höchstens 3 Buchungen innerhalb von 10 Minuten machen." in response.get_data(as_text=True)
