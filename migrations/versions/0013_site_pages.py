"""The operator's Impressum and privacy notice, as an admin edits them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_page',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=20), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("slug IN ('impressum', 'datenschutz')",
                           name=op.f('ck_site_page_slug')),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f('ck_site_page_language')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL',
                                name=op.f('fk_site_page_updated_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_page')),
        sa.UniqueConstraint('slug', 'language', name='uq_site_page_slug_language'),
    )


def downgrade():
    op.drop_table('site_page')
