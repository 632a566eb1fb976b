"""Admins keep the plans: create, change and retire them in the web UI. The form checks the
shape, the service the rules, and the messages stand beside their fields; every change is a
`plan.changed` event."""
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking import events
from coworking.bookings.service import book
from coworking.errors import Forbidden, InvalidInput
from coworking.extensions import db
from coworking.memberships import admin
from coworking.memberships.models import Plan, PlanKind
from coworking.memberships.service import plans_on_sale
from tests.factories import csrf_token, give_membership, make_plan, resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


@pytest.fixture
def admin_user(frozen, make_user, login):
    user = make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    return user


@pytest.fixture
def recorded():
    """The plan.changed events recorded during the test."""
    seen = []
    events.subscribe(admin.PlanChanged, seen.append)
    yield seen
    events.unsubscribe(admin.PlanChanged, seen.append)


VALID = {"name": "Wochenkarte", "kind": "multi_pass", "price_cents": "45,50",
         "vat_basis_points": "19", "credits": "5", "validity_days": "30",
         "meeting_room_hours": "0", "all_spaces": "y"}


def post_form(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def plan_named(name):
    db.session.expire_all()
    return db.session.scalar(select(Plan).where(Plan.name == name))


def test_an_admin_creates_a_plan_that_is_then_on_sale(client, admin_user, space, recorded):
    response = post_form(client, "/admin/plans/new", VALID)
    assert response.status_code == 302 and response.location == "/admin/plans"
    plan = plan_named("Wochenkarte")
    assert (plan.kind, plan.price_cents, plan.vat_basis_points, plan.credits,
            plan.validity_days, plan.all_spaces) == (PlanKind.MULTI_PASS, 4550, 1900, 5, 30, True)
    assert plan in plans_on_sale()
    html = client.get("/admin/plans").get_data(as_text=True)
    assert "Der Tarif „Wochenkarte“ wird jetzt angeboten." in html and "45,50\xa0€" in html
    (event,) = recorded
    assert event.name == "plan.changed"
    assert event.payload()["action"] == "created" and event.payload()["by"] == admin_user.id
    assert event.payload()["changes"]["price_cents"] == [None, 4550]


@pytest.mark.parametrize("change,field,message", [
    ({"price_cents": "-5,00"}, "price_cents", "Der Preis muss 0 €"),
    ({"price_cents": "15 Euro"}, "price_cents", "Bitte gib eine Zahl wie 15,00 ein."),
    ({"vat_basis_points": "101"}, "vat_basis_points", "zwischen 0 und 100 Prozent"),
    ({"vat_basis_points": "-1"}, "vat_basis_points", "zwischen 0 und 100 Prozent"),
    ({"credits": ""}, "credits", "mindestens einen Tag Guthaben"),
    ({"credits": "0"}, "credits", "mindestens einen Tag Guthaben"),
    ({"credits": "zehn"}, "credits", None),
    ({"all_spaces": ""}, "space_ids", "Wähl die Standorte"),
    ({"all_spaces": "", "space_ids": "999999"}, "space_ids", None),
    ({"kind": "lifetime"}, "kind", None),
    ({"name": ""}, "name", None),
    ({"validity_days": "0"}, "validity_days", None),
])
def test_broken_rules_and_bad_shapes_are_shown_beside_their_field(client, admin_user, space,
                                                                  change, field, message,
                                                                  recorded):
    response = post_form(client, "/admin/plans/new", {**VALID, **change})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    if message:
        assert message in html.split(f'id="{field}-error"')[1].split("</p>")[0]
    assert plan_named("Wochenkarte") is None and recorded == []


def test_a_free_trial_price_of_zero_is_fine(client, admin_user, space):
    response = post_form(client, "/admin/plans/new", {**VALID, "price_cents": "0",
                                                      "once_per_member": "y"})
    assert response.status_code == 302
    plan = plan_named("Wochenkarte")
    assert plan.is_free and plan.once_per_member


def test_editing_changes_the_plan_but_not_its_kind_and_records_what_changed(
        client, admin_user, space, recorded):
    plan = make_plan("Tagespass", kind="day_pass", price_cents=1500, all_spaces=True)
    path = f"/admin/plans/{plan.id}/edit"
    html = client.get(path).get_data(as_text=True)
    assert 'value="15,00"' in html and 'value="19,00"' in html and 'name="kind"' not in html
    response = post_form(client, path, {"name": "Tagespass", "kind": "monthly",
                                        "price_cents": "17", "vat_basis_points": "19",
                                        "credits": "1", "validity_days": "1",
                                        "space_ids": str(space.id)})
    assert response.status_code == 302
    plan = plan_named("Tagespass")
    assert plan.kind == PlanKind.DAY_PASS and plan.price_cents == 1700
    assert [s.slug for s in plan.spaces] == [space.slug] and not plan.all_spaces
    (event,) = recorded
    assert event.payload()["action"] == "updated"
    assert event.payload()["changes"] == {"price_cents": [1500, 1700],
                                          "all_spaces": [True, False],
                                          "spaces": [[], [space.slug]]}


def test_retiring_stops_sales_but_memberships_run_on(client, admin_user, space, make_user,
                                                     recorded):
    plan = make_plan("10er-Karte", spaces=[space])
    holder = make_user(covered=False)
    give_membership(holder, plan)
    path = f"/admin/plans/{plan.id}/retire"
    response = post_form(client, path, {})
    assert response.status_code == 302
    assert plan_named("10er-Karte").retired_at is not None
    assert plan_named("10er-Karte") not in plans_on_sale()
    post_form(client, path, {})  # twice changes nothing
    assert [e.payload()["action"] for e in recorded] == ["retired"]
    booking = book(holder, resources_of(space)[0].id,
                   datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
                   datetime.fromisoformat("2027-03-02T11:00:00+01:00"))
    assert booking.status == "confirmed" and booking.membership_id is not None
    html = client.get("/admin/plans").get_data(as_text=True)
    assert "seit 01.03.2027 nicht mehr im Verkauf" in html


def test_unknown_plans_are_404(client, admin_user):
    assert client.get("/admin/plans/424242/edit").status_code == 404
    assert post_form(client, "/admin/plans/424242/retire", {}).status_code == 404


def test_only_admins_manage_plans(client, make_user, login, space):
    plan = make_plan(spaces=[space])
    make_user(email="host@example.org", role="host", space=space)
    login("host@example.org")
    assert client.get("/admin/plans").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/admin/plans/new", data={**VALID, "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/plans/{plan.id}/retire",
                       data={"csrf_token": token}).status_code == 403
    assert plan_named("Wochenkarte") is None
    with pytest.raises(Forbidden):
        admin.retire_plan(make_user(role="host", space=space), plan.id)
    assert plan_named(plan.name).retired_at is None
    assert "/admin/plans" not in client.get("/").get_data(as_text=True)


