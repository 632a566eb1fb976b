"""Members find their invoices under "Rechnungen" on the account page and download PDF and
XML; admins see an operator's month and download its journal as CSV and in DATEV's EXTF
Buchungsstapel format, booked to the operator's revenue accounts."""
import csv
import io

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.memberships.service import buy, confirm_payment_on_site
from coworking.operators.models import Operator
from coworking.spaces.models import Space
from tests.factories import give_billing_details, make_plan
from tests.invoicing.issued import invoices


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


@pytest.fixture
def sold(make_space, make_operator, make_user, admin, frozen):
    """Two cards sold by "moelln" in March 2027 (19 % and 7 %), the first one refunded."""
    seller = make_operator("moelln", invoice_prefix="MOE",
                           revenue_accounts={"1900": "8401", "700": "8300", "0": "8200"})
    space = make_space(operator=seller)
    member = make_user(email="mia@example.org", name="Mia Member", covered=False)
    give_billing_details(member)
    first, _ = buy(member, make_plan("Karte", spaces=[space], price_cents=12000).id,
                   online=False)
    confirm_payment_on_site(admin, first.id)
    other = make_user(covered=False)
    reduced = make_plan("Kurs", spaces=[space], price_cents=1070)
    reduced.vat_basis_points = 700
    db.session.commit()
    second, _ = buy(other, reduced.id, online=False)
    confirm_payment_on_site(admin, second.id)
    return seller, member, first


