"""Where a booking was made is one of web, api, series, walk-in and event, checked by the database
like its status. PostgreSQL: a CHECK constraint. SQLite: an insert and an update trigger
that abort, since a CHECK there needs the booking table rebuilt (see 0005).

Revision ID: 20261208_0100
Revises: 20261208_0900
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0100'
down_revision = '20261208_0900'
branch_labels = None
depends_on = None

SOURCES = "('web', 'api', 'series', 'walk-in', 'event')"
CHECK = "ck_booking_source"
EVENTS = ("INSERT", "UPDATE")


def upgrade():
    strange = op.get_bind().execute(sa.text(
        f"SELECT DISTINCT source FROM booking WHERE source NOT IN {SOURCES}")).scalars().all()
    if strange:
        raise RuntimeError(f"bookings with an unknown source {sorted(strange)}; set them to one "
                           f"of {SOURCES} before upgrading")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE booking ADD CONSTRAINT {CHECK} CHECK (source IN {SOURCES})")
        return
    for event in EVENTS:
        op.execute(f"""
            CREATE TRIGGER booking_source_{event.lower()}
            BEFORE {event} ON booking
            WHEN NEW.source NOT IN {SOURCES}
            BEGIN
                SELECT RAISE(ABORT, '{CHECK}');
            END""")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE booking DROP CONSTRAINT {CHECK}")
        return
    for event in EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS booking_source_{event.lower()}")
