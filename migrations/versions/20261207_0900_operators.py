"""Operators: the legal seller of each space and plan; members' billing details.

Existing spaces get an operator per town (incomplete: its invoice data is for an admin to
fill), and existing plans are sold by the operator of the one space they cover, else by the
programme office, which runs the portal.

Revision ID: 20261207_0900
Revises: 0017
Create Date: 2026-12-07

"""
import re
import unicodedata
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '20261207_0900'
down_revision = '0017'
branch_labels = None
depends_on = None

PROGRAMME_OFFICE = 'programmbuero'
SKR03 = {"1900": "8400", "700": "8300", "0": "8200"}


def _slug(text):
    ascii_text = (unicodedata.normalize('NFKD', text.replace('ß', 'ss'))
                  .encode('ascii', 'ignore').decode())
    return re.sub(r'[^a-z0-9]+', '-', ascii_text.lower()).strip('-')[:60] or 'betreiber'


def upgrade():
    op.create_table(
        'operator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('legal_name', sa.String(length=200), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('postcode', sa.String(length=10), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('representative', sa.String(length=200), nullable=False),
        sa.Column('register', sa.String(length=200), nullable=False),
        sa.Column('tax_number', sa.String(length=30), nullable=False),
        sa.Column('vat_id', sa.String(length=20), nullable=False),
        sa.Column('tax_mode', sa.String(length=20), nullable=False),
        sa.Column('invoice_prefix', sa.String(length=12), nullable=True),
        sa.Column('iban', sa.String(length=34), nullable=False),
        sa.Column('bic', sa.String(length=11), nullable=False),
        sa.Column('bank_name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('revenue_accounts', sa.JSON(), nullable=False),
        sa.Column('runs_portal', sa.Boolean(), nullable=False),
        sa.Column('sample_data', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("tax_mode IN ('standard', 'small_business', 'exempt_public')",
                           name=op.f('ck_operator_tax_mode')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_operator')),
        sa.UniqueConstraint('invoice_prefix', name=op.f('uq_operator_invoice_prefix')),
        sa.UniqueConstraint('slug', name=op.f('uq_operator_slug')),
    )
    op.create_index('uq_operator_runs_portal', 'operator', ['runs_portal'], unique=True,
                    sqlite_where=sa.text('runs_portal'), postgresql_where=sa.text('runs_portal'))
    op.create_table(
        'billing_details',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('company', sa.String(length=200), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('postcode', sa.String(length=10), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('vat_id', sa.String(length=20), nullable=False),
        sa.Column('buyer_reference', sa.String(length=60), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_billing_details_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_details')),
        sa.UniqueConstraint('user_id', name=op.f('uq_billing_details_user_id')),
    )
    with op.batch_alter_table('space') as batch:
        batch.add_column(sa.Column('operator_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('plan') as batch:
        batch.add_column(sa.Column('seller_id', sa.Integer(), nullable=True))
    _assign_operators()
    with op.batch_alter_table('space') as batch:
        batch.alter_column('operator_id', existing_type=sa.Integer(), nullable=False)
        batch.create_index(batch.f('ix_space_operator_id'), ['operator_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_space_operator_id_operator'), 'operator',
                                 ['operator_id'], ['id'])
    with op.batch_alter_table('plan') as batch:
        batch.alter_column('seller_id', existing_type=sa.Integer(), nullable=False)
        batch.create_index(batch.f('ix_plan_seller_id'), ['seller_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_plan_seller_id_operator'), 'operator',
                                 ['seller_id'], ['id'])


def _assign_operators():
    """One operator per town with spaces, named after its first space; the programme office
    for the portal and for plans that do not belong to exactly one space."""
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    operator = sa.table(
        'operator', sa.column('revenue_accounts', sa.JSON()),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('updated_at', sa.DateTime(timezone=True)),
        *(sa.column(name) for name in (
            'slug', 'legal_name', 'street', 'postcode', 'city', 'country', 'representative',
            'register', 'tax_number', 'vat_id', 'tax_mode', 'iban', 'bic', 'bank_name', 'email',
            'phone', 'runs_portal', 'sample_data')))
    empty = dict(legal_name='', street='', postcode='', city='', country='DE',
                 representative='', register='', tax_number='', vat_id='',
                 tax_mode='standard', iban='', bic='', bank_name='', email='', phone='',
                 revenue_accounts=SKR03, sample_data=False, created_at=now, updated_at=now)
    spaces = bind.execute(sa.text(
        "SELECT space.id, space.slug, town.id, town.name FROM space "
        "JOIN town ON town.id = space.town_id ORDER BY space.id")).all()
    plans = bind.execute(sa.text("SELECT id, all_spaces FROM plan ORDER BY id")).all()
    if not spaces and not plans:
        return
    ids = {}

    def add(slug, **values):
        taken = set(ids.values())
        unique, n = slug, 1
        while unique in taken:
            n += 1
            unique = f"{slug}-{n}"
        bind.execute(operator.insert().values(slug=unique, **(empty | values)))
        return bind.execute(sa.text("SELECT id FROM operator WHERE slug = :slug"),
                            {"slug": unique}).scalar_one(), unique

    office_id, office_slug = add(PROGRAMME_OFFICE, runs_portal=True)
    ids[office_id] = office_slug
    by_town = {}
    for space_id, space_slug, town_id, town_name in spaces:
        if town_id not in by_town:
            new_id, new_slug = add(_slug(space_slug or town_name), runs_portal=False,
                                   city=town_name)
            ids[new_id] = new_slug
            by_town[town_id] = new_id
        bind.execute(sa.text("UPDATE space SET operator_id = :o WHERE id = :s"),
                     {"o": by_town[town_id], "s": space_id})
    operator_of_space = dict(bind.execute(sa.text("SELECT id, operator_id FROM space")).all())
    for plan_id, all_spaces in plans:
        covered = [row[0] for row in bind.execute(sa.text(
            "SELECT space_id FROM plan_space WHERE plan_id = :p"), {"p": plan_id})]
        seller = (operator_of_space[covered[0]] if len(covered) == 1 and not all_spaces
                  else office_id)
        bind.execute(sa.text("UPDATE plan SET seller_id = :o WHERE id = :p"),
                     {"o": seller, "p": plan_id})


def downgrade():
    with op.batch_alter_table('plan') as batch:
        batch.drop_constraint(batch.f('fk_plan_seller_id_operator'), type_='foreignkey')
        batch.drop_index(batch.f('ix_plan_seller_id'))
        batch.drop_column('seller_id')
    with op.batch_alter_table('space') as batch:
        batch.drop_constraint(batch.f('fk_space_operator_id_operator'), type_='foreignkey')
        batch.drop_index(batch.f('ix_space_operator_id'))
        batch.drop_column('operator_id')
    op.drop_table('billing_details')
    op.drop_index('uq_operator_runs_portal', table_name='operator')
    op.drop_table('operator')
