"""Messages name what was booked with its town ("Desk 1 in Mölln"); a resource's kind is shown
beside its name unless the name says it already ("Telefonkabine", not "Telefonkabine
(Telefonkabine)")."""
import re
from datetime import datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from coworking import formatting
from coworking.bookings import service
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from coworking.spaces.models import Resource
from tests.factories import csrf_token, resources_of


def at(text):
    return datetime.fromisoformat(f"2027-03-02T{text}:00+01:00")


@pytest.fixture
def space(make_space, frozen):
    space = make_space(desks=1, rooms=0)
    db.session.add(Resource(space_id=space.id, kind="phone_booth", name="Telefonkabine"))
    db.session.add(Resource(space_id=space.id, kind="meeting_room", name="Großer Besprechungsraum"))
    db.session.commit()
    return space


def named(space, name):
    return db.session.scalar(select(Resource).where(Resource.space_id == space.id,
                                                    Resource.name == name))


def plain(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_kind_the_name_already_says_is_not_repeated(app, space):
    with app.test_request_context(), force_locale("de"):
        assert formatting.with_kind(named(space, "Telefonkabine")) == "Telefonkabine"
        assert formatting.with_kind(named(space, "Großer Besprechungsraum")) == \
            "Großer Besprechungsraum"
        assert formatting.with_kind(named(space, "Desk 1")) == "Desk 1 (Flexibler Arbeitsplatz)"
    with app.test_request_context(), force_locale("en"):
        assert formatting.with_kind(named(space, "Telefonkabine")) == "Telefonkabine (Phone booth)"


def test_the_booking_page_and_my_bookings_show_a_booth_once(client, space, make_user, login):
    make_user(email="m@example.org")
    login("m@example.org")
    booth = named(space, "Telefonkabine")
    url = f"/spaces/{space.slug}/book?resource={booth.id}&start=2027-03-02T10:00:00%2B01:00"
    page = plain(client.get(url))
    assert "<dd>Telefonkabine</dd>" in page and "(Telefonkabine)" not in page
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "resource_id": booth.id, "start": "2027-03-02T10:00:00+01:00",
                                      "end": "2027-03-02T10:30:00+01:00"}, follow_redirects=True)
    page = plain(response)
    assert f"Gebucht: Telefonkabine in {space.town.name} am 02.03.2027, 10:00–10:30 Uhr." in page
    assert "(Telefonkabine)" not in page


def test_cancelling_names_the_booking_and_its_town(client, space, make_user, login):
    member = make_user(email="c@example.org")
    login("c@example.org")
    booking = service.book(member, resources_of(space)[0].id, at("10:00"), at("11:00"))
    response = client.post(f"/bookings/{booking.id}/cancel",
                           data={"csrf_token": csrf_token(client, "/bookings")},
                           follow_redirects=True)
    assert (f"Storniert: Desk 1 in {space.town.name} am 02.03.2027, 10:00–11:00 Uhr."
            in plain(response))
    english = client.get("/bookings", headers={"Accept-Language": "en"})
    assert "Desk 1 (Hot desk)" in plain(english)


def test_a_conflict_names_the_town(app, space, make_user):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(Conflict) as raised:
            service.book(make_user(), desk.id, at("10:00"), at("10:30"))
        assert str(raised.value.message) == \
            f"Desk 1 in {space.town.name} is already booked from 10:00 to 11:00."


def test_the_confirmation_mail_names_the_town_and_the_booth_once(app, space, make_user):
    member = make_user(email="b@example.org")
    service.book(member, named(space, "Telefonkabine").id, at("10:00"), at("10:30"))
    db.session.commit()
    (message,) = [m for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.topic == mail.TOPIC)) if m.payload["subject"].startswith("Buchung")]
    assert message.payload["subject"].startswith(
        f"Buchung bestätigt: Telefonkabine in {space.town.name}, Dienstag, 2. März 2027")
    (attachment,) = mail.rendered(message.payload)["attachments"]
    assert "Telefonkabine (Telefonkabine)" not in attachment["text"]
