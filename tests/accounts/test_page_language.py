"""Which language a page speaks: the visitor's choice, then the member's, then what the
browser asks for, then German; dates follow it."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking.accounts.models import User
from coworking.bookings import service
from coworking.extensions import db
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from tests.factories import csrf_token, resources_of


def lang_of(response):
    return re.search(r'<html lang="(\w+)">', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("header, lang", [
    ("en-GB,en;q=0.9", "en"), ("fr, en;q=0.5", "en"), ("de-CH", "de"), ("en", "en"),
    ("fr", "de"), ("garbage;;;q=x,,", "de"), ("*", "de"), ("", "de"),
])
def test_a_visitor_who_chose_nothing_gets_what_the_browser_asks_for(client, header, lang):
    response = client.get("/login", headers={"Accept-Language": header})
    assert response.status_code == 200 and lang_of(response) == lang
    if lang == "en":
        assert "Sign in" in response.get_data(as_text=True)


def test_the_visitor_s_choice_wins_over_the_browser(client):
    client.post("/language", data={"csrf_token": csrf_token(client, "/"), "lang": "de",
                                   "next": "/"})
    assert lang_of(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "de"


def test_a_member_s_chosen_language_wins_over_the_browser(client, make_user, login):
    user = make_user(email="de@example.org")
    db.session.get(User, user.id).language = "de"
    db.session.commit()
    login("de@example.org")
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "de"


def test_a_member_who_chose_nothing_gets_what_the_browser_asks_for(client, make_user, login):
    make_user(email="none@example.org")
    login("none@example.org")
    assert lang_of(client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"})) == "en"


def test_registering_in_english_keeps_pages_and_e_mails_english(client):
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    page = client.get("/register", headers=english)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    response = client.post("/register", headers=english, data={
        "csrf_token": token, "name": "Emma", "email": "emma@example.org",
        "password": "long enough"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "emma@example.org"))
    assert user.language == "en"
    (message,) = db.session.scalars(select(OutboxMessage)
                                    .where(OutboxMessage.topic == mail.TOPIC)).all()
    assert message.payload["subject"] == "Please confirm your e-mail address"
    # Later visits from a German browser keep the language the member registered in.
    assert lang_of(client.get("/", headers={"Accept-Language": "de"})) == "en"


def test_dates_on_pages_follow_the_language(client, make_space, make_user, login, frozen):
    space = make_space(desks=1, rooms=0)
    make_user(email="d@example.org")
    login("d@example.org")
    url = (f"/spaces/{space.slug}/book?resource={resources_of(space)[0].id}"
           "&start=2027-03-02T10:00:00%2B01:00")
    german = client.get(url).get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Dienstag, 2. März 2027" in german
    assert "Tuesday, March 2, 2027" in english


def test_an_e_mail_speaks_the_recipient_s_language_whatever_the_page(app, make_space,
                                                                      make_user, frozen):
    space = make_space(desks=1, rooms=0)
    member = make_user(email="en@example.org")
    db.session.get(User, member.id).language = "en"
    db.session.commit()
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        service.book(member, resources_of(space)[0].id,
                     datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
                     datetime.fromisoformat("2027-03-02T11:00:00+01:00"))
    db.session.commit()
    subjects = [m.payload["subject"] for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == mail.TOPIC))]
    assert any(s.startswith(f"Booking confirmed: Desk 1 in {space.town.name}, "
                            "Tuesday, March 2, 2027") for s in subjects), subjects
