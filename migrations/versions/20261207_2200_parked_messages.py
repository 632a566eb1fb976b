"""Outbox messages that used every attempt are parked, not forgotten: `parked_at` says since
when; those given up on before this revision are parked as of the end of their last try.

Revision ID: 20261207_2200
Revises: 20261207_2000
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_2200'
down_revision = '20261207_2000'
branch_labels = None
depends_on = None

MAX_ATTEMPTS = 12  # coworking.outbox.MAX_ATTEMPTS when this was written


def upgrade():
    # A plain ADD COLUMN on both engines: no batch copy of the table on SQLite.
    op.add_column('outbox_message', sa.Column('parked_at', sa.DateTime(timezone=True),
                                              nullable=True))
    op.execute(sa.text("UPDATE outbox_message SET parked_at = available_at "
                       "WHERE processed_at IS NULL AND attempts >= :max")
               .bindparams(max=MAX_ATTEMPTS))


def downgrade():
    op.execute("ALTER TABLE outbox_message DROP COLUMN parked_at")
