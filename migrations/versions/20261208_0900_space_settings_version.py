"""A space's settings version: raised with every change of its rules, opening hours or
closures, so that a booking that waited for such a change can tell it happened.

Revision ID: 20261208_0900
Revises: 20261208_0300
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0900'
down_revision = '20261208_0300'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN on both engines: the space table is not rebuilt.
    op.add_column('space', sa.Column('settings_version', sa.Integer(), nullable=False,
                                     server_default='0'))


def downgrade():
    with op.batch_alter_table('space', schema=None) as batch_op:
        batch_op.drop_column('settings_version')
