"""English beside German for what hosts and admins write (space texts, plans, closures'
reasons), photos of a space, and the accessibility statement as a third site page.

Revision ID: 20261208_0600
Revises: 20261207_2300
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0600'
down_revision = '20261207_2300'
branch_labels = None
depends_on = None

SLUGS_BEFORE = "slug IN ('impressum', 'datenschutz')"
SLUGS_AFTER = "slug IN ('impressum', 'datenschutz', 'barrierefreiheit')"


def upgrade():
    with op.batch_alter_table('site_page') as batch:
        batch.drop_constraint(op.f('ck_site_page_slug'), type_='check')
        batch.create_check_constraint(op.f('ck_site_page_slug'), sa.text(SLUGS_AFTER))


def downgrade():
    op.execute("DELETE FROM site_page WHERE slug = 'barrierefreiheit'")
    with op.batch_alter_table('site_page') as batch:
        batch.drop_constraint(op.f('ck_site_page_slug'), type_='check')
        batch.create_check_constraint(op.f('ck_site_page_slug'), sa.text(SLUGS_BEFORE))
