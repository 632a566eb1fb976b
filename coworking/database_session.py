"""The `db` extension: Flask-SQLAlchemy, except that putting a request's session away
survives a connection that died since its last statement."""
import logging

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


class Database(SQLAlchemy):
    def _teardown_session(self, exc):
        """At the end of every app context (after the response was made). Flask-SQLAlchemy's
        own removal raises when the rollback of a lost connection fails, and gunicorn then
        sends a bare 500 in place of the finished page."""
        put_away(self.session)


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
