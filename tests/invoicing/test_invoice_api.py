"""The invoice API: a member's own documents, one for its owner or an admin (404 to anyone
else), its PDF with the embedded Factur-X XML and its XRechnung, each valid under the
official rules in every tax mode and as a credit note."""
import facturx
import pytest

from coworking.memberships.service import buy, confirm_payment_on_site
from tests.factories import give_billing_details, make_plan
from tests.invoicing import schematron
from tests.invoicing.issued import invoices


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


def sell(make_space, make_operator, admin, member, tax_mode="standard", price_cents=12000):
    seller = make_operator(f"op-{tax_mode}", tax_mode=tax_mode,
                           invoice_prefix=tax_mode[:3].upper())
    card = make_plan("10er-Karte", spaces=[make_space(operator=seller)], price_cents=price_cents)
    membership, _ = buy(member, card.id, online=False)
    confirm_payment_on_site(admin, membership.id)
    return membership


@pytest.fixture
def member(make_user):
    member = make_user(email="mia@example.org", name="Mia Member", covered=False)
    give_billing_details(member, company="Muster GmbH", buyer_reference="04011000-1234512345-06")
    return member


def test_the_member_lists_and_reads_their_invoices(api, make_space, make_operator, admin,
                                                   member, frozen):
    sell(make_space, make_operator, admin, member)
    caller = api(member)
    (listed,) = caller.get("/api/v1/me/invoices").get_json()
    assert listed == {
        "id": listed["id"], "number": "STA-2027-00001", "kind": "invoice", "refers_to": None,
        "operator": "op-standard", "issued_on": "2027-03-01",
        "service_period": listed["service_period"],
        "buyer": {"name": "Mia Member", "company": "Muster GmbH",
                  "address": {"street": "Hauptstraße 5", "postcode": "23879", "city": "Mölln",
                              "country": "DE"}},
        "lines": [{"description": "10er-Karte", "quantity": 1, "net_cents": 10084,
                   "vat_rate": 19.0, "vat_cents": 1916, "gross_cents": 12000}],
        "net_cents": 10084, "vat_cents": 1916, "gross_cents": 12000, "currency": "EUR",
        "tax_note": None, "paid_at": "2027-03-01T06:00:00+00:00", "payment_method": "on_site"}
    assert caller.get(f"/api/v1/invoices/{listed['id']}").get_json() == listed
    assert api(admin).get(f"/api/v1/invoices/{listed['id']}").status_code == 200


def test_an_invoice_to_a_name_without_an_address_has_no_xrechnung(
        api, client, make_space, make_operator, admin, make_user, frozen, login):
    member = make_user(email="ohne@example.org", name="Otto Ohne", covered=False)
    sell(make_space, make_operator, admin, member)  # no billing details: paid on site
    (invoice,) = invoices()
    caller = api(member)
    assert caller.get(f"/api/v1/invoices/{invoice.id}/pdf").status_code == 200
    response = caller.get(f"/api/v1/invoices/{invoice.id}/xrechnung")
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert "§ 33 UStDV" in response.get_json()["detail"]
    login("ohne@example.org")
    html = client.get("/account").get_data(as_text=True)
    assert f"/api/v1/invoices/{invoice.id}/pdf" in html
    assert f"/api/v1/invoices/{invoice.id}/xrechnung" not in html


def test_someone_elses_invoice_is_not_found(api, make_space, make_operator, admin, member,
                                             frozen):
    sell(make_space, make_operator, admin, member)
    (invoice,) = invoices()
    stranger = api(covered=False)
    for suffix in ("", "/pdf", "/xrechnung"):
        response = stranger.get(f"/api/v1/invoices/{invoice.id}{suffix}")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
    assert stranger.get("/api/v1/me/invoices").get_json() == []
    assert api().get("/api/v1/invoices/999999").status_code == 404


@pytest.mark.parametrize("tax_mode", ["standard", "small_business", "exempt_public"])
def test_stored_invoices_and_credit_notes_are_valid_e_invoices(api, client, make_space,
                                                               make_operator, admin, member,
                                                               frozen, tax_mode):
    membership = sell(make_space, make_operator, admin, member, tax_mode=tax_mode)
    refund = api(admin).post(f"/api/v1/memberships/{membership.id}/refund",
                             json={"reason": "Doppelt gekauft"})
    assert refund.status_code == 200, refund.get_json()
    invoice, credit_note = invoices()
    assert credit_note.kind == "credit_note" and credit_note.refers_to_id == invoice.id
    caller = api(member)
    for document in (invoice, credit_note):
        pdf = caller.get(f"/api/v1/invoices/{document.id}/pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert f'filename="{document.number}.pdf"' in pdf.headers["Content-Disposition"]
        _name, embedded = facturx.get_xml_from_pdf(pdf.data, check_xsd=False)
        assert schematron.errors(embedded) == []
        assert [f for f in schematron.factur_x_findings(embedded) if f.is_error] == []
        xml = caller.get(f"/api/v1/invoices/{document.id}/xrechnung")
        assert xml.status_code == 200 and xml.mimetype == "application/xml"
        assert schematron.errors(xml.data) == []
        assert b"04011000-1234512345-06" in xml.data
    shown = caller.get(f"/api/v1/invoices/{credit_note.id}").get_json()
    assert shown["refers_to"] == invoice.number and shown["gross_cents"] == -12000
    assert all(line["gross_cents"] < 0 for line in shown["lines"])
    assert (shown["tax_note"] is None) == (tax_mode == "standard")
