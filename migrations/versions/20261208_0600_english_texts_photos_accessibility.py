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
    with op.batch_alter_table('space') as batch:
        for name in ('description_en', 'amenities_en', 'access_en'):
            batch.add_column(sa.Column(name, sa.Text(), nullable=True))
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('name_en', sa.String(length=120), server_default='',
                                   nullable=False))
        batch.add_column(sa.Column('description_en', sa.String(length=500), server_default='',
                                   nullable=False))
    op.create_table(
        'space_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('alt', sa.String(length=200), nullable=False),
        sa.Column('alt_en', sa.String(length=200), server_default='', nullable=False),
        sa.Column('image', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_space_photo_created_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['space.id'],
                                name=op.f('fk_space_photo_space_id_space'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_space_photo')),
        sa.UniqueConstraint('space_id', 'position', name='uq_space_photo_space_position'),
    )
    op.create_index(op.f('ix_space_photo_space_id'), 'space_photo', ['space_id'], unique=False)
    with op.batch_alter_table('site_page') as batch:
        batch.drop_constraint(op.f('ck_site_page_slug'), type_='check')
        batch.create_check_constraint(op.f('ck_site_page_slug'), sa.text(SLUGS_AFTER))


def downgrade():
    op.drop_index(op.f('ix_space_photo_space_id'), table_name='space_photo')
    op.drop_table('space_photo')
    with op.batch_alter_table('plan') as batch:
        batch.drop_column('description_en')
        batch.drop_column('name_en')
    with op.batch_alter_table('space') as batch:
        for name in ('access_en', 'amenities_en', 'description_en'):
            batch.drop_column(name)
    op.execute("DELETE FROM site_page WHERE slug = 'barrierefreiheit'")
    with op.batch_alter_table('site_page') as batch:
        batch.drop_constraint(op.f('ck_site_page_slug'), type_='check')
        batch.create_check_constraint(op.f('ck_site_page_slug'), sa.text(SLUGS_BEFORE))
