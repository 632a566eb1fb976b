"""Retention: deleting an account keeps its invoices as issued; the member's data export
holds them; a job deletes documents once 8 years after the end of their year are over, and
only those; the privacy notice says so."""
from pathlib import Path

import pytest

from coworking.jobs import run_all
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.factories import give_billing_details, make_plan
from tests.invoicing.issued import invoices, numbers

NOTICE = Path(__file__).resolve().parents[2] / "templates" / "site" / "defaults" / "datenschutz.txt"


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


@pytest.fixture
def card(make_space, make_operator, frozen):
    seller = make_operator("moelln", invoice_prefix="MOE")
    return make_plan("Karte", spaces=[make_space(operator=seller)], price_cents=9000)


@pytest.fixture
def member(make_user):
    member = make_user(email="mia@example.org", name="Mia Member", covered=False)
    give_billing_details(member, street="Lindenweg 3")
    return member


def paid(card, admin, buyer):
    membership, _ = buy(buyer, card.id, online=False)
    confirm_payment_on_site(admin, membership.id)


def test_the_export_holds_the_members_invoices(card, admin, member, api):
    paid(card, admin, member)
    exported = api(member).get("/api/v1/me/export").get_json()
    (invoice,) = exported["invoices"]
    assert invoice["number"] == "MOE-2027-00001" and invoice["gross_cents"] == 9000
    assert invoice["buyer"]["address"]["street"] == "Lindenweg 3"


def test_deleting_the_account_keeps_its_invoice_as_issued(card, admin, member, api, client):
    paid(card, admin, member)
    before = invoices()[0].snapshot
    response = client.delete("/api/v1/me", json={"password": "correct horse"},
                             headers=api(member).headers)
    assert response.status_code == 204
    (kept,) = invoices()
    assert kept.snapshot == before and kept.document().buyer.name == "Mia Member"
    assert api(admin).get(f"/api/v1/invoices/{kept.id}/pdf").status_code == 200


def test_the_job_deletes_documents_only_after_their_retention(card, admin, make_user, frozen):
    frozen.set("2017-06-01T10:00:00+02:00")
    paid(card, admin, make_user(covered=False))
    frozen.set("2027-03-01T07:00:00+01:00")
    paid(card, admin, make_user(covered=False))
    assert numbers() == ["MOE-2017-00001", "MOE-2027-00001"]
    assert run_all()["invoice-retention"] == {"documents deleted": 1}
    assert numbers() == ["MOE-2027-00001"]
    assert run_all()["invoice-retention"] == {"documents deleted": 0}


def test_the_privacy_notice_says_how_long_invoices_are_kept():
    text = NOTICE.read_text(encoding="utf-8")
    assert "auch nach dem Löschen deines Kontos" in text
    assert "acht Jahre nach dem Ende des Jahres ihrer Ausstellung" in text
