"""Booking limits per member a space can set, and booking requests remembered by their key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_room_bookings', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_desk_days', sa.Integer(), nullable=True))

    op.create_table('idempotency_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.JSON(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_idempotency_key_booking_id_booking'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_idempotency_key_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_key')),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_key_user_key')
    )
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.create_index('ix_idempotency_key_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.drop_index('ix_idempotency_key_created_at')

    op.drop_table('idempotency_key')
    # Not rebuilt on SQLite: dropping the old `space` table with foreign keys on would delete
    # every resource, opening hour and closure that refers to it. SQLite 3.35 drops columns.
    with op.batch_alter_table('space', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('max_desk_days')
        batch_op.drop_column('max_room_bookings')
