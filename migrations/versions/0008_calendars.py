"""Calendars: the feed tokens and the change stamps feeds answer 304 from.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_calendar_token_space_id_space'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_token_token_hash'))
    )
    op.create_index(op.f('ix_calendar_token_user_id'), 'calendar_token', ['user_id'], unique=False)
    # At most one token in force per feed: a member's own, and a host's per space.
    op.create_index('uq_calendar_token_member', 'calendar_token', ['user_id'], unique=True,
                    postgresql_where=sa.text('space_id IS NULL AND revoked_at IS NULL'),
                    sqlite_where=sa.text('space_id IS NULL AND revoked_at IS NULL'))
    op.create_index('uq_calendar_token_host', 'calendar_token', ['user_id', 'space_id'],
                    unique=True,
                    postgresql_where=sa.text('space_id IS NOT NULL AND revoked_at IS NULL'),
                    sqlite_where=sa.text('space_id IS NOT NULL AND revoked_at IS NULL'))
    op.create_table('calendar_stamp',
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('changed', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("scope IN ('member', 'space')", name=op.f('ck_calendar_stamp_scope')),
    sa.PrimaryKeyConstraint('scope', 'owner_id', name=op.f('pk_calendar_stamp'))
    )


def downgrade():
    op.drop_table('calendar_stamp')
    op.drop_index('uq_calendar_token_host', table_name='calendar_token')
    op.drop_index('uq_calendar_token_member', table_name='calendar_token')
    op.drop_index(op.f('ix_calendar_token_user_id'), table_name='calendar_token')
    op.drop_table('calendar_token')
