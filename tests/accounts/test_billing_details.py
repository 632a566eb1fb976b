"""Billing details: saved over the API and on the account page, every bad field named with a
German message (postcodes by country, countries, EU VAT ids with the German check digit,
Leitweg-IDs with their check digits, control characters), and each change audited without
the values."""
import pytest
from sqlalchemy import select

from coworking.accounts import billing_rules
from coworking.audit import AuditEntry
from coworking.extensions import db
from tests.api.test_api_contract import assert_problem, check
from tests.factories import CONSUMER_BILLING, csrf_token

GERMAN = {"Accept-Language": "de"}


@pytest.fixture
def member(api):
    return api(covered=False)


@pytest.fixture
def put(client, member):
    """PUT /api/v1/me/billing as the member, with German messages."""
    def send(body):
        return client.put("/api/v1/me/billing", json=body, headers={**member.headers, **GERMAN})
    return send


@pytest.fixture
def billing(put):
    """The consumer's details with `changes`."""
    return lambda **changes: put({**CONSUMER_BILLING, **changes})


def errors_of(response):
    assert_problem(response, 422)
    check(response, "/api/v1/me/billing", "put")
    return response.json["errors"]


def test_before_anything_is_saved_every_required_field_is_missing(member):
    response = member.get("/api/v1/me/billing")
    check(response, "/api/v1/me/billing", "get")
    assert response.json["complete"] is False and response.json["consumer"] is True
    assert response.json["missing"] == ["name", "street", "postcode", "city", "country"]
    assert response.json["updated_at"] is None


def test_saved_details_are_read_back_normalised(member, billing):
    response = billing(name="  Mia   Member ", company="Studio Mia", postcode="23879",
                       country="de", vat_id="de 136 695 976",
                       buyer_reference="991-33333test-33")
    check(response, "/api/v1/me/billing", "put")
    assert response.status_code == 200
    shown = member.get("/api/v1/me/billing").json
    assert shown["name"] == "Mia Member" and shown["country"] == "DE"
    assert shown["vat_id"] == "DE136695976" and shown["buyer_reference"] == "991-33333TEST-33"
    assert shown["complete"] is True and shown["consumer"] is False  # a company buys
    assert shown["missing"] == []


def test_leaving_out_an_optional_field_clears_it(member, billing):
    billing(company="Studio Mia")
    assert billing().json["company"] == "" and member.get(
        "/api/v1/me/billing").json["consumer"] is True


@pytest.mark.parametrize("field,message", [
    ("name", "Bitte gib den Namen an, auf den die Rechnung lautet."),
    ("street", "Bitte gib Straße und Hausnummer an."),
    ("postcode", "Bitte gib die Postleitzahl an."),
    ("city", "Bitte gib den Ort an."),
    ("country", "Bitte wähle ein Land aus der Liste (ein Code aus zwei Buchstaben wie DE)."),
])
def test_each_required_field_missing_is_named(billing, field, message):
    assert errors_of(billing(**{field: "  "})) == {field: [message]}


def test_all_bad_fields_are_named_at_once(put):
    errors = errors_of(put({"postcode": "1", "country": "DE"}))
    assert set(errors) == {"name", "street", "city", "postcode"}


@pytest.mark.parametrize("country,postcode,message", [
    ("DE", "2387", "Eine deutsche Postleitzahl hat fünf Ziffern, z. B. 23879."),
    ("DE", "23879a", "Eine deutsche Postleitzahl hat fünf Ziffern, z. B. 23879."),
    ("AT", "12345", "Eine österreichische Postleitzahl hat vier Ziffern, z. B. 1010."),
    ("CH", "800", "Eine Schweizer Postleitzahl hat vier Ziffern, z. B. 8001."),
    ("NL", "1011", "Eine niederländische Postleitzahl hat vier Ziffern und zwei Buchstaben, "
                   "z. B. 1011 AB."),
    ("PL", "00950", "Eine polnische Postleitzahl sieht so aus: 00-950."),
    ("GB", "!!", "Bitte gib eine Postleitzahl aus 2 bis 10 Buchstaben und Ziffern an."),
])
def test_postcodes_are_checked_by_country(billing, country, postcode, message):
    assert errors_of(billing(country=country, postcode=postcode)) == {"postcode": [message]}


