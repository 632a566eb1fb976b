"""Schedules over time: weeks of opening hours valid from a date, a resource's time in
service, the day a space opened, closures of part of a day, and what the space did to a
booking when its time was taken.

Existing spaces open on the day of their first record (their first booking or audit entry,
else today), and their current hours apply from that day.

Revision ID: 20261207_1000
Revises: 20261207_1601
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_1000'
down_revision = '20261207_1601'
branch_labels = None
depends_on = None

PART_OF_ONE_DAY = ("(start_time IS NULL AND end_time IS NULL) OR (start_time < end_time "
                   "AND start_date = end_date)")


def upgrade():
    # New nullable columns on space and resource only: other tables refer to both, so
    # neither is rebuilt on SQLite.
    op.add_column('space', sa.Column('opened_on', sa.Date(), nullable=True))
    op.add_column('resource', sa.Column('in_service_from', sa.Date(), nullable=True))
    op.add_column('resource', sa.Column('in_service_until', sa.Date(), nullable=True))
    day = "date(%s)" if op.get_bind().dialect.name == "sqlite" else "CAST(%s AS date)"
    first_booking = (f"SELECT min({day % 'booking.start_at'}) FROM booking JOIN resource "
                     "ON resource.id = booking.resource_id WHERE resource.space_id = space.id")
    first_audit = (f"SELECT min({day % 'audit_entry.at'}) FROM audit_entry "
                   "WHERE audit_entry.space_id = space.id")
    op.execute(f"UPDATE space SET opened_on = coalesce(({first_booking}), ({first_audit}), "
               "CURRENT_DATE)")
    op.execute(f"UPDATE space SET opened_on = ({first_audit}) WHERE ({first_audit}) < opened_on")

    with op.batch_alter_table('opening_hours') as batch:
        batch.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
    op.execute("UPDATE opening_hours SET effective_from = (SELECT space.opened_on FROM space "
               "WHERE space.id = opening_hours.space_id)")
    with op.batch_alter_table('opening_hours') as batch:
        batch.alter_column('effective_from', existing_type=sa.Date(), nullable=False)

    with op.batch_alter_table('closure') as batch:
        batch.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch.add_column(sa.Column('end_time', sa.Time(), nullable=True))
        batch.create_check_constraint('part_of_one_day', PART_OF_ONE_DAY)

    op.create_table('booking_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('before_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before_resource_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IN ('moved', 'shortened', 'cancelled')", name=op.f('ck_booking_change_outcome')),
    sa.ForeignKeyConstraint(['before_resource_id'], ['resource.id'], name=op.f('fk_booking_change_before_resource_id_resource'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_booking_change_booking_id_booking'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_change'))
    )
    with op.batch_alter_table('booking_change') as batch:
        batch.create_index(batch.f('ix_booking_change_booking_id'), ['booking_id'], unique=False)


def downgrade():
    op.drop_table('booking_change')
    # Only the hours in force today are kept: a week still to come and the weeks before go.
    op.execute("DELETE FROM opening_hours WHERE effective_from > CURRENT_DATE OR effective_from "
               "< (SELECT max(h.effective_from) FROM opening_hours h WHERE h.space_id = "
               "opening_hours.space_id AND h.effective_from <= CURRENT_DATE)")
    # Part-day closures did not exist before: they go.
    op.execute("DELETE FROM closure WHERE start_time IS NOT NULL")
    with op.batch_alter_table('closure') as batch:
        batch.drop_constraint(op.f('ck_closure_part_of_one_day'), type_='check')
        batch.drop_column('end_time')
        batch.drop_column('start_time')
    with op.batch_alter_table('opening_hours') as batch:
        batch.drop_column('effective_from')
    op.drop_column('resource', 'in_service_until')
    op.drop_column('resource', 'in_service_from')
    op.drop_column('space', 'opened_on')
