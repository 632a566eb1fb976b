"""What each account's address looks like (its skeleton), so that a new address that can
hardly be told apart from a taken one is refused.

Revision ID: 20261207_2300
Revises: 20261207_2200
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '20261207_2300'
down_revision = '20261207_2200'
branch_labels = None
depends_on = None


def upgrade():
    # The rule itself, not a copy of it: the skeletons written here must equal those the
    # application writes from now on.
    from coworking.accounts.lookalikes import skeleton

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_skeleton', sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_email_skeleton'), ['email_skeleton'],
                              unique=False)
    connection = op.get_bind()
    user = sa.table('user_account', sa.column('id', sa.Integer()),
                    sa.column('email', sa.String()), sa.column('email_skeleton', sa.String()))
    rows = connection.execute(sa.select(user.c.id, user.c.email)).all()
    for user_id, email in rows:
        connection.execute(user.update().where(user.c.id == user_id)
                           .values(email_skeleton=skeleton(email)))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_email_skeleton'))
        batch_op.drop_column('email_skeleton')
