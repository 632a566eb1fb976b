"""Fixtures: a migrated database per test on SQLite (default) or PostgreSQL (TEST_DATABASE_URL),
the app and its clients, and builders for spaces, users and bookings.

What a world costs, and how a test gets one cheaply:

- The schema is migrated once per worker (`database_template`); each test starts from a copy
  of it (SQLite) or from emptied tables (PostgreSQL). Never migrate in a test that does not
  test migrations.
- Build the world a test needs with the builders below (`make_space`, `make_user`, ...) or
  tests/factories.py; prefer the service functions over requests for setting up, and sign in
  through the form once, not once per request.
- A test that asks many questions of one world that takes a while to build (every route as
  every role, in tests/test_access.py) builds it once, saves it with `database_snapshot`
  and has it put back after each case that wrote, instead of building it again per case.
- Time moves with `frozen`, never with sleep; a test that races threads or processes waits on
  barriers and events, each with a timeout that only a hung test reaches.
"""
import shutil
import uuid
from datetime import datetime, time

import pytest
import time_machine
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from coworking import create_app
from coworking.extensions import db
from tests import app_cache
from tests.factories import ENGINE, PG_URL, Clock, csrf_token, make_config
from tests.smtp_server import smtp_server  # noqa: F401  (a fixture)
from tests.snapshot import emptying_sql, may_skip_triggers, public_tables
from tests.stripe_server.fixture import stripe_server  # noqa: F401  (a fixture)

app_cache.install()


def pytest_collection_modifyitems(items):
    """Mark the tests that run in Chromium (those of a module that drives Playwright), so
    `-m "not browser"` leaves them out."""
    for item in items:
        if getattr(getattr(item, "module", None), "sync_api", None) is not None:
            item.add_marker(pytest.mark.browser)


def pytest_report_header(config):
    return f"database engine: {ENGINE}" + (f" ({make_url(PG_URL).render_as_string()})" if PG_URL else "")


