"""Column types, engine set-up and the unit of work: one transaction per use case."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from functools import wraps

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, Enum, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from coworking import events
from coworking.errors import Conflict
from coworking.extensions import db

_begin_immediate = ContextVar("begin_immediate", default=False)
_depth = ContextVar("unit_of_work_depth", default=0)
_LATER = "writes_later"
# Inside `alone()`: the composing unit keeps nothing a failed guarded insert would take along.
_alone = ContextVar("composed_alone", default=False)

# PostgreSQL's answers to two transactions that decided on the same rows at once: a deadlock
# (also seen while checking an exclusion constraint) and a serialization failure.
LOST_RACE_SQLSTATES = frozenset({"40P01", "40001"})
LOST_RACE_MESSAGE = _l("Someone else changed this at the same moment. Please try again.")


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


class naive_utc(FunctionElement):
    """A UTCDateTime column read as a naive UTC datetime, without UTCDateTime's conversion of
    every value: for reads of many rows that mark only what they keep as UTC.

    SQLite stores it so; PostgreSQL converts in the query.
    """

    type = DateTime()
    name = "naive_utc"
    inherit_cache = True


@compiles(naive_utc)
def _naive_utc_as_stored(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(naive_utc, "postgresql")
def _naive_utc_on_postgresql(element, compiler, **kw):
    return f"timezone('UTC', {compiler.process(element.clauses, **kw)})"


def plain_enum(enum_class, length=20):
    """An enum column stored as its plain value, no native type; Python refuses an unknown
    value before the database does (with the CHECK `one_of` writes)."""
    return Enum(enum_class, native_enum=False, length=length, create_constraint=False,
                values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


def one_of(column, values):
    """SQL for a CHECK that `column` holds one of `values` (enum members or strings)."""
    return f"{column} IN (" + ", ".join(f"'{getattr(v, 'value', v)}'" for v in values) + ")"


def configure_engine(engine):
    """On SQLite: foreign keys, WAL, a busy timeout, and BEGIN IMMEDIATE for writers.

    Python's sqlite3 driver begins transactions late, so two writers that both read first
    deadlock into "database is locked". A unit of work takes the write lock up front
    instead; readers stay concurrent.
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


def in_unit_of_work():
    return _depth.get() > 0


def _end_read_transaction(session):
    """End a transaction that has only read (the signed-in user, say), keeping what it loaded,
    so that the use case begins as a writer.

    Committing here would also commit changes made outside any unit of work; those are bugs,
    so they are refused instead of being written half-way through someone else's use case.

    Only SQLite needs the new transaction: a reader cannot become a writer there without
    risking "database is locked". It is rolled back, not committed: it wrote nothing, and the
    request's one commit is the use case's. PostgreSQL has no writer mode to begin in, and at
    READ COMMITTED (its default, which the app keeps) every statement sees the latest
    commits, so the transaction that has only read goes on as the use case's; ending it
    would cost a COMMIT and a BEGIN, two round trips per request.
    """
    if not session.in_transaction():
        return
    if (session.new or session.dirty or session.deleted or session.info.get("flushed")
            or events.pending(session)):
        raise RuntimeError("changes made outside a unit of work")
    if session.get_bind().dialect.name == "sqlite":
        _rollback_keeping_objects(session)


def _rollback_keeping_objects(session):
    # A rollback expires every loaded object (the signed-in user, say), and reading each one
    # again would cost a query; nothing of them changed, so they are kept as they are.
    kept = list(session.identity_map.values())
    session.expunge_all()
    session.rollback()
    session.add_all(kept)


def write_later(write):
    """Run `write()`, a small write that nobody waits for (when a token was last used, say),
    inside the next unit of work of this session, so that it costs no commit of its own;
    when the request makes none, `write_pending()` runs it in one at the request's end."""
    if in_unit_of_work():
        write()
    else:
        db.session().info.setdefault(_LATER, []).append(write)


def write_pending():
    """The writes `write_later` still holds, in a unit of their own (none: nothing to do)."""
    if db.session().info.get(_LATER):
        with unit_of_work():
            pass


def _run_writes_later(session):
    for write in session.info.pop(_LATER, ()):
        write()


def _commit_keeping_objects(session):
    # What a use case returns is shown right after it; reloading every object for that
    # would cost one query each.
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@event.listens_for(Session, "after_flush")
def _remember_flush(session, _context):
    session.info["flushed"] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_flush(session, transaction):
    if transaction.parent is None:
        session.info.pop("flushed", None)


@contextmanager
def unit_of_work():
    """Run a use case as one write transaction: begin as a writer, commit once, roll back on
    any exception. Units nest: an inner one joins the outer one, which alone commits.

    Before the commit, the events the use case recorded are handed to their subscribers
    (outbox rows, audit entries, ...), in the same transaction.
    """
    session = db.session()
    depth = _depth.get()
    token = _depth.set(depth + 1)
    if depth:
        try:
            yield session
        finally:
            _depth.reset(token)
        return
    try:
        _end_read_transaction(session)
        writer = _begin_immediate.set(True)
        try:
            session.connection()
        finally:
            _begin_immediate.reset(writer)
        _run_writes_later(session)
        yield session
        session.flush()
        events.dispatch(session)
        _commit_keeping_objects(session)
    except BaseException:
        session.rollback()
        events.discard(session)
        raise
    finally:
        _depth.reset(token)


@contextmanager
def alone():
    """Compose units inside that are the whole of the outer one's work (booking and showing
    the booking, say): a failure of theirs ends it anyway, so their guarded inserts need no
    SAVEPOINT, two statements each."""
    token = _alone.set(True)
    try:
        yield
    finally:
        _alone.reset(token)


@contextmanager
def savepoint():
    """Let a guarded insert fail without failing the whole unit; what it recorded is dropped.

    A unit that is not composed needs no SAVEPOINT: its failure ends it anyway, so it rolls
    back at once and lets the caller read afresh to explain what went wrong. Nor does one
    composed `alone()`.
    """
    session = db.session()
    mark = len(session.info.get("events", ()))
    composed = _depth.get() > 1 and not _alone.get()
    try:
        if composed:
            with session.begin_nested():
                yield
        else:
            yield
            session.flush()
    except BaseException:
        del session.info.get("events", [])[mark:]
        if not composed:
            session.rollback()
        raise


def is_lost_race(error):
    """Whether a database error means another transaction won a race for the same rows."""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in LOST_RACE_SQLSTATES


def use_case(func=None, *, race_message=LOST_RACE_MESSAGE):
    """Run `func` in a unit of work. A lost race (deadlock, serialization failure) is retried
    once when this is the outermost unit, then answered as a Conflict, never a 500."""

    def decorate(func):
        @wraps(func)
        def run(*args, **kwargs):
            attempts = 1 if in_unit_of_work() else 2
            for attempt in range(attempts):
                try:
                    with unit_of_work():
                        return func(*args, **kwargs)
                except DBAPIError as error:
                    # Composed `alone()`, the outer unit retries the whole of it.
                    if not is_lost_race(error) or (attempts == 1 and _alone.get()):
                        raise
                    if attempt + 1 == attempts:
                        raise Conflict(race_message) from error

        return run

    return decorate(func) if func is not None else decorate


def is_constraint_violation(error, name):
    """Whether an IntegrityError came from the named overlap constraint or trigger."""
    orig = getattr(error, "orig", None)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == name
    return name in str(orig)