@pytest.mark.parametrize("country,postcode,kept", [
    ("AT", "1010", "1010"), ("NL", "1011 ab", "1011 AB"), ("GB", "sw1a 1aa", "SW1A 1AA"),
    ("PL", "00-950", "00-950"), ("IE", "D02 X285", "D02 X285"), ("US", "10001", "10001"),
])
def test_foreign_postcodes_in_their_formats_are_kept(billing, country, postcode, kept):
    response = billing(country=country, postcode=postcode)
    assert response.status_code == 200 and response.json["postcode"] == kept


@pytest.mark.parametrize("country", ["XX", "DEU", "EU", "XK", "1", "D"])
def test_only_iso_3166_countries_are_taken(billing, country):
    assert errors_of(billing(country=country)) == {"country": [
        "Bitte wähle ein Land aus der Liste (ein Code aus zwei Buchstaben wie DE)."]}


@pytest.mark.parametrize("vat_id,message", [
    ("DE136695975", "Diese deutsche USt-IdNr. enthält einen Tippfehler: ihre Prüfziffer passt "
                    "nicht. Bitte vergleiche sie mit dem Schreiben deines Finanzamts."),
    ("DE12345678", "Eine deutsche USt-IdNr. besteht aus DE und neun Ziffern, z. B. "
                   "DE136695976."),
    ("DE1366959760", "Eine deutsche USt-IdNr. besteht aus DE und neun Ziffern, z. B. "
                     "DE136695976."),
    ("FR123", "Das ist nicht das Format einer USt-IdNr. aus FR."),
    ("ATU1234567", "Das ist nicht das Format einer USt-IdNr. aus AT."),
    ("GR123456789", "Eine griechische USt-IdNr. beginnt mit EL, z. B. EL123456789."),
    ("US123456789", "Bitte gib die USt-IdNr. eines EU-Mitgliedstaats mit ihrem Ländercode "
                    "an, z. B. DE136695976."),
])
def test_vat_ids_are_checked(billing, vat_id, message):
    assert errors_of(billing(vat_id=vat_id)) == {"vat_id": [message]}


@pytest.mark.parametrize("vat_id", ["DE136695976", "ATU12345678", "FRXX123456789",
                                    "NL123456789B01", "EL123456789", "ESX1234567X",
                                    "IE1234567WA", "XI123456789"])
def test_eu_vat_ids_in_their_formats_are_taken(billing, vat_id):
    response = billing(vat_id=vat_id)
    assert response.status_code == 200 and response.json["vat_id"] == vat_id
    assert response.json["consumer"] is False


def test_the_german_check_digit_is_iso_7064_mod_11_10():
    assert billing_rules.german_vat_check_digit("13669597") == 6
    for first_eight in ("12345678", "81115811", "99999999"):
        digit = billing_rules.german_vat_check_digit(first_eight)
        billing_rules.vat_id(f"DE{first_eight}{digit}")
        with pytest.raises(ValueError):
            billing_rules.vat_id(f"DE{first_eight}{(digit + 1) % 10}")


@pytest.mark.parametrize("reference,message", [
    ("04011000-1234512345-07", "Diese Leitweg-ID enthält einen Tippfehler: ihre Prüfziffern "
                               "passen nicht. Bitte übernimm sie aus dem Auftrag deiner "
                               "Behörde."),
    ("991-33333TEST-34", "Diese Leitweg-ID enthält einen Tippfehler: ihre Prüfziffern passen "
                         "nicht. Bitte übernimm sie aus dem Auftrag deiner Behörde."),
    ("leitweg", "Eine Leitweg-ID sieht so aus: 04011000-1234512345-06: 2 bis 12 Ziffern, "
                "wahlweise bis zu 30 Buchstaben oder Ziffern und zwei Prüfziffern, durch "
                "Bindestriche getrennt."),
    ("1-ABC-12", "Eine Leitweg-ID sieht so aus: 04011000-1234512345-06: 2 bis 12 Ziffern, "
                 "wahlweise bis zu 30 Buchstaben oder Ziffern und zwei Prüfziffern, durch "
                 "Bindestriche getrennt."),
])
def test_leitweg_ids_are_checked_with_their_check_digits(billing, reference, message):
    assert errors_of(billing(buyer_reference=reference)) == {"buyer_reference": [message]}


