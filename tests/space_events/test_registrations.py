"""Members register with one tap, guests confirm by a link; a full event keeps a waiting list
whose first person is offered a freed place for 30 minutes."""
from sqlalchemy import select

from coworking.extensions import db
from coworking.jobs import run_all
from coworking.space_events.models import EventRegistration, SpaceEvent
from tests.space_events.conftest import at, link_in, mails_to


def _register(caller, event_id):
    return caller.post(f"/api/v1/events/{event_id}/registrations")


def _guest(client, event_id, name="Gast", email="gast@example.org"):
    return client.post(f"/api/v1/events/{event_id}/registrations", json={"name": name,
                                                                       "email": email},
                       headers={"Accept-Language": "en"})


def test_a_member_registers_with_one_tap_and_a_second_tap_changes_nothing(new_event, api,
                                                                         client):
    event = new_event(capacity=2)
    member = api()
    first = _register(member, event["id"])
    assert first.status_code == 201 and first.get_json()["status"] == "confirmed"
    again = _register(member, event["id"])
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert client.get("/api/v1/events").get_json()[0]["registered"] == 1


def test_a_full_event_puts_people_on_its_waiting_list_and_a_freed_place_is_offered(
        new_event, api, make_user, frozen):
    event = new_event(capacity=1)
    first, second = api(), api(make_user(email="second@example.org"))
    taken = _register(first, event["id"]).get_json()
    assert _register(second, event["id"]).get_json()["status"] == "waitlisted"
    from flask import current_app

    gone = current_app.test_client().delete(
        f"/api/v1/events/{event['id']}/registrations/{taken['id']}", headers=first.headers)
    assert gone.status_code == 204
    (offer,) = [m for m in mails_to("second@example.org") if "place" in m["subject"].lower()
                or "Platz" in m["subject"]]
    assert f"/events/{event['id']}" in offer["text"]
    db.session.commit()
    registration = db.session.scalar(select(EventRegistration).where(
        EventRegistration.user_id == second.user.id))
    assert registration.status == "offered"
    # The place is held: a newcomer goes on the waiting list behind them.
    assert _register(api(), event["id"]).get_json()["status"] == "waitlisted"


def test_an_offer_not_taken_lapses_and_the_next_in_line_is_asked(new_event, api, make_user,
                                                                frozen):
    event = new_event(capacity=1)
    first = api()
    taken = _register(first, event["id"]).get_json()
    second, third = api(make_user(email="b@example.org")), api(make_user(email="c@example.org"))
    _register(second, event["id"])
    _register(third, event["id"])
    from coworking.space_events.registrations import cancel_registration

    cancel_registration(first.user, event["id"], taken["id"])
    frozen.set("2027-03-01T07:31:00+01:00")
    run_all()
    db.session.commit()
    statuses = dict(db.session.execute(select(EventRegistration.user_id,
                                              EventRegistration.status)).all())
    assert statuses[second.user.id] == "lapsed" and statuses[third.user.id] == "offered"


def test_an_offered_member_takes_the_place_from_the_event_page(new_event, api, make_user,
                                                              client, login, frozen):
    event = new_event(capacity=1)
    first = api()
    taken = _register(first, event["id"]).get_json()
    member = make_user(email="taker@example.org")
    _register(api(member), event["id"])
    from coworking.space_events.registrations import accept_offer, cancel_registration

    cancel_registration(first.user, event["id"], taken["id"])
    registration = db.session.scalar(select(EventRegistration).where(
        EventRegistration.user_id == member.id))
    assert accept_offer(member, event["id"], registration.id).status == "confirmed"


def test_a_guest_counts_only_after_following_the_link(new_event, client):
    event = new_event(capacity=5)
    response = _guest(client, event["id"])
    assert response.status_code == 201 and response.get_json()["status"] == "unconfirmed"
    assert client.get("/api/v1/events").get_json()[0]["registered"] == 0
    (mail,) = mails_to("gast@example.org")
    link = link_in(mail, "/events/guest/")
    page = client.get(link.split("localhost", 1)[-1] if "localhost" in link else link)
    assert page.status_code == 200
    assert client.get("/api/v1/events").get_json()[0]["registered"] == 1
    db.session.commit()
    assert db.session.scalar(select(EventRegistration.status)) == "confirmed"


def test_a_guest_address_registered_twice_is_refused_naming_the_field(new_event, client):
    event = new_event()
    assert _guest(client, event["id"]).status_code == 201
    twice = _guest(client, event["id"], name="Anders", email="GAST@example.org")
    assert twice.status_code == 409
    assert "already registered" in twice.get_json()["detail"]
    assert "email" in twice.get_json()["errors"]


def test_a_guest_with_a_bad_address_gets_422_naming_it(new_event, client):
    event = new_event()
    response = _guest(client, event["id"], email="not an address")
    assert response.status_code == 422 and "email" in response.get_json()["errors"]


def test_registering_after_the_start_is_refused_with_the_reason(new_event, client, api, frozen):
    event = new_event(start=at("10:00"), end=at("12:00"))
    frozen.set(at("10:05"))
    refused = _guest(client, event["id"])
    assert refused.status_code == 409 and "started" in refused.get_json()["detail"]
    member = _register(api(), event["id"])
    assert member.status_code == 409


def test_a_members_only_event_is_hidden_from_guests(new_event, client, api):
    event = new_event(visibility="members")
    assert client.get("/api/v1/events").get_json() == []
    assert _guest(client, event["id"]).status_code == 404
    assert api().get("/api/v1/events").get_json()[0]["id"] == event["id"]


def test_guests_are_purged_after_the_event_and_only_their_count_stays(new_event, client,
                                                                     frozen):
    event = new_event(start=at("10:00"), end=at("12:00"))
    _guest(client, event["id"])
    link = link_in(mails_to("gast@example.org")[0], "/events/guest/")
    client.get(link[link.index("/events/"):])
    _guest(client, event["id"], email="never@example.org")  # never confirmed
    frozen.set("2027-03-03T13:00:00+01:00")
    summary = run_all()["space-events"]
    assert summary["guests_purged"] == 2
    db.session.commit()
    assert db.session.scalars(select(EventRegistration)).all() == []
    kept = db.session.get(SpaceEvent, event["id"])
    assert (kept.purged_guests, kept.guests_purged_at is not None) == (1, True)
