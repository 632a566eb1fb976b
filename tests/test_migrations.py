"""The schema comes from migrations; they must agree with the models, guards included."""
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


def test_the_overlap_guards_exist(app):
    with db.engine.connect() as conn:
        if ENGINE == "postgresql":
            names = set(conn.scalars(text(
                "SELECT conname FROM pg_constraint WHERE contype = 'x' "
                "AND conrelid = 'booking'::regclass")))
            assert names == {"booking_resource_overlap", "booking_member_desk_overlap"}
        else:
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            assert names == {f"{guard}_{event}" for guard in ("booking_resource_overlap",
                                                              "booking_member_desk_overlap")
                             for event in ("insert", "update")}


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
