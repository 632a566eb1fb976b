"""Invoices and credit notes, immutable once issued, numbered without gaps per operator and
year.

A trigger on each engine refuses to change what an issued document says and to delete one
before its retention period ended (the day after `purge_after`, by the database's date). Only
its links to rows that may go away may become NULL.

Revision ID: 20261207_1700
Revises: 20261207_1000
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_1700'
down_revision = '20261207_1000'
branch_labels = None
depends_on = None

# What a document says: never changed once written.
FIXED = ("id", "operator_id", "number", "kind", "issued_on", "year", "sequence", "snapshot",
         "net_cents", "vat_cents", "gross_cents", "currency", "stripe_payment_id",
         "purge_after", "created_at")
# Links to rows that may be deleted: they may only become NULL.
LINKS = ("user_id", "refers_to_id", "payment_id", "membership_id", "booking_id")
MESSAGE = "issued invoices are immutable"


def upgrade():
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('refers_to_id', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('net_cents', sa.Integer(), nullable=False),
    sa.Column('vat_cents', sa.Integer(), nullable=False),
    sa.Column('gross_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('stripe_payment_id', sa.String(length=100), nullable=True),
    sa.Column('purge_after', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f('ck_invoice_kind')),
    sa.CheckConstraint('sequence > 0', name=op.f('ck_invoice_sequence_positive')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_invoice_booking_id_booking'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_invoice_membership_id_membership'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_invoice_operator_id_operator')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_invoice_payment_id_payment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['refers_to_id'], ['invoice.id'], name=op.f('fk_invoice_refers_to_id_invoice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_invoice_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('number', name=op.f('uq_invoice_number')),
    sa.UniqueConstraint('operator_id', 'year', 'sequence', name='uq_invoice_sequence'),
    sa.UniqueConstraint('payment_id', 'kind', name='uq_invoice_payment_kind')
    )
    op.create_index('ix_invoice_operator_issued_on', 'invoice', ['operator_id', 'issued_on'], unique=False)
    op.create_index(op.f('ix_invoice_user_id'), 'invoice', ['user_id'], unique=False)
    op.create_index(op.f('ix_invoice_payment_id'), 'invoice', ['payment_id'], unique=False)
    op.create_index(op.f('ix_invoice_membership_id'), 'invoice', ['membership_id'], unique=False)
    op.create_index(op.f('ix_invoice_stripe_payment_id'), 'invoice', ['stripe_payment_id'], unique=False)
    op.create_index(op.f('ix_invoice_purge_after'), 'invoice', ['purge_after'], unique=False)

    op.create_table('invoice_counter',
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], name=op.f('fk_invoice_counter_operator_id_operator')),
    sa.PrimaryKeyConstraint('operator_id', 'year', name=op.f('pk_invoice_counter'))
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_guard()
    else:
        _create_sqlite_guards()


def _create_postgresql_guard():
    fixed = " OR ".join(
        f"NEW.{column}::text IS DISTINCT FROM OLD.{column}::text" if column == "snapshot"
        else f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in FIXED)
    links = " OR ".join(f"(NEW.{column} IS DISTINCT FROM OLD.{column} "
                        f"AND NEW.{column} IS NOT NULL)" for column in LINKS)
    op.execute(f"""
        CREATE FUNCTION invoice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.purge_after < CURRENT_DATE THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END IF;
            IF {fixed} OR {links} THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice "
               "FOR EACH ROW EXECUTE FUNCTION invoice_immutable()")


def _create_sqlite_guards():
    fixed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FIXED)
    links = " OR ".join(f"(NEW.{column} IS NOT OLD.{column} AND NEW.{column} IS NOT NULL)"
                        for column in LINKS)
    op.execute(f"""
        CREATE TRIGGER invoice_immutable_update BEFORE UPDATE ON invoice
        WHEN {fixed} OR {links}
        BEGIN
            SELECT RAISE(ABORT, '{MESSAGE}');
        END""")
    op.execute(f"""
        CREATE TRIGGER invoice_immutable_delete BEFORE DELETE ON invoice
        WHEN OLD.purge_after >= date('now')
        BEGIN
            SELECT RAISE(ABORT, '{MESSAGE}');
        END""")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS invoice_immutable ON invoice")
        op.execute("DROP FUNCTION IF EXISTS invoice_immutable()")
    else:
        op.execute("DROP TRIGGER IF EXISTS invoice_immutable_update")
        op.execute("DROP TRIGGER IF EXISTS invoice_immutable_delete")
    op.drop_table('invoice_counter')
    op.drop_index(op.f('ix_invoice_purge_after'), table_name='invoice')
    op.drop_index(op.f('ix_invoice_stripe_payment_id'), table_name='invoice')
    op.drop_index(op.f('ix_invoice_membership_id'), table_name='invoice')
    op.drop_index(op.f('ix_invoice_payment_id'), table_name='invoice')
    op.drop_index(op.f('ix_invoice_user_id'), table_name='invoice')
    op.drop_index('ix_invoice_operator_issued_on', table_name='invoice')
    op.drop_table('invoice')
