"""The schema comes from migrations; they must agree with the models, guards included."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from coworking.extensions import db
from tests.factories import ENGINE


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def guards():
    """Exclusion and check constraints on PostgreSQL, triggers on SQLite: name -> definition."""
    with db.engine.connect() as conn:
        if ENGINE == "postgresql":
            return dict(conn.execute(text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype IN ('x', 'c') AND conrelid = 'booking'::regclass")).all())
        return dict(conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all())


def test_the_overlap_guards_and_the_length_limit_exist(app):
    names = set(guards())
    if ENGINE == "postgresql":
        assert {"booking_resource_overlap", "booking_member_desk_overlap",
                "ck_booking_max_length", "ck_booking_source"} <= names
    else:
        assert {name for name in names if name.startswith("booking")} == {
            f"{guard}_{event}"
            for guard in ("booking_resource_overlap", "booking_member_desk_overlap",
                          "booking_max_length", "booking_source")
            for event in ("insert", "update")}


def test_downgrading_the_bounded_overlaps_restores_the_first_guards(app):
    from flask_migrate import downgrade, upgrade

    downgrade(revision="0004")
    restored = guards()
    assert "ck_booking_max_length" not in restored
    assert not any(name.startswith("booking_max_length") for name in restored)
    assert not any("-24 hours" in (definition or "") for definition in restored.values())
    assert {"booking_resource_overlap", "booking_member_desk_overlap"} <= {
        name.removesuffix("_insert").removesuffix("_update") for name in restored}
    upgrade()
    assert "-24 hours" in " ".join(d or "" for d in guards().values()) or ENGINE == "postgresql"


def test_downgrade_and_upgrade_again(app):
    from flask_migrate import downgrade, upgrade

    downgrade(revision="base")
    assert "booking" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "booking" in inspect(db.engine).get_table_names()


def test_booking_limits_downgrade_keeps_the_spaces_and_their_resources(app, make_space):
    """Undoing 0004 drops its columns and table only: on SQLite a rebuilt `space` table must
    not take the rows that refer to it along (foreign keys cascade there)."""
    from flask_migrate import downgrade, upgrade

    make_space(desks=2, rooms=1, max_room_bookings=3, max_desk_days=10)
    db.session.remove()
    downgrade(revision="0003")
    columns = {c["name"] for c in inspect(db.engine).get_columns("space")}
    assert not {"max_room_bookings", "max_desk_days"} & columns
    assert "idempotency_key" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM resource")) == 3
        assert conn.scalar(text("SELECT count(*) FROM opening_hours")) == 7
    upgrade()
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM space WHERE max_desk_days IS NULL")) == 1


def test_the_revision_graph_has_one_head(app):
    """Two branches that each add a migration must be chained before they land: with two
    heads `db upgrade` stops and asks which one."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    config = app.extensions["migrate"].migrate.get_config()
    assert isinstance(app.extensions["migrate"].migrate, Migrate)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.skipif(ENGINE != "sqlite", reason="only SQLite migrates with foreign keys off")
def test_after_migrating_in_process_the_foreign_keys_are_enforced_again(app):
    """SQLite migrates with its foreign keys off; a pooled connection left that way would let
    deleting a booking leave its cover behind (no ON DELETE CASCADE)."""
    from flask_migrate import downgrade, upgrade

    downgrade(revision="20261207_1601")
    upgrade()
    for _ in range(3):  # whichever pooled connection comes next
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
