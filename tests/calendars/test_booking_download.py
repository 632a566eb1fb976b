"""A booking as an .ics file: over the API for whoever may see it, and linked from the
member's bookings."""
import re

from coworking.bookings.service import book
from tests.api.test_api_contract import check
from tests.calendars.conftest import at, parse


def test_a_booking_downloads_as_ics_for_whoever_may_see_it(client, api, space, desks,
                                                            make_user):
    owner = api(name="Jana Example")
    booked = owner.post("/api/v1/bookings", json={
        "resource_id": desks[0].id, "start": "2027-03-02T09:00:00+01:00",
        "end": "2027-03-02T10:00:00+01:00"})
    path = f"/api/v1/bookings/{booked.json['id']}/ics"
    response = owner.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="booking-{booked.json["id"]}.ics"' in response.headers[
        "Content-Disposition"]
    parsed = parse(response.data)
    assert str(parsed.ical["METHOD"]) == "PUBLISH"
    assert parsed.event(booked.json["id"])["DTSTART"].dt == at("2027-03-02T09:00:00+01:00")
    host = api(make_user(role="host", space=space))
    assert host.get(path).status_code == 200
    assert "Jana" not in host.get(path).get_data(as_text=True)
    check(api().get(path), "/api/v1/bookings/{booking_id}/ics", "get")  # another member: 404
    check(client.get(path), "/api/v1/bookings/{booking_id}/ics", "get")  # signed out: 401


def test_my_bookings_link_each_booking_as_ics_which_the_session_downloads(client, space, desks,
                                                                          make_user, login):
    member = make_user(email="web@example.org")
    booking = book(member, desks[0].id, at("2027-03-02T09:00:00+01:00"),
                   at("2027-03-02T10:00:00+01:00"))
    login("web@example.org")
    page = client.get("/bookings").get_data(as_text=True)
    link = re.search(r'href="(/api/v1/bookings/%d/ics)" download>([^<]+)<' % booking.id, page)
    assert link and link.group(2) == "Zum Kalender hinzufügen (.ics)"
    response = client.get(link.group(1))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
