"""A new space starts as a draft that only admins and its hosts see, until it is published;
every space there is already is published.

Revision ID: 20261208_0700
Revises: 20261208_0600
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0700'
down_revision = '20261208_0600'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('space', sa.Column('draft', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('space') as batch:
        batch.drop_column('draft')
