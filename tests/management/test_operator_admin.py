"""The admins' operator pages: the readiness list (invoice data, legal pages, the site's
settings), adding and editing an operator (checked, audit-logged, German messages beside the
fields), choosing who runs a space and who sells a plan."""
import re

import pytest
from sqlalchemy import select

from coworking import events
from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.memberships import admin as plan_admin
from coworking.memberships.models import Plan
from coworking.operators.models import Operator
from tests.factories import csrf_token, make_plan, programme_office

FORM = {"legal_name": "Stadt Mölln", "street": "Am Markt 12", "postcode": "23879",
        "city": "Mölln", "country": "DE", "representative": "Bürgermeister Max Muster",
        "tax_number": "21/815/08150", "vat_id": "", "tax_mode": "exempt_public",
        "invoice_prefix": "MOELLN", "iban": "DE02120300000000202051", "bic": "",
        "bank_name": "", "email": "kasse@moelln.example.org", "phone": "+49 4542 803-0",
        "account_1900": "8400", "account_700": "8300", "account_0": "8200"}


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


@pytest.fixture
def moelln(make_operator, make_space, frozen):
    operator = make_operator("moelln", complete=False, city="Mölln")
    return operator, make_space(slug="moelln", operator=operator)


@pytest.fixture
def admin(make_user, login):
    user = make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    return user


def operator(slug):
    db.session.expire_all()
    return db.session.scalar(select(Operator).where(Operator.slug == slug))


def readiness(client, key):
    html = client.get("/admin/operators").get_data(as_text=True)
    start = html.index(f'data-readiness="{key}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.index("</ul>", start)]))


def test_the_readiness_list_names_what_is_missing_per_operator(client, moelln, admin):
    shown = readiness(client, "moelln")
    assert "Rechnungsangaben vollständig : nein" in shown
    assert ("Es fehlen: Name (wie im Register), Straße und Hausnummer, Postleitzahl, "
            "Vertreten durch, Kürzel der Rechnungsnummern, IBAN, E-Mail-Adresse, Telefon, "
            "Steuernummer oder USt-IdNr.. Bis dahin verkauft er nichts online.") in shown
    assert "Impressum ausgefüllt : nein" in shown and "Noch die Vorlage" in shown
    assert "Datenschutzerklärung ausgefüllt : nein" in shown
    assert f"Standorte: {moelln[1].name} Verkauft: nichts" in text_of(
        client.get("/admin/operators"))


def test_a_complete_operator_with_filled_pages_is_ready(client, moelln, admin):
    assert post(client, "/admin/operators/moelln", FORM).status_code == 302
    for slug in ("impressum", "datenschutz"):
        assert post(client, f"/admin/site/moelln/{slug}/de",
                    {"title": "Seite", "body": "Stadt Mölln, Am Markt 12"}).status_code == 302
    shown = readiness(client, "moelln")
    assert "Rechnungsangaben vollständig : ja" in shown
    assert "Impressum ausgefüllt : ja" in shown
    assert "Datenschutzerklärung ausgefüllt : ja" in shown


def test_the_site_settings_are_on_the_readiness_list(client, app, admin):
    shown = readiness(client, "site")
    assert "Stripe-Webhook-Secret gesetzt : ja" in shown and "zahlen vor Ort" in shown
    assert "Mailserver eingetragen : nein" in shown
    assert "RESEARCH_KEY gesetzt : nein" in shown
    app.config.update(STRIPE_SECRET_KEY="sk_test_1", STRIPE_WEBHOOK_SECRET=None,
                      MAIL_SERVER="mail.example.org", RESEARCH_KEY="a real secret")
    shown = readiness(client, "site")
    assert "Stripe-Webhook-Secret gesetzt : nein" in shown
    assert "Keine Zahlung würde je bestätigt" in shown
    assert "Mailserver eingetragen : ja" in shown and "RESEARCH_KEY gesetzt : ja" in shown
    app.config.update(STRIPE_WEBHOOK_SECRET="whsec_1")
    assert "Stripe-Webhook-Secret gesetzt : ja" in readiness(client, "site")


def test_an_admin_edits_an_operator_and_the_audit_log_keeps_the_change(client, moelln, admin):
    editor = client.get("/admin/operators/moelln")
    assert editor.status_code == 200
    assert "Bis diese Angaben ausgefüllt sind, verkauft der Betreiber nichts online" in \
        text_of(editor)
    response = post(client, "/admin/operators/moelln", FORM)
    assert response.status_code == 302
    assert response.location.endswith("/admin/operators#moelln")
    saved = operator("moelln")
    assert saved.is_complete and saved.tax_mode == "exempt_public"
    assert saved.revenue_accounts == {"1900": "8400", "700": "8300", "0": "8200"}
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "operator.updated")).one()
    assert entry.actor_id == admin.id and entry.before["iban"] == ""
    assert entry.after["iban"] == "DE02120300000000202051"
    assert "ausgestellte bleiben, wie sie sind" in text_of(client.get("/admin/operators"))


