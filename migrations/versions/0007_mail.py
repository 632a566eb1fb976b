"""E-mail: a member's language and reminder choice, the reminders already settled, and the
addresses of accounts made before verification count as verified.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: no table copy on SQLite.
    op.add_column('user_account', sa.Column('language', sa.String(length=5), nullable=True))
    op.add_column('user_account', sa.Column('reminders', sa.Boolean(), server_default=sa.true(),
                                            nullable=False))
    # Accounts made before addresses were verified keep what they could do: buy plans.
    user = sa.table('user_account', sa.column('created_at', sa.DateTime(timezone=True)),
                    sa.column('email_verified_at', sa.DateTime(timezone=True)))
    op.execute(user.update().where(user.c.email_verified_at.is_(None))
               .values(email_verified_at=user.c.created_at))

    op.create_table(
        'booking_reminder',
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('booking_id'),
    )


def downgrade():
    op.drop_table('booking_reminder')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('reminders')
        batch_op.drop_column('language')
