"""Signed out, a tapped slot is explained on the sign-in page and waits through sign-in,
registration and a forgotten password; the header says who is signed in."""
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import select

from coworking.accounts.models import User
from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import csrf_token, make_plan, resources_of

START = "2027-03-02T10:00:00+01:00"


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


@pytest.fixture
def slot_url(space):
    desk = resources_of(space)[0]
    return f"/spaces/{space.slug}/book?resource={desk.id}&start={START.replace('+', '%2B')}"


def signed_out_tap(client, slot_url):
    """Tap a slot signed out: the redirect to the sign-in page, followed."""
    response = client.get(slot_url)
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert urlsplit(login_url).path == "/login"
    assert parse_qs(urlsplit(login_url).query)["next"] == [slot_url]
    return login_url


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_sign_in_page_explains_and_names_the_waiting_slot(client, space, slot_url):
    page = text(client.get(signed_out_tap(client, slot_url)))
    assert "Zum Buchen bitte anmelden oder registrieren." in page
    assert f"<dd>{space.name}</dd>" in page
    assert "Desk 1 (Flexibler Arbeitsplatz)" in page
    assert "Dienstag, 2. März 2027" in page and "ab 10:00" in page
    register = re.search(r'href="(/register\?next=[^"]+)"', page).group(1)
    assert parse_qs(urlsplit(register.replace("&amp;", "&")).query)["next"] == [slot_url]


def test_in_english_the_slot_and_its_day_are_english_too(client, space, slot_url):
    page = text(client.get(signed_out_tap(client, slot_url), headers={"Accept-Language": "en"}))
    assert "To book, please sign in or register." in page
    assert "Tuesday, March 2, 2027" in page and "from 10:00" in page
    assert "Desk 1 (Hot desk)" in page


def test_a_plain_sign_in_page_says_nothing_of_a_slot(client):
    page = text(client.get("/login"))
    assert "Zum Buchen" not in page and 'class="flash notice waiting-slot"' not in page


def test_registering_lands_on_the_booking_page_of_that_slot_prefilled(client, space, slot_url):
    register_url = f"/register?next={quote(slot_url)}"
    page = text(client.get(register_url))
    assert "Zum Buchen bitte anmelden oder registrieren." in page and "Desk 1" in page
    response = client.post(register_url, data={
        "csrf_token": csrf_token(client, register_url), "next": slot_url, "name": "Neu Hier",
        "email": "neu@example.org", "password": "long enough"})
    assert response.status_code == 302 and response.headers["Location"] == slot_url
    booking_page = text(client.get(slot_url))
    assert "Buchung bestätigen" in booking_page
    assert "Desk 1 (Flexibler Arbeitsplatz)" in booking_page and "Dienstag, 2. März 2027" in booking_page
    assert f'value="{START}"' in booking_page


def test_registering_without_a_booking_in_view_lands_on_the_overview(client):
    response = client.post("/register", data={
        "csrf_token": csrf_token(client, "/register"), "name": "Neu Hier",
        "email": "neu@example.org", "password": "long enough"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_signing_in_lands_on_the_booking_page_and_books_it(client, space, slot_url, make_user):
    make_user(email="da@example.org")
    login_url = signed_out_tap(client, slot_url)
    response = client.post(login_url, data={
        "csrf_token": csrf_token(client, login_url), "next": slot_url,
        "email": "da@example.org", "password": "correct horse"})
    assert response.status_code == 302 and response.headers["Location"] == slot_url
    book_page = client.get(slot_url).get_data(as_text=True)
    ends = book_page[book_page.index('<select id="end"'):]
    end = re.search(r'<option[^>]*value="([^"]+)"', ends).group(1)
    booked = client.post(slot_url, data={
        "csrf_token": csrf_token(client, slot_url), "resource_id": resources_of(space)[0].id,
        "start": START, "end": end}, follow_redirects=True)
    assert f"Gebucht: Desk 1 in {space.town.name} am 02.03.2027" in text(booked)
    assert db.session.scalar(select(Booking)).status == "confirmed"


def test_a_new_member_without_cover_can_pay_the_waiting_slot_with_a_day_pass(
        client, space, slot_url):
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    register_url = f"/register?next={quote(slot_url)}"
    client.post(register_url, data={
        "csrf_token": csrf_token(client, register_url), "next": slot_url, "name": "Neu Hier",
        "email": "neu@example.org", "password": "long enough"})
    page = client.post(slot_url, data={
        "csrf_token": csrf_token(client, slot_url), "resource_id": resources_of(space)[0].id,
        "start": START, "end": "2027-03-02T11:00:00+01:00"})
    assert page.status_code == 402 and "Tagespass" in page.get_data(as_text=True)


def test_forgotten_password_keeps_the_slot_on_the_way_back(client, slot_url):
    login_page = client.get(signed_out_tap(client, slot_url)).get_data(as_text=True)
    forgot = re.search(r'href="(/password/forgot\?next=[^"]+)"', login_page).group(1)
    forgot = forgot.replace("&amp;", "&")
    response = client.post(forgot, data={"csrf_token": csrf_token(client, forgot),
                                         "next": slot_url, "email": "who@example.org"})
    assert response.status_code == 302
    back = response.headers["Location"]
    assert parse_qs(urlsplit(back).query)["next"] == [slot_url]
    assert "Zum Buchen bitte anmelden oder registrieren." in text(client.get(back))


@pytest.mark.parametrize("target", [
    "//evil.example/x", "/\\evil.example/x", "https://evil.example/x", "javascript:alert(1)",
])
def test_next_stays_on_this_site(client, make_user, target):
    make_user(email="r@example.org")
    page = client.get(f"/login?next={quote(target)}").get_data(as_text=True)
    assert re.search(r'<input id="next" name="next" type="hidden" value="">', page)
    assert 'href="/register"' in page and 'action="/login"' in page
    response = client.post("/register", data={
        "csrf_token": csrf_token(client, "/register"), "next": target, "name": "Neu",
        "email": "neu@example.org", "password": "long enough"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("query", [
    "resource=abc&start=garbage", "resource=99999999999999999999&start=2027-03-02T10:00:00",
    "resource=1&start=2027-03-02T10:00:00%2B01:00&end=2027-03-02T09:00:00%2B01:00", "",
])
def test_a_garbled_booking_address_still_explains_without_guessing(client, space, query):
    page = client.get(f"/login?next={quote(f'/spaces/{space.slug}/book?{query}')}")
    assert page.status_code == 200
    assert "Zum Buchen bitte anmelden oder registrieren." in page.get_data(as_text=True)


def test_an_unknown_space_is_no_waiting_slot(client):
    page = client.get(f"/login?next={quote('/spaces/nowhere/book?resource=1')}")
    assert page.status_code == 200 and "Zum Buchen" not in page.get_data(as_text=True)


def test_the_header_shows_who_is_signed_in(client, make_user, login):
    make_user(email="jana@example.org", name="Jana Berger")
    assert "Angemeldet als" not in client.get("/").get_data(as_text=True)
    login("jana@example.org")
    page = text(client.get("/"))
    assert re.search(r'<a class="who" href="/account"[^>]*><span class="sr">Angemeldet als </span>'
                     r"Jana Berger</a>", page)


def test_without_a_name_the_header_shows_the_e_mail_address(client, make_user, login):
    user = make_user(email="jana@example.org", name="Jana Berger")
    login("jana@example.org")
    db.session.get(User, user.id).name = ""
    db.session.commit()
    assert "</span>jana@example.org</a>" in text(client.get("/"))
