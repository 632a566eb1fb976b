"""Bounded overlap checks: no booking lasts longer than 24 hours.

So an overlap search starts a day before the new booking and reads an index instead of the
resource's or member's whole history. PostgreSQL: a CHECK constraint. SQLite: an insert and
an update trigger that abort, since a CHECK there needs the table rebuilt, and dropping the
old table would delete or refuse what references it. The SQLite overlap guards are
recreated with the lower bound.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ACTIVE = "('pending_payment', 'confirmed', 'checked_in')"
MAX_LENGTH = "ck_booking_max_length"
GUARDS = ("booking_resource_overlap", "booking_member_desk_overlap")
EVENTS = ("INSERT", "UPDATE")


def upgrade():
    too_long = op.get_bind().scalar(sa.text(
        "SELECT count(*) FROM booking WHERE " + (
            "end_at - start_at > interval '24 hours'" if _is_postgresql()
            else "julianday(end_at) - julianday(start_at) > 1.0")))
    if too_long:
        raise RuntimeError(f"{too_long} bookings last longer than 24 hours; shorten or delete "
                           "them before upgrading")
    if _is_postgresql():
        op.execute(f"ALTER TABLE booking ADD CONSTRAINT {MAX_LENGTH} "
                   "CHECK (end_at - start_at <= interval '24 hours')")
        return
    for event in EVENTS:
        # julianday() counts days to the millisecond; exactly 24 hours is exactly 1.0.
        op.execute(f"""
            CREATE TRIGGER booking_max_length_{event.lower()}
            BEFORE {event} ON booking
            WHEN julianday(NEW.end_at) - julianday(NEW.start_at) > 1.0
            BEGIN
                SELECT RAISE(ABORT, '{MAX_LENGTH}');
            END""")
    _drop_sqlite_guards()
    # An overlapping booking started less than 24 hours before the new one; one second more
    # covers timestamps with fractions of a second, which julianday() rounds.
    _create_sqlite_guards(
        "AND b.start_at > datetime(NEW.start_at, '-24 hours', '-1 seconds')")


def downgrade():
    if _is_postgresql():
        op.execute(f"ALTER TABLE booking DROP CONSTRAINT {MAX_LENGTH}")
        return
    for event in EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS booking_max_length_{event.lower()}")
    _drop_sqlite_guards()
    _create_sqlite_guards("")  # as revision 0001 made them


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def _drop_sqlite_guards():
    for name in GUARDS:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_{event.lower()}")


def _create_sqlite_guards(lower_bound):
    for event in EVENTS:
        other = "AND b.id <> NEW.id" if event == "UPDATE" else ""
        op.execute(f"""
            CREATE TRIGGER booking_resource_overlap_{event.lower()}
            BEFORE {event} ON booking
            WHEN NEW.status IN {ACTIVE}
            BEGIN
                SELECT RAISE(ABORT, 'booking_resource_overlap') WHERE EXISTS (
                    SELECT 1 FROM booking b
                    WHERE b.resource_id = NEW.resource_id {other}
                      AND b.status IN {ACTIVE}
                      AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at
                      {lower_bound});
            END""")
        op.execute(f"""
            CREATE TRIGGER booking_member_desk_overlap_{event.lower()}
            BEFORE {event} ON booking
            WHEN NEW.status IN {ACTIVE} AND NEW.holds_desk
            BEGIN
                SELECT RAISE(ABORT, 'booking_member_desk_overlap') WHERE EXISTS (
                    SELECT 1 FROM booking b
                    WHERE b.user_id = NEW.user_id {other}
                      AND b.holds_desk AND b.status IN {ACTIVE}
                      AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at
                      {lower_bound});
            END""")
