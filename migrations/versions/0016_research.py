"""Research: the type of a space, and members' research consent and profile answers.

Revision ID: 0016
Revises: 0011
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: no table copy on SQLite.
    op.add_column('space', sa.Column('space_type', sa.String(length=30), nullable=True))
    op.create_table(
        'research_profile',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('consent', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('work_mode', sa.String(length=30), nullable=True),
        sa.Column('commute_km_band', sa.String(length=20), nullable=True),
        sa.Column('employment', sa.String(length=30), nullable=True),
        sa.Column('residence', sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_research_profile_user_id_user_account')),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_research_profile')),
    )


def downgrade():
    op.drop_table('research_profile')
    # Not rebuilt on SQLite (that would delete every row referring to a space); SQLite 3.35
    # drops columns in place.
    with op.batch_alter_table('space', recreate='never') as batch:
        batch.drop_column('space_type')