def _pg_admin_engine():
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT"), url


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A database migrated once per session: a file to copy (SQLite) or a database (PostgreSQL)."""
    if ENGINE == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.sqlite"
        app = create_app(make_config(f"sqlite:///{path}"))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield path
        return
    admin, url = _pg_admin_engine()
    name = f"cw_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = url.set(database=name).render_as_string(hide_password=False)
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield database_url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(database_template, database_emptier, tmp_path):
    """A clean, migrated database for one test."""
    if ENGINE == "sqlite":
        path = tmp_path / "coworking.sqlite"
        shutil.copy(database_template, path)
        yield f"sqlite:///{path}"
        return
    yield database_template
    engine, skip_triggers = database_emptier
    with engine.begin() as conn:
        conn.exec_driver_sql(emptying_sql(public_tables(conn), skip_triggers,
                                          restart_sequences=True))


@pytest.fixture(scope="session")
def database_emptier(database_template):
    """PostgreSQL: one engine per worker that empties the database after each test, and
    whether it may do so by DELETE (see tests/snapshot.py) rather than TRUNCATE."""
    if ENGINE == "sqlite":
        yield None
        return
    engine = create_engine(database_template, poolclass=NullPool)
    with engine.connect() as conn:
        skip_triggers = may_skip_triggers(conn)
    yield engine, skip_triggers
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh app context, as in production: its own `g`, its own
    database session. The test's own session commits first, so the request sees the test's
    data and the test afterwards sees the request's."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    app = app_cache.share_templates(create_app(make_config(database_url)))
    app.test_client_class = IsolatedClient
    with app.app_context():
        app_cache.share_dialect(db.engine)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def database_snapshot(app):
    """Save the test's database once, put it back after each case that wrote (see
    tests/snapshot.py): `database_snapshot.save()`, then before each case
    `if database_snapshot.changed: database_snapshot.restore()` and reload by id what the
    test holds. A world that takes seconds to build is then built once per test, not once
    per case."""
    from tests.snapshot import DatabaseSnapshot

    snapshot = DatabaseSnapshot(db.engine)
    yield snapshot
    snapshot.close()


@pytest.fixture
def online(app, stripe_server):
    """The app pays through the local Stripe-compatible server (tests/stripe_server), with
    its key, its webhook secret and its address; returns the server."""
    app.config.update(STRIPE_SECRET_KEY=stripe_server.api_key,
                      STRIPE_WEBHOOK_SECRET=stripe_server.webhook_secret,
                      STRIPE_API_BASE=stripe_server.base_url)
    return stripe_server


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def frozen():
    """A clock fixed at Monday 2027-03-01 07:00 local, before the DST test dates;
    `frozen.set(iso)` moves it. Everything that asks for the time sees the moved clock."""
    with time_machine.travel(datetime.fromisoformat("2027-03-01T07:00:00+01:00"), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def make_operator(app):
    """Builder: an operator whose invoice data is complete (it may sell online), e.g.
    make_operator("moelln", tax_mode="small_business"); `complete=False` leaves it empty."""
    from tests.factories import make_operator as build

    return build


@pytest.fixture
def make_space(app, make_operator):
    """Builder: a space with opening hours (weekday -> [(opens, closes)]) and resources;
    `rules` are the space's booking rules and limits (none unless given)."""
    from coworking.spaces.models import OpeningHours, Resource, Space, Town

    counter = iter(range(1, 10_000))

    def build(slug=None, hours=None, desks=3, rooms=1, booths=0, state="BB", **rules):
        n = next(counter)
        town = Town(name=f"Testtown {n} {uuid.uuid4().hex[:4]}", state=state, state_name=state)
        space = Space(slug=slug or f"space-{n}", name=f"Space {n}", town=town,
                      operator=rules.pop("operator", None) or make_operator(f"op-{n}"),
                      address=f"Teststraße {n}, 12345 Testtown", timezone="Europe/Berlin",
                      slot_minutes=rules.pop("slot_minutes", 30),
                      horizon_days=rules.pop("horizon_days", 365),
                      min_notice_minutes=rules.pop("min_notice_minutes", 0),
                      max_booking_minutes=rules.pop("max_booking_minutes", 600),
                      cancel_deadline_minutes=120, no_show_grace_minutes=30,
                      public_holidays_closed=rules.pop("public_holidays_closed", True),
                      max_room_bookings=rules.pop("max_room_bookings", None),
                      max_desk_days=rules.pop("max_desk_days", None))
        assert not rules, f"unknown rules {rules}"
        hours = hours if hours is not None else {d: [(time(8), time(18))] for d in range(7)}
        space.opening_hours = [OpeningHours(weekday=d, opens=o, closes=c)
                               for d, intervals in hours.items() for o, c in intervals]
        db.session.add(space)
        db.session.flush()
        for i in range(1, desks + 1):
            db.session.add(Resource(space_id=space.id, kind="hot_desk", name=f"Desk {i}"))
        for i in range(1, rooms + 1):
            db.session.add(Resource(space_id=space.id, kind="meeting_room", name=f"Room {i}",
                                    capacity=6))
        for i in range(1, booths + 1):
            db.session.add(Resource(space_id=space.id, kind="phone_booth", name=f"Booth {i}"))
        db.session.commit()
        return space

    return build


@pytest.fixture
def make_user(app):
    """Builder: a user with roles, e.g. make_user(role="host", space=space).

    Members hold an unlimited plan for every space unless `covered=False`, so tests of booking
    rules need not buy one first; tests of cover and payments ask for uncovered members.
    """
    from coworking.accounts.service import create_user
    from tests.factories import give_membership

    counter = iter(range(1, 10_000))

    def build(email=None, password="correct horse", name="Test Member", role="member", space=None,
              covered=True):
        email = email or f"member{next(counter)}@example.org"
        user = create_user(email, name, password, role, space.id if space else None)
        if covered:
            give_membership(user, kind="monthly", all_spaces=True, meeting_room_hours=100)
        return user

    return build


@pytest.fixture
def api(client, make_user):
    """An API caller with a bearer token: api.post(path, json=...) etc."""
    from coworking.accounts.service import issue_api_token

    class Api:
        def __init__(self, user):
            self.user = user
            # English messages keep assertions independent of the German catalogue.
            self.headers = {"Authorization": f"Bearer {issue_api_token(user)}",
                            "Accept-Language": "en"}

        def get(self, path, headers=None, **kw):
            return client.get(path, headers={**self.headers, **(headers or {})}, **kw)

        def post(self, path, headers=None, **kw):
            return client.post(path, headers={**self.headers, **(headers or {})}, **kw)

    def build(user=None, **user_args):
        return Api(user or make_user(**user_args))

    return build


@pytest.fixture
def login(client):
    """Sign in through the real form: login(user_email, password)."""

    def do(email, password="correct horse"):
        response = client.post("/login", data={"email": email, "password": password,
                                               "csrf_token": csrf_token(client, "/login")})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do
