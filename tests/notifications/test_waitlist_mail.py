"""The waiting-list offer reaches the first member waiting by e-mail, through the outbox: the
place, until when it is held in the space's time, the link that takes it, and what happens
without an answer."""
import pytest

from coworking.bookings import service
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.waitlist import service as waitlist_service
from coworking.waitlist.models import WaitlistEntry
from tests.factories import resources_of
from tests.notifications.conftest import at


@pytest.fixture
def scene(make_space, make_user, frozen):
    space = make_space(desks=1, rooms=0)
    desk = resources_of(space)[0]
    anna = make_user(name="Anna", email="anna@example.org")
    ben = make_user(name="Ben Wartend", email="ben@example.org")
    booking = service.book(anna, desk.id, at("09:00"), at("17:00"))
    waitlist_service.join(ben, space, "hot_desk", at("09:00"), at("17:00"))
    return space, anna, ben, booking


def mail_to(smtp_server, address):
    return [m for m in smtp_server.messages if m["To"] == address]


def test_the_first_waiting_gets_the_offer_with_its_link_and_deadline(scene, smtp_server):
    space, anna, ben, booking = scene
    run_all()
    assert mail_to(smtp_server, ben.email) == []  # nothing while nothing is free
    service.cancel(anna, booking.id)
    run_all()
    (message,) = mail_to(smtp_server, ben.email)
    entry = db.session.get(WaitlistEntry, 1)
    assert message["Subject"] == (f"Ein Platz ist für dich frei: Desk 1 in {space.town.name}, "
                                  "Dienstag, 2. März 2027, 09:00–17:00 Uhr")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hallo Ben Wartend," in text
    assert "Wir halten ihn bis 01.03.2027, 07:30 Uhr für dich." in text
    assert f"http://127.0.0.1:5000/waitlist/offers/{entry.id}" in text
    assert "verfällt das Angebot" in text and "Nächsten" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"/waitlist/offers/{entry.id}" in html and "07:30" in html


def test_an_english_member_is_asked_in_english(scene, smtp_server):
    space, anna, ben, booking = scene
    ben.language = "en"
    db.session.commit()
    service.cancel(anna, booking.id)
    run_all()
    (message,) = mail_to(smtp_server, ben.email)
    assert message["Subject"].startswith("A place is free for you: Desk 1 in ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "We hold it for you until Mar 1, 2027, 07:30" in text
