"""A closure's reason in English, optional: English visitors read it where a host wrote one,
else the German reason marked as such.

Revision ID: 20261209_0140
Revises: 20261208_0400
Create Date: 2026-12-09

"""
import sqlalchemy as sa
from alembic import op

revision = '20261209_0140'
down_revision = '20261208_0400'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN on both engines: the closure table is not rebuilt.
    op.add_column('closure', sa.Column('reason_en', sa.String(length=200), nullable=False,
                                       server_default=''))


def downgrade():
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.drop_column('reason_en')
