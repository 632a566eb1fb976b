"""When each periodic job last ran and how it ended, for /readyz and /metrics.

Revision ID: 20261207_1900
Revises: 20261207_1700
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_1900'
down_revision = '20261207_1700'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_run',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_run'))
    )


def downgrade():
    op.drop_table('job_run')
