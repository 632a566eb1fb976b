"""`seed-demo` and the operators: one per pilot town and the programme office. Production
invents nothing (they stay incomplete and sell nothing online); development fills invented
sample data, marked as such, so a newcomer can buy at once. Admins' edits stay."""
import pytest
from sqlalchemy import select

from coworking import clock
from coworking.extensions import db
from coworking.memberships.models import Plan
from coworking.operators.models import Operator
from coworking.operators.samples import SAMPLES
from tests.factories import csrf_token

PILOT_SLUGS = {"wittenberge", "diessen-am-ammersee", "dippoldiswalde", "moelln",
               "oestrich-winkel"}


@pytest.fixture(autouse=True)
def no_demo_password_from_outside(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def operators():
    db.session.expire_all()
    return {operator.slug: operator for operator in db.session.scalars(select(Operator))}


def seed(app, runner, environment):
    app.config["ENV_NAME"] = environment
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_production_seeds_an_operator_per_town_and_the_office_and_invents_nothing(app, runner):
    output = seed(app, runner, "production")
    found = operators()
    assert set(found) == PILOT_SLUGS | {"programmbuero"}
    assert [slug for slug, o in found.items() if o.runs_portal] == ["programmbuero"]
    for slug in PILOT_SLUGS:
        operator = found[slug]
        assert (operator.legal_name, operator.iban, operator.invoice_prefix) == ("", "", None)
        assert not operator.is_complete and not operator.sample_data
        assert "legal_name" in operator.missing_fields()
    assert found["moelln"].city == "Mölln"
    assert "6 operator(s) sell nothing online" in output and "/admin/operators" in output
    assert "sample" not in output


def test_development_fills_invented_sample_data_that_passes_every_check(app, runner,
                                                                        make_user):
    from coworking.operators.admin import update_operator

    output = seed(app, runner, "development")
    assert "filled 6 operator(s) with invented sample invoice data" in output
    found = operators()
    modes = set()
    for slug, operator in found.items():
        assert operator.is_complete and operator.sample_data, slug
        assert "Beispieldaten" in operator.legal_name
        modes.add(operator.tax_mode)
    assert modes == {"standard", "small_business", "exempt_public"}
    # Saving the samples through the admins' rules changes nothing: every number is valid.
    admin = make_user(role="admin")
    for slug, sample in SAMPLES.items():
        update_operator(admin, slug, dict(sample))
    assert seed(app, runner, "development").count("filled") == 0  # nothing filled twice


def test_development_keeps_an_operator_an_admin_filled_in(app, runner):
    seed(app, runner, "production")
    moelln = operators()["moelln"]
    moelln.legal_name, moelln.updated_at = "Stadt Mölln", clock.utcnow()
    db.session.commit()
    output = seed(app, runner, "development")
    assert "filled 5 operator(s)" in output
    found = operators()
    assert found["moelln"].legal_name == "Stadt Mölln" and not found["moelln"].sample_data
    assert found["wittenberge"].sample_data


def test_pages_say_beispieldaten_where_data_are_invented(app, runner, client, make_user,
                                                         login):
    seed(app, runner, "development")
    page = client.get("/impressum/moelln").get_data(as_text=True)
    assert "Beispieldaten" in page and "Wirtschaftsförderung Mölln GmbH" in page
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    overview = client.get("/admin/operators").get_data(as_text=True)
    assert overview.count('class="badge sample">Beispieldaten') == 6
    edit = client.get("/admin/operators/moelln").get_data(as_text=True)
    assert "Das sind erfundene Beispieldaten" in edit


def test_an_older_database_retires_the_passes_for_all_spaces_once(app, runner, client):
    """A database seeded before each town sold its own: "Tagespass" and "10er-Karte" for all
    spaces (sold by the programme office) leave the shop when the towns' own arrive."""
    seed(app, runner, "production")
    office = operators()["programmbuero"]
    for name in ("Tagespass Mölln", "10er-Karte Mölln"):
        db.session.delete(db.session.scalar(select(Plan).where(Plan.name == name)))
    old = [Plan(name=name, kind=kind, price_cents=price, currency="eur",
                vat_basis_points=1900, all_spaces=True, credits=credits, validity_days=days,
                seller=office)
           for name, kind, price, credits, days in (
               ("Tagespass", "day_pass", 1500, 1, 1), ("10er-Karte", "multi_pass", 12000,
                                                        10, 180))]
    db.session.add_all(old)
    db.session.commit()
    output = seed(app, runner, "production")
    assert "seeded 2 new plan(s)" in output and "retired 2 plan(s)" in output
    db.session.expire_all()
    assert all(plan.retired_at is not None and plan.seller.slug == "programmbuero"
               for plan in old)
    names = [p["name"] for p in client.get("/api/v1/plans").json]
    assert "Tagespass Mölln" in names and "Tagespass" not in names
    again = seed(app, runner, "production")
    assert "retired" not in again


def test_the_admin_edit_form_of_a_seeded_operator_takes_real_data(app, runner, client,
                                                                  make_user, login):
    seed(app, runner, "development")
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    form = {"legal_name": "Stadt Mölln", "street": "Am Markt 12", "postcode": "23879",
            "city": "Mölln", "country": "DE", "representative": "Bürgermeister Max Muster",
            "tax_number": "21/815/08150", "vat_id": "DE 811 115 368", "tax_mode": "exempt_public",
            "invoice_prefix": "moelln", "iban": "de02 1203 0000 0000 2020 51",
            "bic": "BYLADEM1001", "bank_name": "Kreissparkasse", "email": "kasse@moelln.example",
            "phone": "+49 4542 803-0", "account_1900": "8400", "account_700": "8300",
            "account_0": "8200"}  # "sample_data" left unticked
    response = client.post("/admin/operators/moelln", data={
        **form, "csrf_token": csrf_token(client, "/admin/operators/moelln")})
    assert response.status_code == 302
    moelln = operators()["moelln"]
    assert (moelln.vat_id, moelln.iban, moelln.invoice_prefix) == (
        "DE811115368", "DE02120300000000202051", "MOELLN")
    assert not moelln.sample_data and moelln.is_complete
