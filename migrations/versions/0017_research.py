"""Research: the type of a space.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: no table copy on SQLite.
    op.add_column('space', sa.Column('space_type', sa.String(length=30), nullable=True))


def downgrade():
    # Not rebuilt on SQLite (that would delete every row referring to a space); SQLite 3.35
    # drops columns in place.
    with op.batch_alter_table('space', recreate='never') as batch:
        batch.drop_column('space_type')
