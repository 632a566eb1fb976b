"""Change stamps: every booking event marks its member's feed and its space's feed as changed,
in the transaction of the change, so a feed answers 304 from its stamp alone."""
import math
from functools import cache

from sqlalchemy import bindparam, event, literal_column, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from coworking import clock
from coworking.calendars.models import MEMBER, SPACE, CalendarStamp
from coworking.extensions import db

_PENDING = "calendar_stamps"


def mark_changed(booking_event):
    """Note the feeds the booking shows in; they are stamped once, when the unit commits."""
    booking = booking_event.booking
    pending = db.session().info.setdefault(_PENDING, set())
    pending.update({(MEMBER, booking.user_id), (SPACE, booking.resource.space_id)})


def registration_changed(happened):
    """A member registered for an event, took a place or left: their feed shows it."""
    if happened.registration.user_id is not None:
        db.session().info.setdefault(_PENDING, set()).add((MEMBER, happened.registration.user_id))


def space_event_changed(happened):
    """An event moved or was called off: the feeds of the members registered for it."""
    pending = db.session().info.setdefault(_PENDING, set())
    pending.update((MEMBER, r.user_id) for r in happened.registrations if r.user_id is not None)


class _later_of(FunctionElement):
    """The greater of two values: GREATEST on PostgreSQL, SQLite's two-argument max()."""

    name = "later_of"
    inherit_cache = True


@compiles(_later_of)
def _later_of_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(_later_of, "postgresql")
def _later_of_postgresql(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


def stamp(session, owners):
    """Raise the stamps of `owners` ((scope, id) pairs) in one statement, in a fixed order so
    that two transactions stamping the same feeds never wait on each other in a circle."""
    params = {"changed": math.floor(clock.utcnow().timestamp())}
    for index, (scope, owner_id) in enumerate(sorted(owners)):
        params[f"scope_{index}"], params[f"owner_{index}"] = scope, owner_id
    session.execute(_stamping(session.get_bind().dialect.name, len(owners)), params)


@cache
def _stamping(dialect, count):
    """The statement raising `count` stamps, compiled once per engine and count into plain
    SQL with its values bound at each call: SQLAlchemy does not cache the compiled form of an
    INSERT .. ON CONFLICT, and compiling it cost more than running it, in every booking's
    commit."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CalendarStamp.__table__
    statement = insert(table).values([
        {"scope": bindparam(f"scope_{index}"), "owner_id": bindparam(f"owner_{index}"),
         "changed": bindparam("changed")} for index in range(count)])
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.owner_id],
        set_={"changed": _later_of(statement.excluded.changed,
                                   table.c.changed + literal_column("1"))})
    # :name parameters, as text() takes them.
    engine_dialect = (postgresql if dialect == "postgresql" else sqlite).dialect(
        paramstyle="named")
    sql = str(statement.compile(dialect=engine_dialect))
    return text(sql).bindparams(*(
        [bindparam(f"scope_{index}") for index in range(count)]
        + [bindparam(f"owner_{index}") for index in range(count)]
        + [bindparam("changed")]))


@event.listens_for(Session, "before_commit")
def _stamp_before_commit(session):
    if session.in_nested_transaction():
        return
    owners = session.info.pop(_PENDING, None)
    if owners:
        stamp(session, owners)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_rollback(session, transaction):
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)
