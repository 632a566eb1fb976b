"""What hosts tell visitors about their space: intro, amenities, how to get in, contact, and
the coordinates for the map link. New nullable columns on space only (no table is rebuilt).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

COLUMNS = (
    ('description', sa.Text()),
    ('amenities', sa.Text()),
    ('access', sa.Text()),
    ('contact_name', sa.String(length=120)),
    ('contact_email', sa.String(length=254)),
    ('contact_phone', sa.String(length=40)),
    ('latitude', sa.Float()),
    ('longitude', sa.Float()),
)


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column('space', sa.Column(name, type_, nullable=True))


def downgrade():
    # One column at a time: SQLite drops a column in place (3.35+), space keeps its rows.
    for name, _type in reversed(COLUMNS):
        op.drop_column('space', name)
