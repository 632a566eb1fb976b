"""Upgrading a database with purchases still waiting for a host: they cover from now on, and
a member who bought twice (the old dead end) keeps the newest one open."""
from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from coworking import clock
from coworking.database import use_case
from coworking.extensions import db
from coworking.memberships.models import Membership, Payment
from tests.factories import make_plan


def _waiting_purchase(user_id, plan_id, minutes_ago):
    """A pending membership with its payment due on site, as buying made one before."""
    @use_case
    def make():
        at = clock.utcnow() - timedelta(minutes=minutes_ago)
        membership = Membership(user_id=user_id, plan_id=plan_id, status="pending",
                                created_at=at)
        db.session.add(membership)
        db.session.flush()
        db.session.add(Payment(user_id=user_id, plan_id=plan_id, membership_id=membership.id,
                               method="on_site", status="due", amount_cents=9900,
                               vat_basis_points=1900, created_at=at))
        return membership.id

    return make()


def test_waiting_purchases_cover_and_only_the_newest_stays_open(app, make_space, make_user):
    space = make_space()
    card = make_plan("10er-Karte", spaces=[space]).id
    monthly = make_plan("Monat", kind="monthly", price_cents=9900, spaces=[space]).id
    twice, once = make_user(covered=False).id, make_user(covered=False).id
    db.session.remove()
    downgrade(revision="20261207_1500")
    older = _waiting_purchase(twice, monthly, minutes_ago=60)
    newer = _waiting_purchase(twice, card, minutes_ago=5)
    single = _waiting_purchase(once, monthly, minutes_ago=30)
    db.session.remove()
    upgrade()
    with db.engine.connect() as conn:
        states = dict(conn.execute(text("SELECT id, status FROM membership WHERE id IN "
                                        f"({older}, {newer}, {single})")).all())
        payments = dict(conn.execute(text(
            f"SELECT membership_id, status FROM payment WHERE membership_id IN "
            f"({older}, {newer}, {single})")).all())
        credits = conn.execute(text(
            f"SELECT membership_id, delta, reason FROM credit_entry "
            f"WHERE membership_id IN ({older}, {newer}, {single})")).all()
        ends = dict(conn.execute(text(
            f"SELECT id, current_period_end IS NOT NULL FROM membership "
            f"WHERE id IN ({newer}, {single})")).all())
    assert states == {older: "expired", newer: "active", single: "active"}
    assert payments == {older: "expired", newer: "due", single: "due"}
    assert credits == [(newer, 10, "purchase")]
    assert ends == {newer: True, single: False}  # a card runs 180 days, a monthly plan on
