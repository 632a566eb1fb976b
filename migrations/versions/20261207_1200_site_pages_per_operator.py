"""Each operator has its own Impressum and privacy notice: a site page belongs to an operator.

The pages an admin wrote before are the portal's: they go to the programme office, which
runs the portal (made, empty, if no operator runs it yet).

Revision ID: 20261207_1200
Revises: 20261207_0900
Create Date: 2026-12-07

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '20261207_1200'
down_revision = '20261207_0900'
branch_labels = None
depends_on = None

SKR03 = {"1900": "8400", "700": "8300", "0": "8200"}


def _portal_operator_id(bind):
    found = bind.execute(sa.text("SELECT id FROM operator WHERE runs_portal")).scalar()
    if found is not None:
        return found
    now = datetime.now(timezone.utc)
    operator = sa.table('operator', *(sa.column(name) for name in (
        'slug', 'legal_name', 'street', 'postcode', 'city', 'country', 'representative',
        'register', 'tax_number', 'vat_id', 'tax_mode', 'iban', 'bic', 'bank_name', 'email',
        'phone', 'runs_portal', 'sample_data')),
        sa.column('revenue_accounts', sa.JSON()),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('updated_at', sa.DateTime(timezone=True)))
    slug = 'programmbuero'
    while bind.execute(sa.text("SELECT id FROM operator WHERE slug = :s"), {"s": slug}).scalar():
        slug += '-portal'
    bind.execute(operator.insert().values(
        slug=slug, legal_name='', street='', postcode='', city='', country='DE',
        representative='', register='', tax_number='', vat_id='', tax_mode='standard',
        iban='', bic='', bank_name='', email='', phone='', runs_portal=True, sample_data=False,
        revenue_accounts=SKR03, created_at=now, updated_at=now))
    return bind.execute(sa.text("SELECT id FROM operator WHERE runs_portal")).scalar_one()


def upgrade():
    with op.batch_alter_table('site_page') as batch:
        batch.add_column(sa.Column('operator_id', sa.Integer(), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM site_page")).scalar():
        bind.execute(sa.text("UPDATE site_page SET operator_id = :o"),
                     {"o": _portal_operator_id(bind)})
    with op.batch_alter_table('site_page') as batch:
        batch.alter_column('operator_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint('uq_site_page_slug_language', type_='unique')
        batch.create_unique_constraint('uq_site_page_operator_slug_language',
                                       ['operator_id', 'slug', 'language'])
        batch.create_foreign_key(batch.f('fk_site_page_operator_id_operator'), 'operator',
                                 ['operator_id'], ['id'])


def downgrade():
    """Back to one pair for the whole site: the portal's pages stay, the others go."""
    bind = op.get_bind()
    bind.execute(sa.text(
        "DELETE FROM site_page WHERE operator_id NOT IN "
        "(SELECT id FROM operator WHERE runs_portal)"))
    with op.batch_alter_table('site_page') as batch:
        batch.drop_constraint(batch.f('fk_site_page_operator_id_operator'), type_='foreignkey')
        batch.drop_constraint('uq_site_page_operator_slug_language', type_='unique')
        batch.create_unique_constraint('uq_site_page_slug_language', ['slug', 'language'])
        batch.drop_column('operator_id')
