"""Orders: what a buyer agreed to when they ordered a paid plan or day pass, and when; a
membership may be usable only from the end of the withdrawal period.

Existing memberships are usable from their activation (the new column stays empty).

Revision ID: 20261207_1500
Revises: 20261207_1200
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_1500'
down_revision = '20261207_1200'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_order',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('seller_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=True),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('price_cents', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('vat_basis_points', sa.Integer(), nullable=False),
        sa.Column('consumer', sa.Boolean(), nullable=False),
        sa.Column('withdrawal_ends_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawal_notice', sa.String(length=20), nullable=True),
        sa.Column('early_start', sa.Boolean(), nullable=True),
        sa.Column('usable_from', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_plan_order_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_order_plan_id_plan')),
        sa.ForeignKeyConstraint(['seller_id'], ['operator.id'],
                                name=op.f('fk_plan_order_seller_id_operator')),
        sa.ForeignKeyConstraint(['membership_id'], ['membership.id'],
                                name=op.f('fk_plan_order_membership_id_membership')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'],
                                name=op.f('fk_plan_order_payment_id_payment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_order')),
    )
    with op.batch_alter_table('plan_order', schema=None) as batch:
        batch.create_index(batch.f('ix_plan_order_user_id'), ['user_id'], unique=False)
        batch.create_index(batch.f('ix_plan_order_membership_id'), ['membership_id'],
                           unique=False)
        batch.create_index(batch.f('ix_plan_order_payment_id'), ['payment_id'], unique=False)
    # A plain ADD COLUMN on both engines: the membership table is not rebuilt.
    op.add_column('membership', sa.Column('usable_from', sa.DateTime(timezone=True),
                                          nullable=True))


def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch:
        batch.drop_column('usable_from')
    op.drop_table('plan_order')
