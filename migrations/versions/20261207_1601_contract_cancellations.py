"""Cancelling contracts (§ 312k BGB): each declaration as it arrived, and the contracts it
ends with their end dates.

Revision ID: 20261207_1601
Revises: 20261207_1600
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_1601'
down_revision = '20261207_1600'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contract_cancellation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('link_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('ordinary', 'extraordinary')", name=op.f('ck_contract_cancellation_kind')),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_contract_cancellation_membership_id_membership'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_contract_cancellation_plan_id_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_contract_cancellation_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_cancellation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_contract_cancellation_token_hash'))
    )
    with op.batch_alter_table('contract_cancellation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_cancellation_user_id'), ['user_id'], unique=False)

    op.create_table('cancelled_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cancellation_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cancellation_id'], ['contract_cancellation.id'], name=op.f('fk_cancelled_contract_cancellation_id_contract_cancellation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_cancelled_contract_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cancelled_contract')),
    sa.UniqueConstraint('cancellation_id', 'membership_id', name='uq_cancelled_contract_membership')
    )
    with op.batch_alter_table('cancelled_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cancelled_contract_cancellation_id'), ['cancellation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cancelled_contract_membership_id'), ['membership_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cancelled_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cancelled_contract_membership_id'))
        batch_op.drop_index(batch_op.f('ix_cancelled_contract_cancellation_id'))

    op.drop_table('cancelled_contract')
    with op.batch_alter_table('contract_cancellation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_cancellation_user_id'))

    op.drop_table('contract_cancellation')
