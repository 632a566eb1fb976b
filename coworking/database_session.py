"""The `db` extension: Flask-SQLAlchemy, except that a session keeps the one connection it
checked out until it is closed, and that putting a request's session away survives a
connection that died since its last statement."""
import logging

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

_HELD = "held_connections"


class Session(FlaskSession):
    """One connection per session, from its first statement until `close()`.

    A plain session hands its connection back to the pool at every commit and checks one out
    again for the next transaction, and `pool_pre_ping` pings it at every checkout: a
    request that reads the signed-in user, books and then shows the booking paid three
    pings and three trips through the pool. Held here, a request pings once, when it first
    needs the database; its transactions still begin and end exactly as before.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        found = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if not isinstance(found, Engine):
            return found
        held = self.info.setdefault(_HELD, {})
        connection = held.get(found)
        # One that was invalidated (its database connection lost) stays: the transaction on it
        # fails as it should, and after the rollback it takes a new one from the pool itself.
        if connection is None or connection.closed:
            connection = held[found] = found.connect()
        return connection

    def close(self):
        try:
            super().close()
        except BaseException:
            self._release_connections(invalidate=True)
            raise
        self._release_connections()

    def invalidate(self):
        try:
            super().invalidate()
        finally:
            self._release_connections(invalidate=True)

    def _release_connections(self, invalidate=False):
        """Back to the pool; `invalidate`: dropped instead, its state being unknown."""
        for connection in self.info.pop(_HELD, {}).values():
            if invalidate and not connection.closed:
                connection.invalidate()
            connection.close()


class Database(SQLAlchemy):
    def __init__(self, *args, session_options=None, **kwargs):
        session_options = dict(session_options or {})
        session_options.setdefault("class_", Session)
        super().__init__(*args, session_options=session_options, **kwargs)

    def init_app(self, app):
        super().init_app(app)
        app.after_request(_write_pending)

    def _teardown_session(self, exc):
        """At the end of every app context (after the response was made). Flask-SQLAlchemy's
        own removal raises when the rollback of a lost connection fails, and gunicorn then
        sends a bare 500 in place of the finished page."""
        put_away(self.session)


def _write_pending(response):
    """A request that made no unit of work of its own still writes what it left for one
    (`database.write_later`), before its answer goes out; a failure there is logged, since
    the answer itself stands."""
    from coworking.database import write_pending

    try:
        write_pending()
    except SQLAlchemyError:
        log.warning("a write left for the end of the request failed", exc_info=True)
    return response


def put_away(scoped_session):
    """Close the context's session; when closing fails, drop its connection from the pool
    (invalidate it) rather than hand it back in an unknown state, and say so in the log."""
    if not scoped_session.registry.has():
        return
    session = scoped_session.registry()
    try:
        session.close()
    except SQLAlchemyError as error:
        log.warning("database connection lost before the session was closed; it is "
                    "discarded: %s", error)
        try:
            session.invalidate()
        except SQLAlchemyError:
            log.warning("discarding the lost connection failed as well", exc_info=True)
    finally:
        scoped_session.registry.clear()
