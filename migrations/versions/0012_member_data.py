"""Members' own data: research consent and profile answers, and deleted accounts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'research_profile',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('consent', sa.Boolean(), nullable=False),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('work_mode', sa.String(length=20), nullable=True),
        sa.Column('commute_km_band', sa.String(length=10), nullable=True),
        sa.Column('employment', sa.String(length=20), nullable=True),
        sa.Column('residence', sa.String(length=10), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_research_profile_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_research_profile')),
    )
    # A plain ADD COLUMN: user_account has no triggers, and SQLite needs no rebuild for it.
    op.add_column('user_account', sa.Column('deleted_at', sa.DateTime(timezone=True),
                                            nullable=True))


def downgrade():
    op.drop_column('user_account', 'deleted_at')
    op.drop_table('research_profile')