@pytest.mark.parametrize("change, field, message", [
    ({"iban": "DE02120300000000202052"}, "iban",
     "Die Prüfziffern der IBAN stimmen nicht: Bitte prüf sie auf Tippfehler."),
    ({"bic": "BYLADE"}, "bic", "Eine BIC hat 8 oder 11 Buchstaben und Ziffern"),
    ({"vat_id": "DE12345678"}, "vat_id", "Eine deutsche USt-IdNr. besteht aus DE und neun"),
    ({"vat_id": "FR"}, "vat_id", "Eine USt-IdNr. beginnt mit dem Länderkürzel"),
    ({"tax_number": "1/2/3"}, "tax_number", "Das ist keine deutsche Steuernummer."),
    ({"postcode": "238790"}, "postcode", "Eine deutsche Postleitzahl hat fünf Ziffern"),
    ({"invoice_prefix": "MÖ LLN"}, "invoice_prefix", "2 bis 10 Buchstaben oder Ziffern"),
    ({"tax_mode": "none"}, "tax_mode", "Wähl, wie der Betreiber Umsatzsteuer berechnet"),
    ({"email": "kasse"}, "email", "Bitte gib eine gültige E-Mail-Adresse ein."),
    ({"account_700": "83"}, "account_700", "Ein Konto hat 4 bis 8 Ziffern, etwa 8400."),
])
def test_a_bad_field_is_refused_in_german_beside_it_and_nothing_changes(
        client, moelln, admin, change, field, message):
    response = post(client, "/admin/operators/moelln", {**FORM, **change})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1), html[:3000]
    assert operator("moelln").legal_name == ""


def test_two_operators_never_share_an_invoice_prefix(client, moelln, admin, make_operator):
    make_operator("wittenberge", invoice_prefix="MOELLN")
    response = post(client, "/admin/operators/moelln", FORM)
    assert response.status_code == 422
    assert "Ein anderer Betreiber nutzt das Kürzel MOELLN schon" in text_of(response)


def test_an_admin_adds_an_operator(client, admin):
    form = {**FORM, "slug": "foerderverein-moelln", "legal_name": "Förderverein Mölln e. V.",
            "invoice_prefix": "FVM", "tax_mode": "small_business"}
    assert post(client, "/admin/operators/new", form).status_code == 302
    added = operator("foerderverein-moelln")
    assert added.is_complete and added.mode.value == "small_business"
    assert not added.runs_portal and not added.sample_data
    again = post(client, "/admin/operators/new", {**form, "invoice_prefix": "FVM2"})
    assert again.status_code == 422
    assert "Ein anderer Betreiber hat die Adresse „foerderverein-moelln“ schon." in \
        text_of(again)
    bad = post(client, "/admin/operators/new", {**form, "slug": "Förderverein"})
    assert bad.status_code == 422 and "Kleinbuchstaben, Ziffern und Bindestriche" in \
        text_of(bad)
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "operator.created")).one().after["slug"] == "foerderverein-moelln"


