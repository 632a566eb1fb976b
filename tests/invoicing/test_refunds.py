"""A refund issues a credit note with negative amounts naming the invoice: Stripe's
`charge.refunded`, or an admin's refund (through Stripe when paid there). Not paid: 409;
two refunds at once: one credit note; a refund event for a charge nobody knows: 200,
nothing changes."""
import threading

import pytest
from flask.testing import FlaskClient

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.billing.paying import checkout, deliver, events, fresh, recorded_events
from tests.factories import make_plan
from tests.invoicing.issued import invoices, numbers


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


@pytest.fixture
def paid_online(shop_at_seller, client):
    """The member's card, paid through Checkout and invoiced."""
    shop = shop_at_seller
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    session = shop.fake.complete_session(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))
    return membership, fresh(payment), session


def test_stripes_refund_event_issues_a_credit_note_naming_the_invoice(shop_at_seller, client,
                                                                      paid_online, api):
    shop = shop_at_seller
    _membership, _payment, session = paid_online
    shop.fake.client().v1.refunds.create({"payment_intent": session["payment_intent"]})
    (refunded,) = events(shop.fake, "charge.refunded")
    assert deliver(shop.fake, client, refunded, refunded) == ["applied", "repeat"]
    invoice, credit_note = invoices()
    assert numbers() == ["MOE-2027-00001", "MOE-2027-00002"]
    shown = api(shop.member).get(f"/api/v1/invoices/{credit_note.id}").get_json()
    assert shown["kind"] == "credit_note" and shown["refers_to"] == "MOE-2027-00001"
    assert shown["gross_cents"] == -12000 and shown["net_cents"] == -10084
    assert shown["vat_cents"] == -1916


def test_an_admin_refunds_through_stripe_and_its_event_changes_nothing_more(
        shop_at_seller, client, paid_online, admin, api):
    shop = shop_at_seller
    membership, payment, _session = paid_online
    response = api(admin).post(f"/api/v1/memberships/{membership.id}/refund",
                               json={"reason": "Kulanz"})
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    (refund_call,) = [r for r in shop.fake.requests if r["path"] == "/v1/refunds"]
    assert refund_call["params"]["payment_intent"] == payment.stripe_payment_intent_id
    assert fresh(payment).status == "refunded"
    assert deliver(shop.fake, client, *events(shop.fake, "charge.refunded")) == [
        "already refunded"]
    assert [i.kind for i in invoices()] == ["invoice", "credit_note"]
    again = api(admin).post(f"/api/v1/memberships/{membership.id}/refund",
                            json={"reason": "Kulanz"})
    assert again.status_code == 409


def test_a_refund_event_for_an_unknown_charge_is_ignored(shop_at_seller, client):
    shop = shop_at_seller
    stranger = {"id": "evt_unknown_refund", "type": "charge.refunded", "object": "event",
                "created": 1, "data": {"object": {"id": "ch_unknown", "object": "charge",
                                                  "payment_intent": "pi_nobody",
                                                  "refunded": True, "amount": 100}}}
    response = shop.fake.deliver(client, stranger)
    assert response.status_code == 200
    assert recorded_events() == {"evt_unknown_refund": "unknown payment"}
    assert invoices() == []


@pytest.fixture
def paid_on_site(make_space, make_operator, make_user, admin, frozen):
    seller = make_operator("moelln", invoice_prefix="MOE")
    card = make_plan("Karte", spaces=[make_space(operator=seller)], price_cents=9000)
    membership, _ = buy(make_user(covered=False), card.id, online=False)
    return membership


def test_refunding_an_unpaid_plan_is_a_conflict(paid_on_site, api, admin):
    response = api(admin).post(f"/api/v1/memberships/{paid_on_site.id}/refund",
                               json={"reason": "Irrtum"})
    assert response.status_code == 409 and invoices() == []


def test_a_refund_needs_a_reason_and_an_admin(paid_on_site, api, admin):
    confirm_payment_on_site(admin, paid_on_site.id)
    for body in ({}, {"reason": "  "}, {"reason": 5}):
        response = api(admin).post(f"/api/v1/memberships/{paid_on_site.id}/refund", json=body)
        assert response.status_code == 422 and "reason" in response.get_json()["errors"]
    member = api(db.session.get(type(admin), paid_on_site.user_id))
    assert member.post(f"/api/v1/memberships/{paid_on_site.id}/refund",
                       json={"reason": "Bitte"}).status_code == 403
    assert api(admin).post("/api/v1/memberships/999999/refund",
                           json={"reason": "x"}).status_code == 404
    assert [i.kind for i in invoices()] == ["invoice"]


def test_two_refunds_at_once_issue_one_credit_note(app, paid_on_site, admin):
    confirm_payment_on_site(admin, paid_on_site.id)
    token, membership_id = issue_api_token(admin), paid_on_site.id
    db.session.commit()
    start, answers = threading.Barrier(2), []

    def refund():
        with app.app_context():
            start.wait()
            answers.append(FlaskClient(app).post(
                f"/api/v1/memberships/{membership_id}/refund", json={"reason": "Doppelt"},
                headers={"Authorization": f"Bearer {token}"}).status_code)

    threads = [threading.Thread(target=refund) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 409]
    assert [(i.kind, i.gross_cents) for i in invoices()] == [("invoice", 9000),
                                                             ("credit_note", -9000)]
