"""Visits (check-ins and check-outs), and partial indexes on booking for the no-show and
closing-time jobs. The booking table is not rebuilt: on SQLite that would lose its triggers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

METHODS = "'host', 'self', 'auto'"


def upgrade():
    op.create_table(
        'visit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
        sa.Column('checked_out_by_id', sa.Integer(), nullable=True),
        sa.Column('check_in_method', sa.String(length=10), nullable=False),
        sa.Column('check_out_method', sa.String(length=10), nullable=True),
        sa.CheckConstraint(f"check_in_method IN ({METHODS})",
                           name=op.f('ck_visit_check_in_method')),
        sa.CheckConstraint(f"check_out_method IN ({METHODS})",
                           name=op.f('ck_visit_check_out_method')),
        sa.CheckConstraint('checked_out_at IS NULL OR checked_out_at >= checked_in_at',
                           name=op.f('ck_visit_out_after_in')),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE',
                                name=op.f('fk_visit_space_id_space')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_visit_user_id_user_account')),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='SET NULL',
                                name=op.f('fk_visit_booking_id_booking')),
        sa.ForeignKeyConstraint(['checked_in_by_id'], ['user_account.id'], ondelete='SET NULL',
                                name=op.f('fk_visit_checked_in_by_id_user_account')),
        sa.ForeignKeyConstraint(['checked_out_by_id'], ['user_account.id'],
                                ondelete='SET NULL',
                                name=op.f('fk_visit_checked_out_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
        sa.UniqueConstraint('booking_id', name=op.f('uq_visit_booking_id')),
    )
    op.create_index('ix_visit_space_checked_in_at', 'visit', ['space_id', 'checked_in_at'])
    op.create_index('ix_visit_user_id', 'visit', ['user_id'])
    # Plain CREATE INDEX on booking: no table copy, its overlap triggers stay.
    op.create_index('ix_booking_confirmed_start', 'booking', ['start_at'],
                    postgresql_where=sa.text("status = 'confirmed'"),
                    sqlite_where=sa.text("status = 'confirmed'"))
    op.create_index('ix_booking_checked_in_end', 'booking', ['end_at'],
                    postgresql_where=sa.text("status = 'checked_in'"),
                    sqlite_where=sa.text("status = 'checked_in'"))


def downgrade():
    op.drop_index('ix_booking_checked_in_end', table_name='booking')
    op.drop_index('ix_booking_confirmed_start', table_name='booking')
    op.drop_index('ix_visit_user_id', table_name='visit')
    op.drop_index('ix_visit_space_checked_in_at', table_name='visit')
    op.drop_table('visit')
