"""With the rate limits in a Redis that cannot be reached, the steps they guard (sign-in,
password reset, registration, booking) answer 503 with Retry-After, never a 500: problem
details over the API, a friendly German page on the web. (/readyz says why: test_health.)"""
import pytest

from coworking.api.openapi import DOCUMENT
from coworking.bookings.models import Booking
from coworking.extensions import db, limiter
from tests.factories import csrf_token, resources_of

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens there
START, END = "2027-03-02T10:00:00+01:00", "2027-03-02T10:30:00+01:00"


@pytest.fixture
def space(make_space, frozen):
    return make_space()


def take_redis_away(app):
    """From now on the rate limits live in a Redis nobody answers at (as configured at start)."""
    app.config["RATELIMIT_STORAGE_URI"] = NOWHERE
    limiter.init_app(app)


@pytest.fixture
def redis_down(app):
    take_redis_away(app)


def assert_unavailable_page(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "Kurz nicht erreichbar" in page
    assert "Bitte versuch es in einer Minute noch einmal." in page


def assert_unavailable_problem(response, path):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert "503" in DOCUMENT["paths"][path]["post"]["responses"]
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["status"] == 503
    assert response.json["type"].endswith("/rate-limits-unavailable")


def test_signing_in_over_the_web_gets_the_503_page(client, make_user, redis_down):
    make_user(email="anna@example.org")
    response = client.post("/login", data={"email": "anna@example.org",
                                           "password": "correct horse",
                                           "csrf_token": csrf_token(client, "/login")})
    assert_unavailable_page(response)


def test_asking_for_a_password_reset_over_the_web_gets_the_503_page(client, redis_down):
    response = client.post("/password/forgot", data={
        "email": "anna@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    assert_unavailable_page(response)


def test_registering_over_the_web_gets_the_503_page_and_makes_no_account(client, redis_down):
    response = client.post("/register", data={
        "email": "jana@example.org", "password": "long enough", "name": "Jana",
        "csrf_token": csrf_token(client, "/register")})
    assert_unavailable_page(response)
    assert client.post("/api/v1/auth/tokens", json={
        "email": "jana@example.org", "password": "long enough"}).status_code == 503


def test_booking_over_the_web_gets_the_503_page_and_books_nothing(app, client, space, make_user,
                                                                  login):
    make_user(email="web@example.org")
    login("web@example.org")
    take_redis_away(app)
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": csrf_token(client, "/login"),
        "resource_id": resources_of(space)[0].id, "start": START, "end": END})
    assert_unavailable_page(response)
    assert db.session.query(Booking).count() == 0


def test_signing_in_over_the_api_gets_503_problem_details(client, make_user, redis_down):
    make_user(email="anna@example.org")
    assert_unavailable_problem(client.post("/api/v1/auth/tokens", json={
        "email": "anna@example.org", "password": "correct horse"}), "/api/v1/auth/tokens")


def test_asking_for_a_password_reset_over_the_api_gets_503_problem_details(client, redis_down):
    assert_unavailable_problem(client.post("/api/v1/auth/password-reset",
                                           json={"email": "anna@example.org"}),
                               "/api/v1/auth/password-reset")


def test_registering_over_the_api_gets_503_problem_details(client, redis_down):
    assert_unavailable_problem(client.post("/api/v1/auth/register", json={
        "email": "jana@example.org", "password": "long enough", "name": "Jana"}),
        "/api/v1/auth/register")


def test_booking_over_the_api_gets_503_problem_details_and_books_nothing(api, space, redis_down):
    response = api().post("/api/v1/bookings", json={
        "resource_id": resources_of(space)[0].id, "start": START, "end": END})
    assert_unavailable_problem(response, "/api/v1/bookings")
    assert db.session.query(Booking).count() == 0
