"""`seed-demo`: the five pilot spaces, idempotently; demo members only where they cannot be
abused."""
import pytest
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.extensions import db
from coworking.spaces.models import Resource, Space


@pytest.fixture(autouse=True)
def no_demo_password_from_outside(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def counts():
    return (db.session.scalar(select(func.count()).select_from(Space)),
            db.session.scalar(select(func.count()).select_from(Resource)),
            db.session.scalar(select(func.count()).select_from(User)))


def test_seed_demo_creates_the_five_spaces_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == after_first
    assert after_first[0] == 5
    slugs = set(db.session.scalars(select(Space.slug)))
    assert slugs == {"wittenberge", "diessen-am-ammersee", "dippoldiswalde", "moelln", "oestrich-winkel"}


def test_seeded_spaces_meet_the_promised_minimums(runner):
    runner.invoke(args=["seed-demo"])
    for space in db.session.scalars(select(Space)):
        desks = [r for r in space.resources if r.kind == "hot_desk" and r.active]
        assert len(desks) >= 6
        assert any(r.kind == "meeting_room" for r in space.resources)
        weekdays = {h.weekday for h in space.opening_hours
                    if h.opens.hour <= 8 and h.closes.hour >= 18}
        assert weekdays >= {0, 1, 2, 3, 4}
        assert space.horizon_days >= 28
        assert (space.max_room_bookings, space.max_desk_days) == (3, 10)
    states = {s.slug: s.town.state for s in db.session.scalars(select(Space))}
    assert states == {"wittenberge": "BB", "diessen-am-ammersee": "BY", "dippoldiswalde": "SN",
                      "moelln": "SH", "oestrich-winkel": "HE"}


def test_seed_keeps_an_admins_edits_and_only_seeds_when_asked_if_empty(runner):
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(select(Space).where(Space.slug == "moelln"))
    space.name = "Kulturwerk Mölln"
    db.session.commit()
    assert "not seeding" in runner.invoke(args=["seed-demo", "--if-empty"]).output
    runner.invoke(args=["seed-demo"])
    db.session.expire_all()
    assert db.session.scalar(select(Space.name).where(Space.slug == "moelln")) == "Kulturwerk Mölln"


def demo_members():
    return set(db.session.scalars(select(User.email)))


def signs_in(client, email, password):
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
    return response.status_code == 201


def test_development_seeds_demo_members_with_the_published_password(app, runner, client):
    app.config["ENV_NAME"] = "development"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert demo_members() == {"anna@example.org", "ben@example.org", "cem@example.org"}
    assert signs_in(client, "anna@example.org", "coworking-demo")


def test_production_seeds_spaces_but_no_demo_members_unless_asked(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert counts()[0] == 5 and counts()[1] > 0
    assert demo_members() == set()
    assert "--with-demo-members" in result.output


def test_production_demo_members_get_a_random_password_shown_once(app, runner, client):
    app.config["ENV_NAME"] = "production"
    first = runner.invoke(args=["seed-demo", "--with-demo-members"])
    assert first.exit_code == 0, first.output
    password = first.output.split("their password: ")[1].strip()
    assert len(password) >= 12 and password != "coworking-demo"
    assert signs_in(client, "ben@example.org", password)
    assert not signs_in(client, "cem@example.org", "coworking-demo")
    again = runner.invoke(args=["seed-demo", "--with-demo-members"])
    assert again.exit_code == 0 and "password" not in again.output


@pytest.mark.parametrize("args,env", [
    (["--demo-password", "coworking-demo"], {}),
    ([], {"DEMO_PASSWORD": "coworking-demo"}),
    (["--demo-password", "short"], {}),
])
def test_production_refuses_the_published_or_a_short_demo_password(app, runner, args, env):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo", "--with-demo-members", *args], env=env)
    assert result.exit_code != 0
    assert "--demo-password" in result.output and "DEMO_PASSWORD" in result.output
    assert counts() == (0, 0, 0)


def test_production_demo_members_with_a_chosen_password_and_if_empty(app, runner, client):
    app.config["ENV_NAME"] = "production"
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    skipped = runner.invoke(args=["seed-demo", "--if-empty", "--with-demo-members"])
    assert "not seeding" in skipped.output and demo_members() == set()
    result = runner.invoke(args=["seed-demo", "--with-demo-members"],
                           env={"DEMO_PASSWORD": "a chosen secret"})
    assert result.exit_code == 0, result.output
    assert "a chosen secret" not in result.output
    assert signs_in(client, "anna@example.org", "a chosen secret")


def seeded_plans():
    from coworking.memberships.models import Plan

    db.session.expire_all()
    return {plan.name: plan for plan in db.session.scalars(select(Plan))}


TOWNS = {"wittenberge": "Wittenberge", "diessen-am-ammersee": "Dießen am Ammersee",
         "dippoldiswalde": "Dippoldiswalde", "moelln": "Mölln",
         "oestrich-winkel": "Oestrich-Winkel"}


def test_seed_demo_offers_the_designs_plans_once(runner):
    from coworking.memberships.models import PlanKind

    assert "seeded 14 new plan(s)" in runner.invoke(args=["seed-demo"]).output
    assert "seeded 0 new plan(s); 14 already there" in runner.invoke(args=["seed-demo"]).output
    plans = seeded_plans()
    assert len(plans) == 14
    for slug, town in TOWNS.items():
        day, card = plans[f"Tagespass {town}"], plans[f"10er-Karte {town}"]
        assert (day.kind, day.price_cents, day.credits, day.validity_days) == (
            PlanKind.DAY_PASS, 1500, 1, 1)
        assert (card.kind, card.price_cents, card.credits, card.validity_days) == (
            PlanKind.MULTI_PASS, 12000, 10, 180)
        # Each town sells its own passes, for its own space.
        for plan in (day, card):
            assert [s.slug for s in plan.spaces] == [slug] and not plan.all_spaces
            assert plan.seller.slug == slug == plan.spaces[0].operator.slug
    monthly = plans["Monatstarif Wittenberge"]
    assert (monthly.kind, monthly.price_cents, monthly.days_per_month) == (
        PlanKind.MONTHLY, 9900, 12)
    assert [s.slug for s in monthly.spaces] == ["wittenberge"] and not monthly.all_spaces
    assert monthly.seller.slug == "wittenberge"
    network = plans["Netzwerk-Tarif"]
    assert network.all_spaces and network.days_per_month is None
    assert (network.price_cents, network.meeting_room_hours) == (14900, 4)
    fixed = plans["Fester Arbeitsplatz Wittenberge"]
    assert (fixed.kind, fixed.price_cents) == (PlanKind.FIXED_DESK, 24900)
    trial = plans["Schnuppertag"]
    assert trial.is_free and trial.once_per_member and trial.credits == 1
    # What covers every town is sold by the programme office, which runs the portal.
    assert network.seller.slug == trial.seller.slug == "programmbuero"
    assert network.seller.runs_portal
    assert {plan.vat_basis_points for plan in plans.values()} == {1900}


def test_seed_keeps_an_admins_price_and_a_retired_plan_retired(runner):
    from coworking import clock

    runner.invoke(args=["seed-demo"])
    plans = seeded_plans()
    plans["Tagespass Mölln"].price_cents = 1800
    plans["10er-Karte Mölln"].retired_at = clock.utcnow()
    db.session.commit()
    runner.invoke(args=["seed-demo"])
    plans = seeded_plans()
    assert len(plans) == 14 and plans["Tagespass Mölln"].price_cents == 1800
    assert plans["10er-Karte Mölln"].retired_at is not None


def test_wittenberge_gets_one_fixed_desk_which_the_fixed_desk_plan_hands_out(runner, make_user):
    from coworking.memberships.service import buy, confirm_payment_on_site
    from coworking.spaces.models import ResourceKind

    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])
    fixed = db.session.scalars(select(Resource).where(
        Resource.kind == ResourceKind.FIXED_DESK)).all()
    assert [(desk.space.slug, desk.name) for desk in fixed] == [("wittenberge", "Fester Platz 1")]
    member = make_user(covered=False)
    membership, payment = buy(member, seeded_plans()["Fester Arbeitsplatz Wittenberge"].id,
                              online=False)
    assert membership.fixed_resource_id == fixed[0].id and payment.amount_cents == 24900
    assert confirm_payment_on_site(make_user(role="admin"), membership.id).status == "active"


def test_the_seeded_plans_are_on_the_plans_page_in_german(runner, client):
    runner.invoke(args=["seed-demo"])
    html = client.get("/plans").get_data(as_text=True)
    for name, price in (("Tagespass Mölln", "15,00\xa0€"), ("10er-Karte Dippoldiswalde",
                                                               "120,00\xa0€"),
                        ("Monatstarif Wittenberge", "99,00\xa0€"),
                        ("Netzwerk-Tarif", "149,00\xa0€"),
                        ("Fester Arbeitsplatz Wittenberge", "249,00\xa0€")):
        assert name in html and price in html
    assert "Schnuppertag" in html and "kostenlos" in html
    plans = client.get("/api/v1/plans").json
    network = next(p for p in plans if p["name"] == "Netzwerk-Tarif")
    assert sorted(network["spaces"]) == sorted(["wittenberge", "diessen-am-ammersee",
                                                "dippoldiswalde", "moelln", "oestrich-winkel"])
