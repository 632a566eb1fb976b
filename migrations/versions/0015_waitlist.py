"""The waiting list: members waiting for a full slot, and the offer that holds a freed
resource for the first of them. A new table only; booking is not touched.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

STATUSES = "'waiting', 'offered', 'booked', 'lapsed', 'withdrawn', 'over'"
KINDS = "'hot_desk', 'meeting_room', 'phone_booth'"


def upgrade():
    op.create_table(
        'waitlist_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=True),
        sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('start_at < end_at', name=op.f('ck_waitlist_entry_start_before_end')),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f('ck_waitlist_entry_status')),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f('ck_waitlist_entry_kind')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_waitlist_entry_user_id_user_account')),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE',
                                name=op.f('fk_waitlist_entry_space_id_space')),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ondelete='SET NULL',
                                name=op.f('fk_waitlist_entry_resource_id_resource')),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='SET NULL',
                                name=op.f('fk_waitlist_entry_booking_id_booking')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entry')),
    )
    op.create_index('ix_waitlist_entry_space_kind', 'waitlist_entry',
                    ['space_id', 'kind', 'created_at'])
    op.create_index('ix_waitlist_entry_user_id', 'waitlist_entry', ['user_id'])
    op.create_index('ix_waitlist_entry_offered', 'waitlist_entry', ['resource_id', 'start_at'],
                    postgresql_where=sa.text("status = 'offered'"),
                    sqlite_where=sa.text("status = 'offered'"))
    op.create_index('uq_waitlist_entry_open', 'waitlist_entry',
                    ['user_id', 'space_id', 'kind', 'start_at', 'end_at'], unique=True,
                    postgresql_where=sa.text("status IN ('waiting', 'offered')"),
                    sqlite_where=sa.text("status IN ('waiting', 'offered')"))


def downgrade():
    op.drop_index('uq_waitlist_entry_open', table_name='waitlist_entry')
    op.drop_index('ix_waitlist_entry_offered', table_name='waitlist_entry')
    op.drop_index('ix_waitlist_entry_user_id', table_name='waitlist_entry')
    op.drop_index('ix_waitlist_entry_space_kind', table_name='waitlist_entry')
    op.drop_table('waitlist_entry')
