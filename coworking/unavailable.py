"""Telling a database that cannot be reached (503: try again soon) from a bug (500).

Deadlocks, lock timeouts, cancelled statements and constraint violations are not outages:
they stay with whoever handles them, or end as a 500.
"""
import sqlite3

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)

RETRY_AFTER_SECONDS = 30

# PostgreSQL: connection exceptions (class 08), the server shutting down or still starting up,
# and no connection slot left.
_PG_UNAVAILABLE_CLASSES = ("08",)
_PG_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
# SQLAlchemy's code for "the connection was lost inside this transaction": the session is used
# again after something caught the lost connection's error (the page's language, say).
_LOST_IN_TRANSACTION = "8s2b"


def database_unreachable(error):
    """Whether `error` says the database could not be reached, rather than what was asked."""
    if isinstance(error, DisconnectionError):
        return True
    if isinstance(error, PendingRollbackError):
        return error.code == _LOST_IN_TRANSACTION
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        # The driver's error was a disconnect (SQLite: a closed database is a ProgrammingError).
        return True
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    orig = error.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_CANTOPEN
    if isinstance(error, OperationalError) and hasattr(orig, "sqlstate"):
        # psycopg: no SQLSTATE means the client failed to connect or lost the connection.
        state = orig.sqlstate
        return (state is None or state.startswith(_PG_UNAVAILABLE_CLASSES)
                or state in _PG_UNAVAILABLE_STATES)
    return False
