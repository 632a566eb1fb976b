"""Column types and engine set-up that make SQLite and PostgreSQL behave alike."""
from contextvars import ContextVar
from datetime import UTC

from sqlalchemy import DateTime, event
from sqlalchemy.types import TypeDecorator

from coworking.extensions import db

_begin_immediate = ContextVar("begin_immediate", default=False)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on both engines.

    SQLite drops the offset of a timezone-aware column, so values are normalised to UTC on
    the way in and marked UTC on the way out. Naive datetimes are refused: they are bugs.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime bound to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def configure_engine(engine):
    """On SQLite: foreign keys, WAL, a busy timeout, and BEGIN IMMEDIATE for writers.

    Python's sqlite3 driver begins transactions late, so two writers that both read first
    deadlock into "database is locked". Writers announce themselves with `begin_write()` and
    take the write lock up front instead; readers stay concurrent.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _begin_immediate.get() else "BEGIN")


def begin_write():
    """Begin the session's transaction as a writer (BEGIN IMMEDIATE on SQLite).

    A read transaction already open (e.g. loading the signed-in user) is ended first; it
    holds no changes, since every use case commits once at its end.
    """
    session = db.session()
    if session.in_transaction():
        # Keep what was read (the signed-in user, say) instead of reloading it afterwards.
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True
    token = _begin_immediate.set(True)
    try:
        session.connection()
    finally:
        _begin_immediate.reset(token)


def is_constraint_violation(error, name):
    """Whether an IntegrityError came from the named overlap constraint or trigger."""
    orig = getattr(error, "orig", None)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == name
    return name in str(orig)
