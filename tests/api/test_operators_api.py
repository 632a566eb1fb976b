"""The operators over the API: the public list, every field for admins, changes checked field
by field (422 naming the field, in German unless asked otherwise) and audit-logged; each
answer checked against the OpenAPI document."""
import pytest
from sqlalchemy import select

from coworking.accounts.service import issue_api_token
from coworking.audit import AuditEntry
from coworking.extensions import db
from tests.api.test_api_contract import assert_problem, check
from tests.factories import make_plan

PATH = "/api/v1/operators/{slug}"
VALID = {"legal_name": "Stadt Mölln", "address": {"street": "Am Markt 12", "postcode": "23879",
                                                  "city": "Mölln", "country": "DE"},
         "representative": "Bürgermeister Max Muster", "register": "",
         "tax_number": "21/815/08150", "vat_id": "DE811115368", "tax_mode": "exempt_public",
         "invoice_prefix": "MOELLN", "iban": "DE02120300000000202051", "bic": "BYLADEM1001",
         "bank_name": "Kreissparkasse", "email": "kasse@moelln.example.org",
         "phone": "+49 4542 803-0",
         "revenue_accounts": {"1900": "8400", "700": "8300", "0": "8200"}}


@pytest.fixture
def moelln(make_space, make_operator):
    operator = make_operator("moelln", complete=False, city="Mölln")
    make_space(slug="moelln", operator=operator)
    return operator


@pytest.fixture
def admin(make_user):
    return {"Authorization": f"Bearer {issue_api_token(make_user(role='admin'))}"}


def put(client, headers, slug, body, language=None):
    return client.put(PATH.format(slug=slug), json=body,
                      headers={**headers, **({"Accept-Language": language} if language else {})})


def test_everyone_reads_the_operators_and_the_spaces_they_run(client, moelln, make_operator):
    make_operator("programmbuero", runs_portal=True, legal_name="Programmbüro")
    response = client.get("/api/v1/operators")
    check(response, "/api/v1/operators", "get")
    shown = {o["slug"]: o for o in response.json}
    assert [o["slug"] for o in response.json][0] == "programmbuero"  # the portal's first
    assert shown["moelln"] == {
        "slug": "moelln", "legal_name": "", "address": {"street": "", "postcode": "",
                                                        "city": "Mölln", "country": "DE"},
        "email": "", "phone": "", "spaces": ["moelln"], "complete": False}
    assert shown["programmbuero"]["complete"] is True
    assert "iban" not in shown["programmbuero"]  # bank and tax data are for admins


def test_an_admin_reads_every_field_and_what_is_missing(client, moelln, admin):
    response = client.get(PATH.format(slug="moelln"), headers=admin)
    check(response, PATH, "get")
    body = response.json
    assert body["complete"] is False and body["spaces"] == ["moelln"]
    assert body["missing"] == ["legal_name", "street", "postcode", "representative",
                               "invoice_prefix", "iban", "email", "phone", "tax_number"]
    assert body["revenue_accounts"] == {"1900": "8400", "700": "8300", "0": "8200"}
    assert body["tax_mode"] == "standard" and body["sample_data"] is False


def test_an_admin_completes_an_operator_and_the_change_is_audit_logged(client, moelln, admin):
    body = {**VALID, "iban": "de02 1203 0000 0000 2020 51", "vat_id": "DE 811 115 368",
            "invoice_prefix": "moelln"}
    response = put(client, admin, "moelln", body)
    check(response, PATH, "put")
    assert response.status_code == 200
    shown = response.json
    assert shown["complete"] is True and shown["missing"] == []
    assert (shown["iban"], shown["vat_id"], shown["invoice_prefix"]) == (
        "DE02120300000000202051", "DE811115368", "MOELLN")
    assert shown["address"] == VALID["address"] and shown["tax_mode"] == "exempt_public"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "operator.updated")).one()
    assert entry.target_id == moelln.id
    assert entry.before["legal_name"] == "" and entry.after["legal_name"] == "Stadt Mölln"
    assert entry.after["slug"] == "moelln"
    public = {o["slug"]: o for o in client.get("/api/v1/operators").json}
    assert public["moelln"]["complete"] is True


def test_a_field_left_out_stays_and_what_a_get_answered_may_be_sent_back(client, moelln,
                                                                          admin):
    put(client, admin, "moelln", VALID)
    assert put(client, admin, "moelln", {"phone": "+49 4542 1"}).json["legal_name"] == \
        "Stadt Mölln"
    answered = client.get(PATH.format(slug="moelln"), headers=admin).json
    again = put(client, admin, "moelln", answered)
    assert again.status_code == 200 and again.json == answered
    cleared = put(client, admin, "moelln", {"iban": None, "register": ""})
    assert cleared.json["iban"] == "" and cleared.json["missing"] == ["iban"]