@pytest.mark.parametrize("reference", ["04011000-1234512345-06", "991-33333TEST-33",
                                       "992-90009-96"])
def test_valid_leitweg_ids_are_taken(billing, reference):
    assert billing(buyer_reference=reference).json["buyer_reference"] == reference


@pytest.mark.parametrize("field", ["name", "company", "street", "city"])
def test_control_characters_are_refused(billing, field):
    assert errors_of(billing(**{field: "Mia\x00Member"})) == {field: [
        "Darf keine Steuerzeichen wie Tabulatoren oder Zeilenumbrüche enthalten."]}
    assert errors_of(billing(**{field: "Mia\tMember"}))[field]


def test_wrong_types_and_lengths_are_named(billing):
    errors = errors_of(billing(name=5, street="x" * 201, city=["Mölln"]))
    assert errors == {"name": ["Muss eine Zeichenkette sein."],
                      "street": ["Höchstens 200 Zeichen."],
                      "city": ["Muss eine Zeichenkette sein."]}


def test_a_change_is_audited_by_field_names_only(member, billing):
    billing()
    billing(city="Ratzeburg", postcode="23909")
    billing(city="Ratzeburg", postcode="23909")  # nothing changed: no entry
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "billing_details.changed").order_by(AuditEntry.id)).all()
    assert [e.after["fields"] for e in entries] == [
        ["name", "street", "postcode", "city", "country"], ["postcode", "city"]]
    assert all(e.actor_id == member.user.id for e in entries)
    assert "Ratzeburg" not in str([e.after for e in entries])


# -- The account page ----------------------------------------------------------------------

@pytest.fixture
def signed_in(make_user, login):
    user = make_user(email="rechnung@example.org", name="Rita Rechnung", covered=False)
    login("rechnung@example.org")
    return user


def form_data(client, path="/account", **values):
    data = {f"billing-{name}": value for name, value in {**CONSUMER_BILLING, **values}.items()}
    return {**data, "csrf_token": csrf_token(client, path)}


def test_the_account_page_has_the_section_prefilled_with_the_name(client, signed_in):
    html = client.get("/account").get_data(as_text=True)
    assert '<h2 id="billing">Rechnungsadresse</h2>' in html
    assert 'id="billing-name" name="billing-name" type="text" value="Rita Rechnung"' in html
    assert '<option selected value="DE">Deutschland</option>' in html


def test_the_section_saves_and_shows_what_is_saved(client, signed_in):
    response = client.post("/account/billing", data=form_data(client, city="Ratzeburg",
                                                               postcode="23909"))
    assert response.status_code == 302 and response.location == "/account#billing"
    html = client.get("/account").get_data(as_text=True)
    assert "Deine Rechnungsadresse ist gespeichert." in html
    assert 'value="Ratzeburg"' in html


def test_bad_fields_come_back_beside_their_fields_in_german(client, signed_in):
    response = client.post("/account/billing", data=form_data(
        client, postcode="123", vat_id="DE136695975", street=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="billing-postcode-error">Eine deutsche Postleitzahl hat fünf Ziffern' in html
    assert 'id="billing-vat_id-error">Diese deutsche USt-IdNr. enthält einen Tippfehler' in html
    assert 'id="billing-street-error">Bitte gib Straße und Hausnummer an.' in html
    assert client.get("/api/v1/me/billing").json["complete"] is False


def test_as_a_step_of_an_order_it_goes_on_where_it_came_from(client, signed_in):
    step = client.get("/account/billing?next=/plans/7/order").get_data(as_text=True)
    assert "Schritt 1 von 2" in step and 'value="/plans/7/order"' in step
    bad = client.post("/account/billing", data={
        **form_data(client, "/account/billing?next=/plans/7/order", city=""),
        "billing-next": "/plans/7/order"})
    assert bad.status_code == 422 and "Schritt 1 von 2" in bad.get_data(as_text=True)
    done = client.post("/account/billing", data={
        **form_data(client, "/account/billing?next=/plans/7/order"),
        "billing-next": "/plans/7/order"})
    assert done.status_code == 302 and done.location == "/plans/7/order"
    elsewhere = client.post("/account/billing", data={
        **form_data(client), "billing-next": "https://evil.example/"})
    assert elsewhere.location == "/account#billing"
