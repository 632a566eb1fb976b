"""A test's database saved once and put back between cases, on both engines.

A test that asks many questions of one expensive world (tests/test_access.py asks every
route) builds the world once, saves it, and puts it back only after a case that wrote: the
engine reports every statement, so a case that only read leaves nothing to undo.

SQLite copies the whole file through its backup API, both ways, in a few milliseconds.
PostgreSQL keeps a copy of every table in a schema of its own and refills the tables from it
in one transaction.
"""
import sqlite3
from contextlib import closing

from flask import current_app
from sqlalchemy import event, text

from coworking.extensions import db
from coworking.spaces.service import forget_schedules

SCHEMA = "test_snapshot"

# Sequences back to their start, as after TRUNCATE ... RESTART IDENTITY.
_RESTART_SEQUENCES = (
    "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s "
    "JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public';")

# Statements that change no row: anything else marks the database as changed.
_READING = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "SHOW", "SET ", "RESET")


class DatabaseSnapshot:
    """`save()` the database as it stands; after a case, `restore()` if `changed`."""

    def __init__(self, engine):
        self.engine = engine
        self.changed = False
        self.restores = 0
        self._saved = None
        self._pg_script = None
        event.listen(engine, "before_cursor_execute", self._watch)

    def _watch(self, _conn, _cursor, statement, _parameters, _context, _executemany):
        if not statement.lstrip().upper().startswith(_READING):
            self.changed = True

    def save(self):
        db.session.remove()
        if self.engine.dialect.name == "sqlite":
            self._saved = sqlite3.connect(":memory:")
            with self._live() as live:
                live.backup(self._saved)
        else:
            self._save_postgresql()
        self.changed = False

    def restore(self):
        """Put the saved database back; the session starts afresh (reload what you hold)."""
        assert self._saved is not None or self._pg_script, "save() first"
        db.session.remove()
        if self.engine.dialect.name == "sqlite":
            with self._live() as live:
                self._saved.backup(live)
        else:
            with self.engine.connect() as conn:
                conn.exec_driver_sql(self._pg_script)
                conn.commit()
        self._reset_rate_limits()
        # The hours kept per space name settings versions that the saved database reuses.
        forget_schedules(current_app)
        self.changed = False
        self.restores += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._watch)
        if self._saved is not None and self.engine.dialect.name == "sqlite":
            self._saved.close()
        elif self._pg_script:
            db.session.remove()
            with self.engine.connect() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
                conn.commit()

    def _live(self):
        live = sqlite3.connect(self.engine.url.database, timeout=30)
        live.isolation_level = None
        return closing(live)

    def _save_postgresql(self):
        with self.engine.connect() as conn:
            tables = public_tables(conn)
            skip_triggers = may_skip_triggers(conn)
            columns = {}
            for table, column in conn.execute(text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND is_generated = 'NEVER' "
                    "ORDER BY table_name, ordinal_position")):
                columns.setdefault(table, []).append(f'"{column}"')
            references = conn.execute(text(
                "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text "
                "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE c.contype = 'f' AND n.nspname = 'public'")).all()
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE; '
                                 f'CREATE SCHEMA "{SCHEMA}"; ' + " ".join(
                                     f'CREATE TABLE "{SCHEMA}"."{t}" AS TABLE public."{t}";'
                                     for t in tables))
            conn.commit()
        order = _referenced_first(tables, references)
        self._pg_script = (
            emptying_sql(tables, skip_triggers) + " " + " ".join(
                f"INSERT INTO public.{_quoted(t)} ({', '.join(columns[t])}) "
                f"OVERRIDING SYSTEM VALUE SELECT {', '.join(columns[t])} "
                f'FROM "{SCHEMA}".{_quoted(t)};' for t in order))

    @staticmethod
    def _reset_rate_limits():
        # The app counts failed sign-ins and codes in memory: state a case must not leave.
        from coworking.extensions import limiter

        storage = getattr(getattr(limiter, "_strategy", None), "storage", None)
        if storage is not None and hasattr(storage, "reset"):
            storage.reset()


def public_tables(conn):
    """The app's tables in a PostgreSQL database (not Alembic's own)."""
    return conn.scalars(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version' ORDER BY tablename")).all()


def may_skip_triggers(conn):
    """Whether this role may switch off triggers and foreign-key checks for a transaction
    (session_replication_role), which only a superuser may."""
    return bool(conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")))


def emptying_sql(tables, skip_triggers, restart_sequences=False):
    """SQL that empties `tables` in one transaction.

    TRUNCATE creates new files for every table and index, which costs a second per test on
    a busy disk; DELETE of the few rows a test writes costs milliseconds, once the foreign
    keys and the guard that keeps issued invoices are switched off for the transaction.
    Without the right for that, TRUNCATE it is."""
    if not skip_triggers:
        restart = "RESTART IDENTITY " if restart_sequences else ""
        return f"TRUNCATE {', '.join(f'public.{_quoted(t)}' for t in tables)} {restart}CASCADE;"
    return ("SET LOCAL session_replication_role = replica; "
            + " ".join(f"DELETE FROM public.{_quoted(t)};" for t in tables)
            + (" " + _RESTART_SEQUENCES if restart_sequences else ""))


def _quoted(name):
    return '"' + name.strip('"') + '"'


def _referenced_first(tables, references):
    """The tables in an order that inserts each row after the rows it refers to."""
    needs = {t: set() for t in tables}
    for table, referenced in references:
        table, referenced = table.strip('"'), referenced.strip('"')
        if table != referenced and table in needs and referenced in needs:
            needs[table].add(referenced)
    order = []
    while needs:
        ready = sorted(t for t, wanted in needs.items() if not wanted - set(order))
        assert ready, f"foreign keys in a cycle: {sorted(needs)}"
        order += ready
        for t in ready:
            del needs[t]
    return order