@pytest.mark.parametrize("change, field, message", [
    ({"iban": "DE02120300000000202052"}, "iban",
     "Die Prüfziffern der IBAN stimmen nicht: Bitte prüf sie auf Tippfehler."),
    ({"iban": "1234"}, "iban", "Das ist keine IBAN."),
    ({"iban": "DE0212030000000020205"}, "iban", "Eine deutsche IBAN hat 22 Zeichen"),
    ({"bic": "BYLA"}, "bic", "Eine BIC hat 8 oder 11 Buchstaben und Ziffern, etwa BYLADEM1001."),
    ({"vat_id": "DE12345678"}, "vat_id",
     "Eine deutsche USt-IdNr. besteht aus DE und neun Ziffern, etwa DE136695976."),
    ({"vat_id": "DE123456789"}, "vat_id", "Die Prüfziffer dieser USt-IdNr. stimmt nicht"),
    ({"vat_id": "US123456789"}, "vat_id", "Eine USt-IdNr. beginnt mit dem Länderkürzel"),
    ({"tax_number": "12345"}, "tax_number", "Das ist keine deutsche Steuernummer."),
    ({"address": {"postcode": "2387"}}, "address.postcode",
     "Eine deutsche Postleitzahl hat fünf Ziffern, etwa 23879."),
    ({"address": {"country": "XX"}}, "address.country",
     "Gib das Land als Kürzel aus zwei Buchstaben an, etwa DE."),
    ({"address": {"street": 12}}, "address.street", None),
    ({"address": {"floor": "2"}}, "address.floor", "Dieses Feld gibt es nicht."),
    ({"tax_mode": "vat_free"}, "tax_mode", "Wähl, wie der Betreiber Umsatzsteuer berechnet"),
    ({"invoice_prefix": "MÖLLN-1"}, "invoice_prefix", "2 bis 10 Buchstaben oder Ziffern"),
    ({"email": "kasse@"}, "email", None),
    ({"phone": "call us"}, "phone", "Gib eine Telefonnummer mit Vorwahl an"),
    ({"revenue_accounts": {"1900": "84"}}, "revenue_accounts",
     "Ein Konto hat 4 bis 8 Ziffern, etwa 8400."),
    ({"revenue_accounts": {"19%": "8400"}}, "revenue_accounts", None),
    ({"revenue_accounts": []}, "revenue_accounts", None),
    ({"legal_name": "x" * 201}, "legal_name", "Höchstens 200 Zeichen."),
    ({"legal_name": "Stadt\x00Mölln"}, "legal_name", None),
    ({"vatid": "DE811115368"}, "vatid", "Dieses Feld gibt es nicht."),
    ({"sample_data": "no"}, "sample_data", None),
])
def test_a_bad_field_is_a_422_naming_it_in_german_and_nothing_changes(
        client, moelln, admin, change, field, message):
    put(client, admin, "moelln", VALID)
    response = put(client, admin, "moelln", change)
    assert_problem(response, 422, field)
    check(response, PATH, "put")
    if message:
        assert message in " ".join(response.json["errors"][field])
    assert client.get(PATH.format(slug="moelln"), headers=admin).json["complete"] is True


def test_messages_come_in_english_when_asked_for(client, moelln, admin):
    response = put(client, admin, "moelln", {"iban": "DE02120300000000202052"}, language="en")
    assert response.json["errors"]["iban"] == [
        "The IBAN's check digits do not match: please check it for typing errors."]


def test_a_postcode_is_checked_against_the_country_it_ends_up_with(client, moelln, admin):
    put(client, admin, "moelln", VALID)
    refused = put(client, admin, "moelln", {"address": {"country": "AT"}}, language="en")
    assert refused.status_code == 200  # 23879 is a fine Austrian postcode too
    assert put(client, admin, "moelln", {"address": {"country": "DE", "postcode": "1010"}}
               ).status_code == 422
    assert put(client, admin, "moelln", {"address": {"country": "AT", "postcode": "1010"}}
               ).status_code == 200


def test_two_operators_never_share_an_invoice_prefix(client, moelln, admin, make_operator):
    make_operator("wittenberge", invoice_prefix="WITT")
    response = put(client, admin, "moelln", {**VALID, "invoice_prefix": "witt"})
    assert_problem(response, 422, "invoice_prefix")
    assert "WITT" in response.json["errors"]["invoice_prefix"][0]


def test_only_admins_read_or_change_an_operator(client, moelln, make_user, make_space):
    check(client.get(PATH.format(slug="moelln")), PATH, "get")
    assert client.get(PATH.format(slug="moelln")).status_code == 401
    assert put(client, {}, "moelln", VALID).status_code == 401
    for user in (make_user(), make_user(role="host", space=make_space()),
                 make_user(role="researcher")):
        headers = {"Authorization": f"Bearer {issue_api_token(user)}"}
        refused = client.get(PATH.format(slug="moelln"), headers=headers)
        assert refused.status_code == 403
        check(refused, PATH, "get")
        assert put(client, headers, "moelln", VALID).status_code == 403
    db.session.expire_all()
    assert moelln.legal_name == ""


def test_an_unknown_operator_is_404(client, admin):
    check(client.get(PATH.format(slug="nowhere"), headers=admin), PATH, "get")
    assert put(client, admin, "nowhere", VALID).status_code == 404


def test_a_plan_names_its_seller(client, moelln, make_operator):
    make_plan("10er-Karte Mölln", spaces=[moelln_space(moelln)])
    network = make_plan("Netzwerk", all_spaces=True,
                        seller=make_operator("programmbuero", runs_portal=True))
    plans = {p["name"]: p for p in client.get("/api/v1/plans").json}
    assert plans["10er-Karte Mölln"]["seller"] == "moelln"
    assert plans[network.name]["seller"] == "programmbuero"


def moelln_space(operator):
    from coworking.spaces.models import Space

    return db.session.scalar(select(Space).where(Space.operator_id == operator.id))
