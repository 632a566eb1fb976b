"""Error answers a visitor or client can act on: 413 pages that do not crash, 405 with Allow,
and 503 with Retry-After when the database cannot be reached, never a bare 500."""
import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from coworking import create_app
from coworking.unavailable import database_unreachable
from tests.factories import csrf_token, make_config

TOO_LARGE = {"email": "x" * 100_000, "password": "irrelevant"}


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status


def test_a_form_too_large_gets_a_413_page(client):
    response = client.post("/login", data={**TOO_LARGE, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "Die Anfrage ist zu groß." in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_form_too_large_without_a_csrf_token_gets_the_413_page_too(client):
    response = client.post("/register", data=TOO_LARGE)
    assert response.status_code == 413
    assert "Die Anfrage ist zu groß." in response.get_data(as_text=True)


def test_a_405_keeps_its_allow_header_on_pages_and_problems(client):
    page = client.delete("/login")
    assert page.status_code == 405 and page.mimetype == "text/html"
    assert set(page.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    api = client.delete("/api/v1/spaces")
    assert_problem(api, 405)
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "GET" in client.post("/api/v1/me").headers["Allow"]


UNREACHABLE = {
    "postgresql": lambda tmp_path: "postgresql+psycopg://postgres@127.0.0.1:1/postgres",
    "sqlite": lambda tmp_path: f"sqlite:///{tmp_path / 'no-such-folder' / 'coworking.sqlite'}",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable(request, tmp_path):
    """The app pointed at a database that cannot be reached: a closed port, an unopenable file."""
    app = create_app(make_config(UNREACHABLE[request.param](tmp_path)))
    yield app.test_client()
    with app.app_context():
        from coworking.extensions import db
        db.engine.dispose()


def assert_unavailable_problem(response):
    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "30"
    assert response.json["type"].endswith("/database-unavailable")


def test_an_unreachable_database_answers_the_api_with_503_and_retry_after(unreachable):
    assert_unavailable_problem(unreachable.get("/api/v1/spaces"))
    assert_unavailable_problem(unreachable.get("/api/v1/me",
                                               headers={"Authorization": "Bearer cw_some_token"}))
    assert_unavailable_problem(unreachable.post("/api/v1/auth/tokens", json={
        "email": "anna@example.org", "password": "correct horse"}))


def test_an_unreachable_database_shows_a_friendly_german_page(unreachable):
    for path in ("/", "/spaces/moelln"):
        response = unreachable.get(path)
        assert response.status_code == 503 and response.mimetype == "text/html"
        assert response.headers["Retry-After"] == "30"
        page = response.get_data(as_text=True)
        assert "Kurz nicht erreichbar" in page
        assert "Bitte versuch es in einer Minute noch einmal." in page


def test_a_signed_in_visitor_gets_the_page_too_although_they_cannot_be_looked_up(unreachable):
    with unreachable.session_transaction() as session:
        session["_user_id"] = "1:0"
        session["_fresh"] = True
    response = unreachable.get("/bookings")
    assert response.status_code == 503
    assert "Kurz nicht erreichbar" in response.get_data(as_text=True)


def wrapped(orig):
    return OperationalError("SELECT 1", {}, orig)


def real_sqlite_error(tmp_path, busy):
    if not busy:
        with pytest.raises(sqlite3.OperationalError) as caught:
            sqlite3.connect(tmp_path / "missing" / "x.sqlite")
        return caught.value
    path = tmp_path / "busy.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as caught:
        other.execute("BEGIN IMMEDIATE")
    holder.close()
    other.close()
    return caught.value


def test_only_connection_failures_count_as_the_database_being_down(tmp_path):
    assert database_unreachable(wrapped(psycopg.OperationalError("connection failed")))
    assert database_unreachable(wrapped(psycopg.errors.AdminShutdown("terminating")))
    assert database_unreachable(wrapped(psycopg.errors.TooManyConnections("no slot")))
    assert database_unreachable(wrapped(real_sqlite_error(tmp_path, busy=False)))
    assert not database_unreachable(wrapped(psycopg.errors.DeadlockDetected("deadlock")))
    assert not database_unreachable(wrapped(psycopg.errors.LockNotAvailable("lock timeout")))
    assert not database_unreachable(wrapped(psycopg.errors.QueryCanceled("statement timeout")))
    assert not database_unreachable(wrapped(real_sqlite_error(tmp_path, busy=True)))
    assert not database_unreachable(IntegrityError("INSERT", {}, psycopg.errors.ExclusionViolation()))
    assert not database_unreachable(RuntimeError("unrelated"))


def test_a_deadlock_that_reaches_the_client_is_a_500_not_an_outage(app, client):
    def deadlocked():
        raise wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))

    app.add_url_rule("/api/v1/deadlocked", "deadlocked", deadlocked)
    response = client.get("/api/v1/deadlocked")
    assert_problem(response, 500)
    assert "Retry-After" not in response.headers
