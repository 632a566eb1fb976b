"""A host's day that forgives: host actions kept for undoing them, bookings whose no-show a
host took back, and the door displays' device links.

Revision ID: 20261207_2000
Revises: 20261207_1900
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_2000'
down_revision = '20261207_1900'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('host_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('restore', sa.JSON(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_host_action_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_host_action_booking_id_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_host_action_payment_id_payment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_host_action_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user_account.id'], name=op.f('fk_host_action_undone_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_host_action'))
    )
    with op.batch_alter_table('host_action', schema=None) as batch_op:
        batch_op.create_index('ix_host_action_booking_at', ['booking_id', 'at'], unique=False)
    op.create_table('door_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_door_device_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_door_device_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_door_device')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_door_device_key_hash'))
    )
    with op.batch_alter_table('door_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_door_device_space_id'), ['space_id'], unique=False)
    # A plain ADD COLUMN: a batch copy of `booking` would drop its overlap triggers on SQLite.
    op.add_column('booking', sa.Column('no_show_undone_at', sa.DateTime(timezone=True),
                                       nullable=True))


def downgrade():
    with op.batch_alter_table('door_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_door_device_space_id'))
    op.drop_table('door_device')
    op.execute("ALTER TABLE booking DROP COLUMN no_show_undone_at")
    with op.batch_alter_table('host_action', schema=None) as batch_op:
        batch_op.drop_index('ix_host_action_booking_at')
    op.drop_table('host_action')
