"""Issued documents are immutable: the database itself refuses to change what one says or to
delete it before its retention period ended, on SQLite and on PostgreSQL. Its link to the
member may go (the document outlives the account). Numbers stay gapless when many payments
settle at once."""
import threading
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.invoicing.models import Invoice
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.factories import make_plan
from tests.invoicing.issued import invoices, numbers


@pytest.fixture
def seller(make_operator):
    return make_operator("moelln", invoice_prefix="MOE")


@pytest.fixture
def card(make_space, seller, frozen):
    return make_plan("Karte", spaces=[make_space(operator=seller)], price_cents=9000)


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


@pytest.fixture
def issued(card, admin, make_user):
    membership, _ = buy(make_user(covered=False), card.id, online=False)
    confirm_payment_on_site(admin, membership.id)
    return invoices()[0]


def refused(statement):
    with pytest.raises(DBAPIError, match="issued invoices are immutable"):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("values", [
    {"number": "MOE-2027-00099"}, {"gross_cents": 1}, {"snapshot": {}},
    {"issued_on": date(2027, 3, 2)}, {"purge_after": date(2017, 1, 1)},
    {"kind": "credit_note"}])
def test_the_database_refuses_to_change_an_issued_document(issued, values):
    refused(update(Invoice).where(Invoice.id == issued.id).values(**values))
    assert invoices()[0].number == issued.number and invoices()[0].gross_cents == 9000


def test_the_database_refuses_to_delete_it_within_the_retention_period(issued):
    refused(delete(Invoice).where(Invoice.id == issued.id))
    assert numbers() == ["MOE-2027-00001"]


def test_its_links_may_go_but_not_be_pointed_elsewhere(issued, make_user):
    db.session.execute(update(Invoice).where(Invoice.id == issued.id)
                       .values(user_id=None, payment_id=None, membership_id=None))
    db.session.commit()
    assert invoices()[0].user_id is None
    refused(update(Invoice).where(Invoice.id == issued.id).values(user_id=make_user().id))


def test_a_document_past_its_retention_may_be_deleted(card, admin, make_user, frozen):
    """Issued in 2017, kept to the end of 2025: the database's own date is later."""
    frozen.set("2017-05-02T10:00:00+02:00")
    membership, _ = buy(make_user(covered=False), card.id, online=False)
    confirm_payment_on_site(admin, membership.id)
    (old,) = invoices()
    assert old.number == "MOE-2017-00001" and str(old.purge_after) == "2025-12-31"
    db.session.execute(delete(Invoice).where(Invoice.id == old.id))
    db.session.commit()
    assert invoices() == []


def test_many_payments_settling_at_once_get_consecutive_numbers(app, card, admin, make_user):
    memberships = [buy(make_user(covered=False), card.id, online=False)[0].id
                   for _ in range(8)]
    token = issue_api_token(admin)
    db.session.commit()
    start, answers = threading.Barrier(len(memberships)), []

    def confirm(membership_id):
        with app.app_context():
            start.wait()
            response = FlaskClient(app).post(
                f"/api/v1/memberships/{membership_id}/confirm-payment",
                headers={"Authorization": f"Bearer {token}"})
            answers.append(response.status_code)

    threads = [threading.Thread(target=confirm, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [200] * len(memberships)
    assert sorted(numbers()) == [f"MOE-2027-{n:05d}" for n in range(1, 9)]
    assert sorted(i.membership_id for i in invoices()) == sorted(memberships)
