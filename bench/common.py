"""Helpers shared by the bench scripts: temporary migrated databases on both engines, a space
builder, bulk users, a SQL statement counter and percentiles. Not a benchmark by itself."""
import contextlib
import os
import statistics
import sys
import tempfile
import uuid
from datetime import UTC, datetime, time
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

PG_URL = os.environ.get("BENCH_DATABASE_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ZONE_NAME = "Europe/Berlin"
# A valid scrypt hash of nothing anyone types: bulk users never sign in with a password.
DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


class BenchConfig(Config):
    ENV_NAME = "bench"
    SECRET_KEY = "bench-only-not-secret"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"


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
def postgres_database():
    """A fresh PostgreSQL database URL, dropped afterwards; None if the server is unreachable."""
    url = make_url(PG_URL)
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
    from coworking.spaces.models import OpeningHours, Resource, Space, Town

    town = Town(name=f"Benchtown {slug}", state="BE", state_name="Berlin")
    space = Space(slug=slug, name=f"Bench {slug}", town=town, address="Benchstraße 1, 10115 Berlin",
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


def bulk_users(count, prefix):
    """`count` members inserted in one executemany (no password hashing); returns their ids."""
    from coworking.accounts.models import User, UserRole

    now = datetime.now(UTC)
    emails = [f"{prefix}{i}@bench.example.org" for i in range(count)]
    db.session.execute(insert(User.__table__), [
        {"email": e, "name": f"Bench {e}", "password_hash": DUMMY_HASH, "created_at": now}
        for e in emails])
    ids = db.session.scalars(select(User.id).where(User.email.in_(emails)).order_by(User.id)).all()
    db.session.execute(insert(UserRole.__table__),
                       [{"user_id": i, "role": "member", "space_id": None} for i in ids])
    db.session.commit()
    return ids


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

