"""A database connection lost while a request runs answers 503 with Retry-After; one lost
after the answer was made, before the request's session is put away, still sends that answer.
Never a bare 500, and the next request works.

The connection is cut for real: PostgreSQL's backend is ended from an admin connection
(`pg_terminate_backend`); on SQLite, which has no server, the driver's connection is closed
under the session, and its next statement or rollback finds it gone."""
import logging

import pytest
from flask import request_finished
from sqlalchemy import create_engine, text

from coworking.extensions import db
from tests.factories import ENGINE


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
