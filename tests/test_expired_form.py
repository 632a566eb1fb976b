"""A form sent with an expired or missing CSRF token (a page left open overnight, a session
gone) leads back to the page it came from with a message, never to a dead end; API clients
keep their problem answer."""
from urllib.parse import quote

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import csrf_token, resources_of

EXPIRED_DE = "Das Formular war zu lange offen. Bitte noch einmal absenden."


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=1, rooms=0)


def test_signing_in_with_an_expired_form_shows_the_sign_in_page_again_with_the_slot(
        client, space, make_user):
    make_user(email="a@example.org")
    slot = f"/spaces/{space.slug}/book?resource={resources_of(space)[0].id}&start=2027-03-02T10:00:00%2B01:00"
    login_url = f"/login?next={quote(slot)}"
    response = client.post(login_url, data={"csrf_token": "expired", "next": slot,
                                            "email": "a@example.org", "password": "correct horse"})
    assert response.status_code == 303 and response.headers["Location"] == login_url
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert EXPIRED_DE in page and 'role="alert"' in page
    assert "Zum Buchen bitte anmelden oder registrieren." in page  # the slot still waits
    again = client.post(login_url, data={"csrf_token": csrf_token(client, login_url),
                                         "next": slot, "email": "a@example.org",
                                         "password": "correct horse"})
    assert again.status_code == 302 and again.headers["Location"] == slot


def test_in_english_the_message_is_english(client):
    response = client.post("/register", data={"csrf_token": "bad"},
                           headers={"Accept-Language": "en"}, follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/register"
    assert "The form was open for too long. Please send it again." in response.get_data(as_text=True)


def test_a_form_posted_elsewhere_leads_back_to_the_page_it_was_on(client, make_user, login):
    make_user(email="b@example.org")
    login("b@example.org")
    response = client.post("/bookings/1/cancel", data={},
                           headers={"Referer": "http://localhost/bookings?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/bookings?x=1"
    assert EXPIRED_DE in client.get("/bookings").get_data(as_text=True)


@pytest.mark.parametrize("referer", [None, "https://evil.example/bookings", "not a url",
                                     "http://localhost//evil.example/x"])
def test_without_a_page_of_this_site_to_go_back_to_the_start_page_explains(client, referer):
    headers = {"Referer": referer} if referer else {}
    response = client.post("/logout", data={"csrf_token": "x"}, headers=headers)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert EXPIRED_DE in page


def test_a_missing_session_is_no_dead_end_either(app, space, make_user, login, client):
    make_user(email="c@example.org")
    login("c@example.org")
    here = f"/spaces/{space.slug}/book?resource={resources_of(space)[0].id}&start=2027-03-02T10:00:00%2B01:00"
    token = csrf_token(client, here)
    client.delete_cookie("session", domain="localhost")
    response = client.post(here, data={"csrf_token": token, "end": "2027-03-02T11:00:00+01:00"})
    assert response.status_code == 303 and response.headers["Location"] == here
    assert db.session.scalar(select(Booking)) is None


def test_api_and_json_requests_keep_the_problem_answer(client, make_user, login):
    make_user(email="d@example.org")
    login("d@example.org")
    api = client.post("/api/v1/me/calendar-token")
    assert api.status_code == 400 and api.content_type == "application/problem+json"
    json_form = client.post("/bookings/1/cancel", json={})
    assert json_form.status_code == 400 and json_form.content_type == "application/problem+json"
