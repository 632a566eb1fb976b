"""Plans bought to pay on site cover at once, one open purchase per member.

Purchases still waiting for a host's confirmation become active now (a pass gets its credits,
its validity counted from today), as new ones are from the start. Where a member bought more
than one that way (the old dead end: the first did not cover, so they bought again), the
newest stays open and the older ones lapse unpaid; then a partial unique index keeps it to one.

Revision ID: 20261207_1600
Revises: 20261207_1500
Create Date: 2026-12-07

"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '20261207_1600'
down_revision = '20261207_1500'
branch_labels = None
depends_on = None

OPEN = ("method = 'on_site' AND status = 'due' AND membership_id IS NOT NULL "
        "AND booking_id IS NULL")


def upgrade():
    _open_waiting_purchases()
    op.create_index('uq_payment_open_on_site_purchase', 'payment', ['user_id'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def _open_waiting_purchases():
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    waiting = bind.execute(sa.text(
        "SELECT payment.id, payment.user_id, membership.id, plan.kind, plan.credits, "
        "plan.validity_days FROM payment "
        "JOIN membership ON membership.id = payment.membership_id "
        "JOIN plan ON plan.id = membership.plan_id "
        f"WHERE payment.{OPEN.replace(' AND ', ' AND payment.')} "
        "AND membership.status = 'pending' "
        "ORDER BY payment.user_id, payment.created_at DESC, payment.id DESC")).all()
    membership = sa.table('membership', sa.column('id'), sa.column('status'),
                          sa.column('activated_at', sa.DateTime(timezone=True)),
                          sa.column('current_period_start', sa.DateTime(timezone=True)),
                          sa.column('current_period_end', sa.DateTime(timezone=True)),
                          sa.column('ended_at', sa.DateTime(timezone=True)))
    payment = sa.table('payment', sa.column('id'), sa.column('status'))
    credit = sa.table('credit_entry', sa.column('membership_id'), sa.column('delta'),
                      sa.column('reason'), sa.column('created_at', sa.DateTime(timezone=True)))
    kept = set()
    for payment_id, user_id, membership_id, kind, credits, validity_days in waiting:
        if user_id in kept:
            bind.execute(payment.update().where(payment.c.id == payment_id)
                         .values(status='expired'))
            bind.execute(membership.update().where(membership.c.id == membership_id)
                         .values(status='expired', ended_at=now))
            continue
        kept.add(user_id)
        bind.execute(membership.update().where(membership.c.id == membership_id).values(
            status='active', activated_at=now, current_period_start=now,
            current_period_end=now + timedelta(days=validity_days) if validity_days else None))
        if kind in ('day_pass', 'multi_pass'):
            bind.execute(credit.insert().values(membership_id=membership_id,
                                                delta=credits or 1, reason='purchase',
                                                created_at=now))
    # Open purchases of members already active (none should be, but a second one of any
    # state would block the index): the older lapse.
    for user_id, in bind.execute(sa.text(
            f"SELECT user_id FROM payment WHERE {OPEN} GROUP BY user_id "
            "HAVING COUNT(*) > 1")).all():
        ids = [row[0] for row in bind.execute(sa.text(
            f"SELECT id FROM payment WHERE {OPEN} AND user_id = :u "
            "ORDER BY created_at DESC, id DESC"), {"u": user_id})]
        for payment_id in ids[1:]:
            bind.execute(payment.update().where(payment.c.id == payment_id)
                         .values(status='expired'))


def downgrade():
    op.drop_index('uq_payment_open_on_site_purchase', table_name='payment')