@pytest.mark.parametrize("role", ["member", "host", "researcher"])
def test_only_admins_reach_the_operator_pages(client, moelln, make_user, login, role):
    make_user(email="someone@example.org", role=role,
              space=moelln[1] if role == "host" else None)
    login("someone@example.org")
    for path in ("/admin/operators", "/admin/operators/new", "/admin/operators/moelln"):
        assert client.get(path).status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/admin/operators/moelln",
                       data={**FORM, "csrf_token": token}).status_code == 403
    assert operator("moelln").legal_name == ""


def test_an_unknown_operator_is_404(client, admin):
    assert client.get("/admin/operators/nowhere").status_code == 404


def test_an_admin_chooses_who_runs_a_space(client, moelln, admin, make_operator):
    _operator, space = moelln
    town = make_operator("stadt-moelln", legal_name="Stadt Mölln")
    plan = make_plan("10er-Karte Mölln", spaces=[space])
    page = client.get("/admin/spaces").get_data(as_text=True)
    assert f'<option value="{moelln[0].id}" selected>moelln</option>' in page
    response = post(client, f"/admin/spaces/{space.slug}/operator", {"operator_id": town.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert space.operator_id == town.id
    assert db.session.get(Plan, plan.id).seller.slug == "moelln"  # its seller stays
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "space.operator_changed")).one()
    assert (entry.before, entry.after) == ({"operator": "moelln"}, {"operator": "stadt-moelln"})
    footer = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert 'href="/impressum/stadt-moelln"' in footer
    refused = post(client, f"/admin/spaces/{space.slug}/operator", {"operator_id": 424242})
    assert refused.status_code == 302
    assert "Wähl den Betreiber aus der Liste." in text_of(client.get("/admin/spaces"))


def test_a_new_space_gets_the_operator_the_admin_chose(client, moelln, admin, make_operator):
    _operator, space = moelln
    town = make_operator("stadt-ratzeburg", legal_name="Stadt Ratzeburg")
    form = {"name": "Ratzeburg", "slug": "ratzeburg", "town_id": space.town_id,
            "address": "Markt 1, 23909 Ratzeburg", "timezone": "Europe/Berlin",
            "slot_minutes": "30", "operator_id": str(town.id)}
    assert post(client, "/admin/spaces/new", form).status_code == 302
    by_default = post(client, "/admin/spaces/new", {**form, "slug": "moelln-2",
                                                   "operator_id": "0"})
    assert by_default.status_code == 302
    db.session.expire_all()
    from coworking.spaces.models import Space

    operators = dict(db.session.execute(select(Space.slug, Space.operator_id)).all())
    assert operators["ratzeburg"] == town.id
    assert operators["moelln-2"] == moelln[0].id  # the town's operator


@pytest.fixture
def recorded():
    seen = []
    events.subscribe(plan_admin.PlanChanged, seen.append)
    yield seen
    events.unsubscribe(plan_admin.PlanChanged, seen.append)


def test_an_admin_chooses_the_seller_of_a_plan(client, moelln, admin, make_operator, recorded):
    _operator, space = moelln
    office = programme_office()
    office.legal_name = "Programmbüro"
    db.session.commit()
    plan_form = {"name": "Wochenkarte Mölln", "kind": "multi_pass", "price_cents": "45,00",
                 "vat_basis_points": "19", "credits": "5", "validity_days": "30",
                 "meeting_room_hours": "0", "space_ids": str(space.id), "seller_id": "0"}
    assert post(client, "/admin/plans/new", plan_form).status_code == 302
    plan = db.session.scalar(select(Plan).where(Plan.name == "Wochenkarte Mölln"))
    assert plan.seller.slug == "moelln"  # automatic: the operator of its one space
    path = f"/admin/plans/{plan.id}/edit"
    assert f'<option selected value="{plan.seller_id}">' in client.get(path).get_data(
        as_text=True)
    assert post(client, path, {**plan_form, "seller_id": str(office.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).seller.slug == "programmbuero"
    assert recorded[-1].payload()["changes"] == {"seller": ["moelln", "programmbuero"]}
    assert "Verkauft von Programmbüro" in text_of(client.get("/admin/plans"))
    refused = post(client, path, {**plan_form, "seller_id": "424242"})
    assert refused.status_code == 422
    assert "Wähl den Betreiber, der den Tarif verkauft." in text_of(refused)
