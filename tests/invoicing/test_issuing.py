"""An invoice is issued in the unit of work that settles a payment: a host taking the money
on site, Stripe's paid checkout, a bank debit that succeeded; a free plan issues none and a
repeat issues no second one. What it says is frozen: editing the operator or the member's
billing details afterwards changes nothing on it."""
from datetime import date

import pytest

from coworking.bookings.day_pass import confirm_on_site
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.memberships.service import buy, confirm_payment_on_site
from coworking.operators.models import Operator
from tests.billing.paying import checkout, deliver, events, fresh
from tests.factories import give_billing_details, make_plan, resources_of
from tests.invoicing.issued import invoices, numbers
from tests.memberships.test_on_site_payments import SLOT


@pytest.fixture
def seller(make_operator):
    return make_operator("moelln", invoice_prefix="MOE", tax_mode="standard")


@pytest.fixture
def space(make_space, seller, frozen):
    return make_space(operator=seller)


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.org", role="admin")


@pytest.fixture
def member(make_user):
    member = make_user(email="mia@example.org", name="Mia Member", covered=False)
    give_billing_details(member, company="Muster GmbH")
    return member


def test_confirming_on_site_issues_the_sellers_invoice(space, admin, member):
    card = make_plan("10er-Karte Mölln", spaces=[space], price_cents=12000)
    membership, _payment = buy(member, card.id, online=False)
    assert invoices() == []

    confirm_payment_on_site(admin, membership.id)
    confirm_payment_on_site(admin, membership.id)  # twice: nothing more

    (invoice,) = invoices()
    assert invoice.number == "MOE-2027-00001" and invoice.kind == "invoice"
    assert (invoice.net_cents, invoice.vat_cents, invoice.gross_cents) == (10084, 1916, 12000)
    assert invoice.user_id == member.id and invoice.membership_id == membership.id
    document = invoice.document()
    assert document.seller.legal_name == "Betreiber moelln GmbH"
    assert document.buyer.company == "Muster GmbH" and document.buyer.name == "Mia Member"
    assert document.lines[0].description == "10er-Karte Mölln"
    assert document.payment.method == "on_site" and document.issued_on == date(2027, 3, 1)
    assert invoice.purge_after == date(2035, 12, 31)


def test_a_free_plan_issues_nothing(space, admin, member):
    trial = make_plan("Probetag", kind="day_pass", price_cents=0, spaces=[space])
    buy(member, trial.id, online=False)
    assert invoices() == []


def test_numbers_follow_each_other_per_operator_and_year(space, admin, make_user, frozen,
                                                         make_operator, make_space):
    card = make_plan("Karte", spaces=[space], price_cents=5000)
    other = make_plan("Karte dort", price_cents=5000,
                      spaces=[make_space(operator=make_operator("ratzeburg",
                                                                invoice_prefix="RZ"))])
    for plan in (card, other, card):
        membership, _ = buy(make_user(covered=False), plan.id, online=False)
        confirm_payment_on_site(admin, membership.id)
    frozen.set("2028-01-02T10:00:00+01:00")
    membership, _ = buy(make_user(covered=False), card.id, online=False)
    confirm_payment_on_site(admin, membership.id)
    assert numbers() == ["MOE-2027-00001", "RZ-2027-00001", "MOE-2027-00002", "MOE-2028-00001"]


def test_a_day_pass_paid_on_site_is_invoiced_for_its_day(space, admin, member):
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    booking = book(member, resources_of(space)[0].id, *SLOT, pay="day_pass")
    confirm_on_site(admin, booking.id)
    (invoice,) = invoices()
    document = invoice.document()
    assert invoice.booking_id == booking.id and invoice.gross_cents == 1500
    assert document.service_start == document.service_end == date(2027, 3, 2)


def test_later_edits_of_operator_and_member_leave_the_invoice_as_issued(space, admin, member,
                                                                        seller):
    membership, _ = buy(member, make_plan("Karte", spaces=[space]).id, online=False)
    confirm_payment_on_site(admin, membership.id)
    operator = db.session.get(Operator, seller.id)
    operator.legal_name, operator.street = "Neuer Name GmbH", "Neue Straße 1"
    db.session.commit()
    give_billing_details(member, name="Mia Neu", city="Ratzeburg")
    document = invoices()[0].document()
    assert document.seller.legal_name == "Betreiber moelln GmbH"
    assert document.seller.address.street == "Marktplatz 1"
    assert document.buyer.name == "Mia Member" and document.buyer.address.city == "Mölln"


def test_stripe_paid_checkout_issues_one_invoice_however_often_reported(shop_at_seller, client):
    shop = shop_at_seller
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.complete_session(payment.checkout_session_id)
    (completed,) = events(shop.fake, "checkout.session.completed")
    assert deliver(shop.fake, client, completed, completed) == ["applied", "repeat"]
    (invoice,) = invoices()
    assert invoice.stripe_payment_id == fresh(payment).stripe_payment_intent_id
    assert invoice.document().payment.method == "stripe"
    assert invoice.number == "MOE-2027-00001"


def test_a_bank_debit_is_invoiced_once_its_money_arrived(shop_at_seller, client):
    shop = shop_at_seller
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))
    assert invoices() == []
    shop.fake.succeed_async(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.async_payment_succeeded"))
    assert numbers() == ["MOE-2027-00001"]
    assert invoices()[0].document().payment.method == "sepa_debit"


def test_a_failed_bank_debit_issues_nothing(shop_at_seller, client):
    shop = shop_at_seller
    _membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.complete_session(payment.checkout_session_id, async_payment=True)
    shop.fake.fail_async(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed",
                                       "checkout.session.async_payment_failed"))
    assert invoices() == []


def test_each_paid_month_of_a_subscription_is_invoiced_once(shop_at_seller, client):
    shop = shop_at_seller
    monthly = make_plan("Monat", kind="monthly", price_cents=8900, spaces=[shop.space])
    _membership, payment = buy(shop.member, monthly.id, online=True)
    payment = checkout(payment)
    subscription_id = shop.fake.complete_session(payment.checkout_session_id)["subscription"]
    first = events(shop.fake, "invoice.paid")[0]
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"), first)
    shop.frozen.set("2027-04-01T08:00:00+02:00")
    shop.fake.renew(subscription_id)
    renewal = events(shop.fake, "invoice.paid")[1]
    deliver(shop.fake, client, renewal, renewal)
    assert numbers() == ["MOE-2027-00001", "MOE-2027-00002"]
    assert [i.gross_cents for i in invoices()] == [8900, 8900]
    second = invoices()[1].document()
    assert (second.issued_on, second.service_start) == (date(2027, 4, 1), date(2027, 4, 1))
