"""How API requests authenticate: a bearer token or the browser session, never a mix, and
CSRF protection for whatever the session authenticates."""
import pytest
from sqlalchemy import select

from coworking.accounts.service import issue_api_token
from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import csrf_token, resources_of

EN = {"Accept-Language": "en"}


@pytest.fixture
def booking_body(make_space, frozen):
    desk = resources_of(make_space())[0]
    return {"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
            "end": "2027-03-02T10:00:00+01:00"}


@pytest.fixture
def browser(frozen, client, make_user, login):
    """A client signed in through the form as web@example.org."""
    make_user(email="web@example.org")
    login("web@example.org")
    return client


def bookings():
    return db.session.scalars(select(Booking)).all()


def test_a_bogus_bearer_token_does_not_fall_back_to_the_session(browser, booking_body):
    bogus = {"Authorization": "Bearer cw_bogus", **EN}
    response = browser.post("/api/v1/bookings", json=booking_body, headers=bogus)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert bookings() == []
    assert browser.get("/api/v1/me", headers=bogus).status_code == 401
    assert browser.get("/api/v1/me", headers={"Authorization": "Bearer "}).status_code == 401
    # Without the header the session is still there.
    assert browser.get("/api/v1/me").json["email"] == "web@example.org"


def test_a_bogus_bearer_token_does_not_skip_csrf_for_the_session(browser, booking_body):
    """A forged cross-site request cannot add a header and then ride on the cookie."""
    response = browser.post("/api/v1/bookings", json=booking_body,
                            headers={"Authorization": "Bearer whatever"})
    assert response.status_code in (400, 401)
    assert bookings() == []


def test_session_writes_need_the_csrf_token_and_work_with_it(browser, booking_body):
    assert browser.post("/api/v1/bookings", json=booking_body).status_code == 400
    token = csrf_token(browser, "/bookings")
    response = browser.post("/api/v1/bookings", json=booking_body, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert [b.user.email for b in bookings()] == ["web@example.org"]


def test_a_valid_token_wins_over_the_session_and_needs_no_csrf(browser, booking_body, make_user):
    other = make_user(email="script@example.org")
    headers = {"Authorization": f"Bearer {issue_api_token(other)}"}
    assert browser.get("/api/v1/me", headers=headers).json["email"] == "script@example.org"
    assert browser.post("/api/v1/bookings", json=booking_body, headers=headers).status_code == 201
    assert [b.user.email for b in bookings()] == ["script@example.org"]


def test_a_bearer_header_on_a_web_page_does_not_use_the_session(browser):
    response = browser.get("/bookings", headers={"Authorization": "Bearer cw_bogus"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert browser.get("/bookings").status_code == 200
