"""Series bookings: a series and its bookings in a link table. The booking table is not
touched: on SQLite rebuilding it would lose its overlap triggers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'booking_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('weekdays', sa.String(length=7), nullable=False),
        sa.Column('start_time', sa.Time(), nullable=False),
        sa.Column('end_time', sa.Time(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('weeks', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_booking_series_user_id_user_account')),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'], ondelete='CASCADE',
                                name=op.f('fk_booking_series_space_id_space')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series')),
    )
    op.create_index('ix_booking_series_user_id', 'booking_series', ['user_id'])
    op.create_table(
        'booking_series_item',
        sa.Column('booking_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='CASCADE',
                                name=op.f('fk_booking_series_item_booking_id_booking')),
        sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], ondelete='CASCADE',
                                name=op.f('fk_booking_series_item_series_id_booking_series')),
        sa.PrimaryKeyConstraint('booking_id', name=op.f('pk_booking_series_item')),
    )
    op.create_index('ix_booking_series_item_series_id', 'booking_series_item', ['series_id'])


def downgrade():
    op.drop_index('ix_booking_series_item_series_id', table_name='booking_series_item')
    op.drop_table('booking_series_item')
    op.drop_index('ix_booking_series_user_id', table_name='booking_series')
    op.drop_table('booking_series')