def test_the_service_checks_the_rules_whoever_calls_it(make_user, space):
    actor = make_user(role="admin")
    draft = admin.PlanDraft(name="  ", kind="monthly", price_cents=-1, vat_basis_points=10001,
                            days_per_month=0, meeting_room_hours=-1)
    with pytest.raises(InvalidInput) as refused:
        admin.create_plan(actor, draft)
    assert set(refused.value.errors) == {"name", "price_cents", "vat_basis_points",
                                         "days_per_month", "meeting_room_hours", "space_ids"}
    draft = admin.PlanDraft(name="Monat", kind="monthly", price_cents=9900,
                            vat_basis_points=1900, credits=5, space_ids=[space.id])
    plan = admin.create_plan(actor, draft)
    assert plan.credits is None  # credits belong to passes only
    with pytest.raises(InvalidInput):
        admin.create_plan(actor, admin.PlanDraft(name="X", kind="gift", price_cents=0,
                                                 vat_basis_points=0, all_spaces=True))


def test_admins_find_the_plan_editor_in_the_navigation(client, admin_user):
    assert 'href="/admin/plans">Tarife verwalten</a>' in client.get("/").get_data(as_text=True)


def test_every_plan_change_is_in_the_audit_log(client, admin_user):
    from coworking import audit

    post_form(client, "/admin/plans/new", VALID)
    (entry,) = audit.recent()
    assert (entry.actor_id, entry.action, entry.target_type) == (admin_user.id, "plan.created",
                                                                  "plan")
    assert entry.target_id == plan_named("Wochenkarte").id
    assert entry.after["price_cents"] == 4550 and entry.before["price_cents"] is None
