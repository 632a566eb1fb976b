"""A database connection lost while a request runs answers 503 with Retry-After; one lost
after the answer was made, before the request's session is put away, still sends that answer.
Never a bare 500, and the next request works.

The connection is cut for real: PostgreSQL's backend is ended from an admin connection
(`pg_terminate_backend`); on SQLite, which has no server, the driver's connection is closed
under the session, and its next statement or rollback finds it gone."""
import logging

import pytest
from flask import request_finished, request_started
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    PendingRollbackError,
    ProgrammingError,
)

from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.unavailable import database_unreachable
from tests.factories import ENGINE, resources_of


@pytest.fixture
def cut(database_url):
    """cut(): lose the connection the request's session holds (taking one first if it has
    none yet)."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")

    def lose_the_connection():
        if ENGINE == "postgresql":
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.connect() as conn:
                # Waits (at most five seconds) until the backend is gone.
                assert conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"),
                                    {"pid": pid}).scalar()
        else:
            db.session.execute(text("SELECT 1"))
            db.session.connection().connection.dbapi_connection.close()

    yield lose_the_connection
    admin.dispose()


def cut_when(signal, app, cut):
    """While the returned context is open, every request loses its connection at `signal`:
    request_started (before the view asks anything) or request_finished (the response is
    made, the session not yet put away)."""
    return signal.connected_to(lambda sender, **extra: cut(), app)


@pytest.fixture
def member(api):
    return api()


@pytest.fixture
def signed_in(client, make_user, login):
    make_user(email="web@example.org")
    login("web@example.org")
    return client


def assert_database_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"] == "30"


def test_a_connection_lost_before_teardown_still_sends_the_answer_made(app, member, cut,
                                                                       caplog):
    with cut_when(request_finished, app, cut), caplog.at_level(logging.WARNING):
        response = member.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["email"] == member.user.email
    assert "database connection lost before the session was closed" in caplog.text
    assert member.get("/api/v1/me").status_code == 200


def test_a_connection_lost_before_teardown_still_sends_the_page_made(app, signed_in, cut):
    with cut_when(request_finished, app, cut):
        response = signed_in.get("/bookings")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert signed_in.get("/bookings").status_code == 200


def test_a_connection_lost_mid_request_answers_the_api_with_503_and_retry_after(app, member,
                                                                                 cut):
    with cut_when(request_started, app, cut):
        response = member.get("/api/v1/me")
    assert_database_unavailable(response)
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/database-unavailable")
    assert member.get("/api/v1/me").status_code == 200


def test_a_connection_lost_mid_request_shows_the_503_page(app, signed_in, cut):
    # The sign-in page asks for the visitor's language first, which gives up quietly when
    # the database is gone, and then for the signed-in member on the same dead transaction.
    for path in ("/login", "/bookings"):
        with cut_when(request_started, app, cut):
            response = signed_in.get(path)
        assert_database_unavailable(response)
        assert response.mimetype == "text/html"
        assert "Kurz nicht erreichbar" in response.get_data(as_text=True)
        assert signed_in.get(path).status_code == 200


def test_a_booking_that_loses_its_connection_answers_503_and_books_nothing(app, member, cut,
                                                                            make_space, frozen):
    desk = resources_of(make_space())[0]
    body = {"resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
            "end": "2027-03-02T10:30:00+01:00"}
    with cut_when(request_started, app, cut):
        assert_database_unavailable(member.post("/api/v1/bookings", json=body))
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    assert member.post("/api/v1/bookings", json=body).status_code == 201


def test_a_lost_connection_counts_as_the_database_being_down_whatever_it_is_called():
    closed = ProgrammingError("SELECT 1", {}, Exception("Cannot operate on a closed database."),
                              connection_invalidated=True)
    assert database_unreachable(closed)
    assert database_unreachable(DisconnectionError("gone"))
    assert database_unreachable(PendingRollbackError("Can't reconnect until invalid "
                                                     "transaction is rolled back", code="8s2b"))
    assert not database_unreachable(PendingRollbackError("rolled back after a failed flush",
                                                         code="7s2a"))
    assert not database_unreachable(ProgrammingError("SELECT nonsense", {}, Exception("syntax")))
    assert not database_unreachable(IntegrityError("INSERT", {}, Exception("duplicate"),
                                                   connection_invalidated=False))
