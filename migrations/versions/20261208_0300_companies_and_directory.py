"""Company accounts (members, invitations, the desk days billed to a company and its monthly
invoices) and the member directory's opt-in profiles.

Revision ID: 20261208_0300
Revises: 20261208_0200
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0300'
down_revision = '20261208_0200'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('directory_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('what_i_do', sa.String(length=300), nullable=False),
    sa.Column('can_help_with', sa.String(length=300), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_directory_profile_town_id_town')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_directory_profile_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_directory_profile_user_id'))
    )
    with op.batch_alter_table('directory_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_profile_town_id'), ['town_id'], unique=False)

    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('billing_name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('vat_id', sa.String(length=20), nullable=False),
    sa.Column('buyer_reference', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('plan_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seats IS NULL OR seats > 0', name=op.f('ck_company_seats_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_company_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company'))
    )
    op.create_table('company_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_invitation_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_company_invitation_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['used_by_id'], ['user_account.id'], name=op.f('fk_company_invitation_used_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_company_invitation_token_hash'))
    )
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitation_company_id'), ['company_id'], unique=False)

    op.create_table('company_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'employee')", name=op.f('ck_company_member_role')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_member_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_company_member_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_member'))
    )
    with op.batch_alter_table('company_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_member_company_id'), ['company_id'], unique=False)
        batch_op.create_index('uq_company_member_current', ['user_id'], unique=True, sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))

    op.create_table('company_charge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('by_plan', sa.Boolean(), nullable=False),
    sa.Column('unit_gross_cents', sa.Integer(), nullable=False),
    sa.Column('vat_basis_points', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_company_charge_booking_id_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_charge_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_company_charge_operator_id_operator')),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_company_charge_space_id_space')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_company_charge_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_charge')),
    sa.UniqueConstraint('booking_id', name='uq_company_charge_booking_id')
    )
    with op.batch_alter_table('company_charge', schema=None) as batch_op:
        batch_op.create_index('ix_company_charge_company_day', ['company_id', 'local_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_charge_user_id'), ['user_id'], unique=False)

    op.create_table('company_invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_invoice_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_company_invoice_invoice_id_invoice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_company_invoice_operator_id_operator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invoice')),
    sa.UniqueConstraint('company_id', 'operator_id', 'month', name='uq_company_invoice_month')
    )


def downgrade():
    op.drop_table('company_invoice')
    with op.batch_alter_table('company_charge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_charge_user_id'))
        batch_op.drop_index('ix_company_charge_company_day')

    op.drop_table('company_charge')
    with op.batch_alter_table('company_member', schema=None) as batch_op:
        batch_op.drop_index('uq_company_member_current', sqlite_where=sa.text('left_at IS NULL'), postgresql_where=sa.text('left_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_company_member_company_id'))

    op.drop_table('company_member')
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitation_company_id'))

    op.drop_table('company_invitation')
    op.drop_table('company')
    with op.batch_alter_table('directory_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_profile_town_id'))

    op.drop_table('directory_profile')
