"""Helpers shared by the bench scripts: temporary migrated databases on both engines, a space
builder, bulk users and bookings, a SQL statement log, interleaved timing and percentiles.
Not a benchmark by itself.

Engines: SQLite always; PostgreSQL on the URL of `--postgres URL`, else BENCH_DATABASE_URL,
else TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/postgres (skipped
with a note if unreachable). `--engine sqlite` or `--engine postgresql` runs one of them.
"""
import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time as clock
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from config import Config  # noqa: E402
from coworking import create_app  # noqa: E402
from coworking.extensions import db  # noqa: E402

PG_URL = (os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
          or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ZONE_NAME = "Europe/Berlin"
# A valid scrypt hash of nothing anyone types: bulk users never sign in with a password.
DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


class BenchConfig(Config):
    ENV_NAME = "bench"
    SECRET_KEY = "bench-only-not-secret"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    # A bench member books far more often than a person would.
    RATELIMIT_BOOKINGS_PER_MEMBER = "1000000/minute"


def bench_config(database_url):
    config = BenchConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    return config


@contextlib.contextmanager
def sqlite_database():
    """A fresh SQLite file URL, removed afterwards (with its -wal/-shm files)."""
    with tempfile.TemporaryDirectory(prefix="cw_bench_") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.sqlite'}"


@contextlib.contextmanager
def postgres_database(server_url=None):
    """A fresh PostgreSQL database URL, dropped afterwards; None if the server is unreachable."""
    url = make_url(server_url or PG_URL).set(drivername="postgresql+psycopg")
    if url.host not in ("127.0.0.1", "localhost", None):
        raise SystemExit(f"BENCH_DATABASE_URL must point at 127.0.0.1, not {url.host}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"cw_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        print(f"  SKIPPED PostgreSQL: server unreachable at {url.render_as_string()} "
              f"({str(error.orig).strip().splitlines()[0]})")
        yield None
        return
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ENGINES = (("SQLite", sqlite_database), ("PostgreSQL", postgres_database))


def selected_engines(argv=None, description=None):
    """The (name, database factory) pairs the command line asks for; both by default."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"),
                        help="run on this engine only (default: both)")
    parser.add_argument("--postgres", metavar="URL",
                        help="PostgreSQL server to create the temporary database on")
    args = parser.parse_args(argv)
    chosen = []
    if args.engine in (None, "sqlite"):
        chosen.append(("SQLite", sqlite_database))
    if args.engine in (None, "postgresql"):
        chosen.append(("PostgreSQL", lambda: postgres_database(args.postgres)))
    return chosen


@contextlib.contextmanager
def migrated_app(database_url):
    """The app on `database_url`, schema migrated with flask_migrate.upgrade(), context pushed."""
    app = create_app(bench_config(database_url))
    with app.app_context():
        upgrade()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def build_space(slug, desks, opens=time(8), closes=time(18), **rules):
    """A space open every day opens–closes (no holiday closures) with `desks` hot desks;
    returns (space, [desk ids])."""
    from coworking.operators.models import Operator
    from coworking.spaces.models import OpeningHours, Resource, Space, Town

    town = Town(name=f"Benchtown {slug}", state="BE", state_name="Berlin")
    space = Space(slug=slug, name=f"Bench {slug}", town=town, address="Benchstraße 1, 10115 Berlin",
                  operator=Operator(slug=f"bench-{slug}"),
                  timezone=ZONE_NAME, slot_minutes=30, horizon_days=rules.pop("horizon_days", 365),
                  min_notice_minutes=0, max_booking_minutes=600, cancel_deadline_minutes=120,
                  no_show_grace_minutes=30, public_holidays_closed=False, **rules)
    space.opening_hours = [OpeningHours(weekday=d, opens=opens, closes=closes) for d in range(7)]
    db.session.add(space)
    db.session.flush()
    resources = [Resource(space_id=space.id, kind="hot_desk", name=f"Desk {i:02d}")
                 for i in range(1, desks + 1)]
    db.session.add_all(resources)
    db.session.commit()
    return space, [r.id for r in resources]


def bulk_users(count, prefix, cover=True):
    """`count` members inserted in one executemany (no password hashing); returns their ids.

    With `cover` each holds an active unlimited plan for every space, so what is measured is
    booking, not being refused for want of a plan."""
    from coworking.accounts.models import User, UserRole

    now = datetime.now(UTC)
    emails = [f"{prefix}{i}@bench.example.org" for i in range(count)]
    db.session.execute(insert(User.__table__), [
        {"email": e, "name": f"Bench {e}", "password_hash": DUMMY_HASH, "created_at": now}
        for e in emails])
    ids = db.session.scalars(select(User.id).where(User.email.in_(emails)).order_by(User.id)).all()
    db.session.execute(insert(UserRole.__table__),
                       [{"user_id": i, "role": "member", "space_id": None} for i in ids])
    if cover:
        give_plan(ids, kind="monthly", credits=None)
    db.session.commit()
    return ids


def give_plan(user_ids, kind, credits):
    """An active plan for every space for each member (a card with `credits` when it is one),
    inserted in bulk; returns the membership ids."""
    from coworking.memberships.models import CreditEntry, Membership, Plan
    from coworking.operators.models import Operator

    now = datetime.now(UTC)
    seller = Operator(slug=f"bench-seller-{int(now.timestamp() * 1e6)}")
    db.session.add(seller)
    db.session.flush()
    plan_id = db.session.execute(insert(Plan.__table__).returning(Plan.__table__.c.id), [{
        "name": f"Bench {kind} {now.timestamp()}", "description": "", "kind": kind,
        "price_cents": 10000, "currency": "eur", "vat_basis_points": 1900, "credits": credits,
        "validity_days": 365 if credits else None, "days_per_month": None,
        "meeting_room_hours": 0, "all_spaces": True, "once_per_member": False,
        "seller_id": seller.id, "created_at": now}]).scalar_one()
    start = now - timedelta(days=1)
    db.session.execute(insert(Membership.__table__), [{
        "user_id": user_id, "plan_id": plan_id, "status": "active", "created_at": start,
        "activated_at": start, "current_period_start": start,
        "current_period_end": start + timedelta(days=365) if credits else None,
        "cancel_at_period_end": False} for user_id in user_ids])
    ids = db.session.scalars(select(Membership.id).where(Membership.plan_id == plan_id)).all()
    if credits:
        db.session.execute(insert(CreditEntry.__table__), [{
            "membership_id": m, "delta": credits, "reason": "purchase", "created_at": start}
            for m in ids])
    return ids


def grid_bookings(desk_ids, member_ids, first_day, days, count, zone, rng, slots_per_day=20):
    """`count` confirmed bookings on the half-hour grid from 08:00 over desks x days, with no
    overlaps per desk or per member (a member only ever books one desk).

    Every desk-day gets count / (desks x days) bookings of one slot; the slots left over
    either lengthen a booking (up to 4 slots = 120 min) or stay free.
    """
    desk_days = [(d, offset) for offset in range(days) for d in range(len(desk_ids))]
    base, extra = divmod(count, len(desk_days))
    if base + (extra > 0) > slots_per_day:
        raise ValueError("more bookings than half-hour slots")
    rows = []
    for index, (desk, offset) in enumerate(desk_days):
        lengths = [1] * (base + (index < extra))
        gaps = 0
        for _ in range(slots_per_day - len(lengths)):
            pick = rng.randrange(len(lengths)) if lengths else None
            if pick is not None and rng.random() < 0.6 and lengths[pick] < 4:
                lengths[pick] += 1
            else:
                gaps += 1
        items = lengths + [0] * gaps  # 0 = one free slot
        rng.shuffle(items)
        day, slot = first_day + timedelta(days=offset), 0
        own_members = member_ids[desk::len(desk_ids)]
        for length in items:
            if length:
                start = local(day, 8, 0, zone) + timedelta(minutes=30 * slot)
                rows.append(booking_row(rng.choice(own_members), desk_ids[desk], start,
                                        start + timedelta(minutes=30 * length)))
            slot += max(length, 1)
    return rows


def insert_rows(rows, chunk=5000):
    """Bookings straight into the table, in executemany chunks, committed."""
    from coworking.bookings.models import Booking

    for at in range(0, len(rows), chunk):
        db.session.execute(insert(Booking.__table__), rows[at:at + chunk])
    db.session.commit()


def local(day, hh, mm, zone):
    """The UTC instant of wall-clock hh:mm on `day` in `zone` (08:00–18:00 never hits DST)."""
    return datetime.combine(day, time(hh, mm), tzinfo=zone).astimezone(UTC)


def today_in(zone):
    return datetime.now(UTC).astimezone(zone).date()


def booking_row(user_id, resource_id, start, end, now=None):
    """The columns of one confirmed desk booking, as Booking.__table__ takes them."""
    now = now or datetime.now(UTC)
    return {"user_id": user_id, "resource_id": resource_id, "start_at": start, "end_at": end,
            "status": "confirmed", "holds_desk": True, "source": "web",
            "created_at": now, "confirmed_at": now}


class StatementLog:
    """What one piece of work sends to the database: every statement, the pings of
    pool_pre_ping when a connection is checked out of the pool, commits and rollbacks."""

    def __init__(self, engine):
        self.engine, self.entries = engine, []
        self._listeners = (
            (engine, "before_cursor_execute",
             lambda conn, cursor, statement, *a: self.entries.append(" ".join(statement.split()))),
            (engine, "commit", lambda conn: self.entries.append("<COMMIT>")),
            (engine, "rollback", lambda conn: self.entries.append("<ROLLBACK>")),
        )

    def __enter__(self):
        self.entries = []
        for target, name, listener in self._listeners:
            event.listen(target, name, listener)
        dialect = self.engine.dialect
        ping = type(dialect).do_ping

        def logged_ping(dbapi_connection):
            self.entries.append("<PING (pool_pre_ping: SELECT 1)>")
            return ping(dialect, dbapi_connection)

        dialect.do_ping = logged_ping
        return self

    def __exit__(self, *exc):
        for target, name, listener in self._listeners:
            event.remove(target, name, listener)
        del self.engine.dialect.do_ping

    def summary(self):
        statements = [e for e in self.entries if not e.startswith("<")]
        begins = sum(1 for s in statements if s.upper().startswith("BEGIN"))
        return (f"{len(statements) - begins} statements"
                + (f" (+{begins} BEGIN)" if begins else "")
                + f", {self.entries.count('<COMMIT>')} commits, "
                f"{self.entries.count('<ROLLBACK>')} rollbacks, "
                f"{sum(1 for e in self.entries if e.startswith('<PING'))} pings")

    def print(self, indent="      ", width=160):
        for number, entry in enumerate(self.entries, 1):
            text = entry if len(entry) <= width else entry[:width - 1] + "…"
            print(f"{indent}{number:2}. {text}")


def interleaved(variants, rounds, before_each=None, after_each=None):
    """Run every variant once per round, rotating which goes first, and return
    {name: [seconds per operation, one per round]}.

    `variants` maps a name to a function that does the work and returns how many operations
    it did; `after_each(name)` (untimed) restores the state the next variant starts from.
    The machine is shared and noisy: compare variants by the medians of the same run.
    """
    names = list(variants)
    times = {name: [] for name in names}
    for round_ in range(rounds):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            if before_each:
                before_each(name)
            t0 = clock.perf_counter()
            operations = variants[name]()
            times[name].append((clock.perf_counter() - t0) / max(operations, 1))
            if after_each:
                after_each(name)
    return times


class Expectations:
    """What each scenario must see for its figures to mean what they say. A miss is printed at
    once ("FAILED: ..."); `exit_if_failed()` ends the run with a non-zero status listing them."""

    def __init__(self):
        self.failures = []

    def check(self, condition, scenario, message):
        if not condition:
            self.failures.append(f"{scenario}: {message}")
            print(f"    FAILED: {message}", flush=True)
        return condition

    def exit_if_failed(self):
        if self.failures:
            lines = "\n".join(f"  - {failure}" for failure in self.failures)
            raise SystemExit(f"\n{len(self.failures)} expectation(s) not met; the figures above "
                             f"do not measure what they say:\n{lines}")


def median(values):
    return statistics.median(values)


class StatementCounter:
    """Counts cursor executions on an engine while active (BEGIN on SQLite included, which
    the app's engine set-up emits as a statement; `queries` leaves it out)."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _listener(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._listener)

    @property
    def total(self):
        return len(self.statements)

    @property
    def queries(self):
        return sum(1 for s in self.statements if not s.lstrip().upper().startswith("BEGIN"))


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms_summary(seconds):
    ms = [s * 1000 for s in seconds]
    return f"median {statistics.median(ms):7.2f} ms   p95 {percentile(ms, 95):7.2f} ms"

