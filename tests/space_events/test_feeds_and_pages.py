"""A town's events page and feed, the network page, a member's own feed, a guest registering
through the page, and the host checking attendees in from the day page."""
from icalendar import Calendar

from coworking.calendars.tokens import token_for
from coworking.extensions import db
from tests.factories import csrf_token
from tests.space_events.conftest import at, link_in, mails_to


def test_the_towns_events_feed_is_a_calendar_with_each_public_event(new_event, client, space):
    public = new_event(title="Stammtisch")
    new_event(title="Mitgliedertreffen", visibility="members", start=at("10:00"),
              end=at("11:00"))
    response = client.get(f"/calendar/events/{space.slug}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (event,) = [c for c in calendar.walk("VEVENT")]
    assert str(event["summary"]) == "Stammtisch"
    assert event["uid"].startswith(f"space-event-{public['id']}@")
    assert event.decoded("dtstart").isoformat() == "2027-03-02T16:00:00+01:00"
    assert space.address in str(event["location"])
    assert calendar.walk("VTIMEZONE")


def test_a_members_own_feed_includes_the_events_they_registered_for(new_event, api, make_user,
                                                                  client, host):
    event = new_event()
    member = make_user()
    api(member).post(f"/api/v1/events/{event['id']}/registrations")
    secret = token_for(member).secret
    db.session.commit()
    calendar = Calendar.from_ical(client.get(f"/calendar/{secret}.ics").data)
    (shown,) = calendar.walk("VEVENT")
    assert str(shown["summary"]) == "Stammtisch" and str(shown["status"]) == "CONFIRMED"
    from flask import current_app

    current_app.test_client().delete(f"/api/v1/events/{event['id']}",
                                     headers=api(host).headers)
    calendar = Calendar.from_ical(client.get(f"/calendar/{secret}.ics").data)
    (shown,) = calendar.walk("VEVENT")
    assert str(shown["status"]) == "CANCELLED"


def test_the_town_and_network_pages_list_the_events(new_event, client, space):
    new_event(title="Reparaturcafé")
    assert "Reparaturcafé" in client.get(f"/spaces/{space.slug}/events").get_data(as_text=True)
    page = client.get("/events").get_data(as_text=True)
    assert "Reparaturcafé" in page and space.name in page


def test_a_guest_registers_on_the_page_and_confirms_by_the_link(new_event, client):
    event = new_event()
    path = f"/events/{event['id']}"
    response = client.post(f"{path}/register", data={
        "name": "Grete Gast", "email": "grete@example.org",
        "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    (mail,) = mails_to("grete@example.org")
    assert mail["subject"].startswith("Bitte bestätige deine Anmeldung")
    link = link_in(mail, "/events/guest/")
    page = client.get(link[link.index("/events/"):]).get_data(as_text=True)
    assert "angemeldet" in page


def test_a_guest_without_an_address_sees_the_error_beside_the_field(new_event, client):
    event = new_event()
    path = f"/events/{event['id']}"
    response = client.post(f"{path}/register", data={
        "name": "Grete", "email": "", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_the_host_checks_an_attendee_in_from_the_day_page(new_event, api, make_user, client,
                                                         login, host, space, frozen):
    event = new_event()
    member = make_user(name="Ada Attendee")
    registration = api(member).post(f"/api/v1/events/{event['id']}/registrations").get_json()
    frozen.set(at("15:00"))
    login(host.email)
    day = client.get(f"/host/{space.slug}").get_data(as_text=True)
    assert "Stammtisch" in day and "Ada Attendee" in day
    response = client.post(f"/host/{space.slug}/events/registrations/{registration['id']}/check-in",
                           data={"csrf_token": csrf_token(client, f"/host/{space.slug}")})
    assert response.status_code == 302
    assert "eingecheckt" in client.get(f"/host/{space.slug}").get_data(as_text=True)


def test_a_host_creates_an_event_on_the_web_and_sees_the_opening_hours_rule(client, login, host,
                                                                           space, room):
    login(host.email)
    path = f"/host/{space.slug}/events"
    form = {"title": "Workshop", "description": "", "day": "2027-03-02", "start_time": "17:00",
            "end_time": "19:00", "capacity": "8", "visibility": "public",
            "resource_id": str(room.id), "csrf_token": csrf_token(client, path)}
    refused = client.post(path, data=form)
    assert refused.status_code == 422 and "schließt" in refused.get_data(as_text=True)
    created = client.post(path, data={**form, "end_time": "18:00"})
    assert created.status_code == 302