def test_the_account_page_lists_the_members_invoices(client, login, sold):
    _seller, _member, _first = sold
    login("mia@example.org")
    html = client.get("/account").get_data(as_text=True)
    (invoice,) = invoices(user_id=_member.id)
    assert '<h2 id="invoices">Rechnungen</h2>' in html
    assert "Rechnung MOE-2027-00001" in html and "120,00\xa0€" in html
    assert f'href="/api/v1/invoices/{invoice.id}/pdf"' in html
    assert f'href="/api/v1/invoices/{invoice.id}/xrechnung"' in html
    pdf = client.get(f"/api/v1/invoices/{invoice.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "MOE-2027-00002" not in html  # someone else's


def test_a_member_without_invoices_is_told_where_they_appear(client, login, make_user):
    make_user(email="new@example.org", covered=False)
    login("new@example.org")
    html = client.get("/account").get_data(as_text=True)
    assert "Noch keine Rechnungen." in html


def test_the_admin_sees_the_operators_month_with_its_journal(client, login, sold):
    login("admin@example.org")
    html = client.get("/admin/operators/moelln/invoices?month=2027-03").get_data(as_text=True)
    assert 'data-invoice="MOE-2027-00001"' in html and 'data-invoice="MOE-2027-00002"' in html
    assert "/api/v1/operators/moelln/journal?month=2027-03&amp;format=datev" in html
    empty = client.get("/admin/operators/moelln/invoices?month=2027-02").get_data(as_text=True)
    assert "data-invoice=" not in empty
    assert client.get("/admin/operators/moelln/invoices?month=2027-13").status_code == 404
    assert 'href="/admin/operators/moelln/invoices"' in client.get(
        "/admin/operators").get_data(as_text=True)


def test_the_api_lists_the_month_and_refuses_a_bad_one(api, admin, sold):
    caller = api(admin)
    listed = caller.get("/api/v1/operators/moelln/invoices?month=2027-03").get_json()
    assert [i["number"] for i in listed] == ["MOE-2027-00001", "MOE-2027-00002"]
    assert caller.get("/api/v1/operators/moelln/invoices?month=2027-04").get_json() == []
    for query in ("", "?month=2027-3", "?month=März"):
        response = caller.get(f"/api/v1/operators/moelln/invoices{query}")
        assert response.status_code == 422 and "month" in response.get_json()["errors"]
    bad = caller.get("/api/v1/operators/moelln/journal?month=2027-03&format=xls")
    assert bad.status_code == 422 and "format" in bad.get_json()["errors"]
    assert caller.get("/api/v1/operators/nobody/invoices?month=2027-03").status_code == 404


def test_the_csv_journal_has_a_row_per_document_and_rate(api, admin, sold):
    _seller, _member, first = sold
    api(admin).post(f"/api/v1/memberships/{first.id}/refund", json={"reason": "Irrtum"})
    response = api(admin).get("/api/v1/operators/moelln/journal?month=2027-03&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("number;kind;refers_to;issued_on;buyer")
    rows = [line.split(";") for line in lines[1:]]
    assert [(r[0], r[1], r[2], r[6], r[7], r[8], r[9], r[11]) for r in rows] == [
        ("MOE-2027-00001", "invoice", "", "19", "100,84", "19,16", "120,00", "8401"),
        ("MOE-2027-00002", "invoice", "", "7", "10,00", "0,70", "10,70", "8300"),
        ("MOE-2027-00003", "credit_note", "MOE-2027-00001", "19", "-100,84", "-19,16",
         "-120,00", "8401")]


def test_the_datev_journal_is_an_extf_buchungsstapel(api, admin, sold):
    _seller, _member, first = sold
    api(admin).post(f"/api/v1/memberships/{first.id}/refund", json={"reason": "Irrtum"})
    response = api(admin).get("/api/v1/operators/moelln/journal?month=2027-03&format=datev")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "EXTF_Buchungsstapel_moelln_2027-03.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("cp1252")
    header, columns, *bookings = text.split("\r\n")[:-1]
    fields = header.split(";")
    assert fields[:5] == ['"EXTF"', "700", "21", '"Buchungsstapel"', "13"] and len(fields) == 31
    assert fields[12:16] == ["20270101", "4", "20270301", "20270331"]
    assert fields[21] == '"EUR"' and fields[26] == '"03"'
    assert columns.startswith('"Umsatz (ohne Soll/Haben-Kz)";"Soll/Haben-Kennzeichen"')
    assert "Gegenkonto (ohne BU-Schlüssel)" in columns
    cells = [line.split(";") for line in bookings]
    assert [(c[0], c[1], c[6], c[7], c[9], c[10], c[11]) for c in cells] == [
        ("120,00", '"S"', "1000", "8401", "0103", '"MOE-2027-00001"', '""'),
        ("10,70", '"S"', "1000", "8300", "0103", '"MOE-2027-00002"', '""'),
        ("120,00", '"H"', "1000", "8401", "0103", '"MOE-2027-00003"', '"MOE-2027-00001"')]


def test_revenue_accounts_default_to_skr03(api, admin, sold):
    seller, _member, _first = sold
    operator = db.session.get(Operator, seller.id)
    operator.revenue_accounts = {}
    db.session.commit()
    response = api(admin).get("/api/v1/operators/moelln/journal?month=2027-03&format=datev")
    accounts = [line.split(";")[7] for line in response.data.decode("cp1252").split("\r\n")[2:-1]]
    assert accounts == ["8400", "8300"]



def test_the_journals_escape_text_a_spreadsheet_would_run_but_keep_amounts(api, admin, sold,
                                                                           make_user):
    seller, _member, _first = sold
    space = db.session.scalars(select(Space).where(Space.operator_id == seller.id)).first()
    formula = '=HYPERLINK("https://evil.example","Klick")'
    member = make_user(email="eve@example.org", name="Eve", covered=False)
    give_billing_details(member, name=formula)
    plan = make_plan("+Karte", spaces=[space], price_cents=5950)
    bought, _ = buy(member, plan.id, online=False)
    confirm_payment_on_site(admin, bought.id)
    api(admin).post(f"/api/v1/memberships/{bought.id}/refund", json={"reason": "Irrtum"})
    response = api(admin).get("/api/v1/operators/moelln/journal?month=2027-03&format=csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    invoice, credit_note = rows[-2:]
    for row in (invoice, credit_note):
        assert row[4] == "'" + formula and row[5].startswith("'+Karte")
    # The credit note's amounts stay negative numbers, not text.
    assert (credit_note[7], credit_note[8], credit_note[9]) == ("-50,00", "-9,50", "-59,50")
    datev = api(admin).get("/api/v1/operators/moelln/journal?month=2027-03&format=datev")
    texts = [line.split(";")[13] for line in datev.data.decode("cp1252").split("\r\n")[2:-1]]
    assert texts[-1].startswith('"\'+Karte') and not any(t.startswith('"+') for t in texts)
