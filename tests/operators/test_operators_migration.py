"""Upgrading a database that already has spaces and plans gives every space an operator and
every plan a seller, so nothing is left without one."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from coworking.extensions import db
from tests.factories import make_plan


def test_existing_spaces_get_their_towns_operator_and_plans_a_seller(app, make_space):
    first, _second = make_space(slug="moelln"), make_space(slug="ratzeburg")
    single = make_plan("10er-Karte Mölln", spaces=[first]).id
    network = make_plan("Netzwerk", all_spaces=True).id
    db.session.remove()
    downgrade(revision="0017")
    with db.engine.begin() as conn:  # a second space in Mölln's town
        conn.execute(text(
            "INSERT INTO space (slug, name, town_id, address, timezone, slot_minutes, "
            "horizon_days, min_notice_minutes, max_booking_minutes, cancel_deadline_minutes, "
            "no_show_grace_minutes, public_holidays_closed) SELECT 'moelln-2', 'Zweiter', "
            "town_id, address, timezone, slot_minutes, horizon_days, min_notice_minutes, "
            "max_booking_minutes, cancel_deadline_minutes, no_show_grace_minutes, "
            "public_holidays_closed FROM space WHERE slug = 'moelln'"))
    upgrade()
    with db.engine.connect() as conn:
        operators = dict(conn.execute(text(
            "SELECT space.slug, operator.slug FROM space JOIN operator "
            "ON operator.id = space.operator_id")).all())
        sellers = dict(conn.execute(text(
            "SELECT plan.id, operator.slug FROM plan JOIN operator "
            "ON operator.id = plan.seller_id")).all())
        portal = conn.execute(text(
            "SELECT slug, legal_name FROM operator WHERE runs_portal")).all()
        resources = conn.scalar(text("SELECT count(*) FROM resource"))
    assert operators == {"moelln": "moelln", "moelln-2": "moelln", "ratzeburg": "ratzeburg"}
    assert sellers == {single: "moelln", network: "programmbuero"}
    # Nothing is invented: the operators' invoice data is left for an admin to fill in.
    assert portal == [("programmbuero", "")]
    assert resources == 2 * 4  # the rebuilt tables took nothing along
