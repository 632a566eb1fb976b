"""Ordering over the API: billing details first, a consumer's early-start choice, an
incomplete seller refused with what it lacks, what the buyer agreed to kept with the purchase,
and a booking's offers only from its space's operator and the programme office."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.invoicing.document import split_gross
from coworking.memberships import ordering
from coworking.memberships.models import Membership, Plan
from coworking.memberships.orders import WITHDRAWAL_NOTICE_VERSION, Order
from tests.api.test_api_contract import assert_problem, check
from tests.factories import give_billing_details, make_operator, make_plan, resources_of

# The frozen clock says Monday 2027-03-01 07:00: the withdrawal period runs to the end of
# Monday 15 March, so what is bought without an early start is usable from 16 March.
AFTER_PERIOD = datetime.fromisoformat("2027-03-16T00:00:00+01:00")
TOMORROW = {"start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T13:00:00+01:00"}
LATER = {"start": "2027-03-17T09:00:00+01:00", "end": "2027-03-17T13:00:00+01:00"}


@pytest.fixture
def town(make_space, frozen):
    return make_space(slug="moelln", desks=2, rooms=0)


@pytest.fixture
def plans(town):
    return {"card": make_plan("10er-Karte Mölln", spaces=[town]),
            "day": make_plan("Tagespass Mölln", kind="day_pass", price_cents=1500,
                             spaces=[town]),
            "trial": make_plan("Schnuppertag", kind="day_pass", price_cents=0,
                               all_spaces=True, once_per_member=True, validity_days=30)}


@pytest.fixture
def buyer(api):
    return api(covered=False)


@pytest.fixture
def consumer(buyer):
    give_billing_details(buyer.user)
    return buyer


def orders():
    db.session.expire_all()
    return db.session.scalars(select(Order).order_by(Order.id)).all()


def memberships_of(user):
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()


def order(caller, plan, **body):
    response = caller.post("/api/v1/memberships", json={"plan_id": plan.id, **body})
    check(response, "/api/v1/memberships", "post")
    return response


def test_a_paid_plan_without_billing_details_is_422_naming_each_missing_field(buyer, plans):
    response = order(buyer, plans["card"], early_start=True)
    assert_problem(response, 422)
    assert response.json["type"].endswith("/billing-details-missing")
    assert response.json["missing"] == ["name", "street", "postcode", "city", "country"]
    assert set(response.json["errors"]) == {"billing.name", "billing.street",
                                            "billing.postcode", "billing.city",
                                            "billing.country"}
    assert memberships_of(buyer.user) == [] and orders() == []


def test_a_free_plan_needs_no_billing_details_and_keeps_no_order(buyer, plans):
    response = order(buyer, plans["trial"])
    assert response.status_code == 201 and response.json["status"] == "active"
    assert orders() == []


def test_a_consumer_must_say_whether_use_may_begin_early(consumer, plans):
    response = order(consumer, plans["card"])
    assert_problem(response, 422, field="early_start")
    assert "Mar 16, 2027" in response.json["errors"]["early_start"][0]
    assert memberships_of(consumer.user) == []
    assert_problem(order(consumer, plans["card"], early_start="yes"), 422, field="early_start")


def test_an_early_start_is_usable_at_once_and_the_order_keeps_what_was_agreed(consumer, plans,
                                                                            frozen):
    response = order(consumer, plans["card"], early_start=True)
    assert response.status_code == 201 and response.json["usable_from"] is None
    (kept,) = orders()
    assert (kept.consumer, kept.early_start, kept.source) == (True, True, "api")
    assert kept.withdrawal_notice == WITHDRAWAL_NOTICE_VERSION
    assert kept.ordered_at == frozen.set("2027-03-01T07:00:00+01:00")
    assert kept.withdrawal_ends_at == AFTER_PERIOD and kept.usable_from == kept.ordered_at
    assert (kept.price_cents, kept.vat_basis_points) == (12000, 1900)
    assert kept.membership_id == response.json["id"] and kept.seller_id == plans["card"].seller_id


def test_without_an_early_start_a_pass_is_usable_once_the_period_is_over(
        consumer, plans, town, api, make_user):
    response = order(consumer, plans["card"], early_start=False)
    assert response.status_code == 201
    assert response.json["usable_from"] == "2027-03-16T00:00:00+01:00"
    admin = api(role="admin")
    paid = admin.post(f"/api/v1/memberships/{response.json['id']}/confirm-payment")
    assert paid.json["status"] == "active"
    # Its 180 days count from the day it may be used (24-hour days, as for every pass).
    assert paid.json["current_period_end"] == "2027-09-12T01:00:00+02:00"
    desk = resources_of(town)[0]
    early = consumer.post("/api/v1/bookings", json={"resource_id": desk.id, **TOMORROW})
    assert_problem(early, 402)
    later = consumer.post("/api/v1/bookings", json={"resource_id": desk.id, **LATER})
    assert later.status_code == 201
    assert later.json["covered_by"] == {"membership_id": response.json["id"]}
    (kept,) = orders()
    assert kept.early_start is False and kept.usable_from == AFTER_PERIOD


def test_a_business_buys_without_withdrawal_terms(buyer, plans):
    give_billing_details(buyer.user, company="Studio Mia GmbH", vat_id="DE136695976")
    response = order(buyer, plans["card"])
    assert response.status_code == 201 and response.json["usable_from"] is None
    (kept,) = orders()
    assert (kept.consumer, kept.early_start, kept.withdrawal_ends_at,
            kept.withdrawal_notice) == (False, None, None, None)


def test_an_incomplete_seller_sells_nothing_and_the_problem_names_what_it_lacks(
        consumer, make_space):
    seller = make_operator("wittenberge-stadt", complete=False, legal_name="Stadt Wittenberge")
    space = make_space(operator=seller)
    card = make_plan("10er-Karte Wittenberge", spaces=[space])
    response = order(consumer, card, early_start=True)
    assert_problem(response, 409)
    assert response.json["type"].endswith("/seller-incomplete")
    assert response.json["seller"] == "wittenberge-stadt"
    assert response.json["missing"] == seller.missing_fields()
    assert "street" in response.json["missing"] and "legal_name" not in response.json["missing"]
    assert set(response.json["errors"]) == {f"seller.{f}" for f in seller.missing_fields()}
    assert "Stadt Wittenberge does not sell online yet" in response.json["detail"]
    assert memberships_of(consumer.user) == []


# -- A booking's day pass -------------------------------------------------------------------

def book_day_pass(caller, town, slot=TOMORROW, **body):
    desk = resources_of(town)[0]
    response = caller.post("/api/v1/bookings", json={"resource_id": desk.id, **slot,
                                                     "pay": "day_pass", **body})
    check(response, "/api/v1/bookings", "post")
    return response


def test_a_day_pass_needs_billing_details(buyer, plans, town):
    response = book_day_pass(buyer, town, early_start=True)
    assert_problem(response, 422)
    assert response.json["missing"] == ["name", "street", "postcode", "city", "country"]


def test_a_day_pass_within_the_period_needs_the_early_start(consumer, plans, town):
    assert_problem(book_day_pass(consumer, town), 422, field="early_start")
    refused = book_day_pass(consumer, town, early_start=False)
    assert_problem(refused, 422, field="early_start")
    assert "Mar 15, 2027" in refused.json["errors"]["early_start"][0]
    booked = book_day_pass(consumer, town, early_start=True)
    assert booked.status_code == 201
    assert booked.json["payment"] == {"method": "on_site", "amount_cents": 1500, "status": "due"}
    (kept,) = orders()
    assert kept.payment_id is not None and kept.membership_id is None
    assert kept.plan_id == plans["day"].id and kept.early_start is True


def test_a_day_pass_after_the_period_needs_no_early_start(consumer, plans, town):
    assert book_day_pass(consumer, town, slot=LATER, early_start=False).status_code == 201
    (kept,) = orders()
    assert kept.early_start is False and kept.usable_from == AFTER_PERIOD


def test_a_day_pass_of_an_incomplete_seller_is_409(consumer, make_space):
    seller = make_operator("dippoldiswalde", complete=False)
    space = make_space(operator=seller)
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    response = book_day_pass(consumer, space, early_start=True)
    assert_problem(response, 409)
    assert response.json["missing"] == seller.missing_fields()
    offers = consumer.post("/api/v1/bookings", json={
        "resource_id": resources_of(space)[0].id, **TOMORROW}).json["offers"]
    assert [(o["seller"], o["sells_online"]) for o in offers] == [("dippoldiswalde", False)]


# -- Offers -----------------------------------------------------------------------------------

def test_a_booking_in_moelln_is_offered_what_moelln_and_the_programme_office_sell(
        consumer, town, make_space):
    wittenberge = make_space(slug="wittenberge")
    own_card = make_plan("10er-Karte Mölln", spaces=[town], price_cents=12000)
    own_day = make_plan("Tagespass Mölln", kind="day_pass", spaces=[town], price_cents=1500)
    make_plan("10er-Karte Wittenberge", spaces=[wittenberge], price_cents=9000)
    # Wittenberge's card made valid in Mölln as well, and a cheaper day pass: still not
    # Mölln's to offer.
    make_plan("Wittenberge plus", spaces=[wittenberge, town], price_cents=8000,
              seller=wittenberge.operator)
    make_plan("Tagespass Wittenberge", kind="day_pass", spaces=[wittenberge, town],
              price_cents=900, seller=wittenberge.operator)
    network = make_plan("Netzwerk", kind="monthly", all_spaces=True, price_cents=14900)
    response = consumer.post("/api/v1/bookings", json={
        "resource_id": resources_of(town)[0].id, **TOMORROW})
    assert_problem(response, 402)
    assert [o["plan_id"] for o in response.json["offers"]] == [own_day.id, own_card.id,
                                                              network.id]
    assert response.json["offers"][2]["seller"] == network.seller.slug
    booked = book_day_pass(consumer, town, early_start=True)
    kept = db.session.get(Plan, orders()[0].plan_id)
    assert booked.status_code == 201 and kept.id == own_day.id


# -- Price ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [1900, 700])
def test_the_summary_splits_the_price_as_invoices_do(plans, rate):
    plan = plans["card"]
    for gross in list(range(0, 400)) + [1500, 9900, 12000, 14900, 99999]:
        plan.price_cents, plan.vat_basis_points = gross, rate
        price = ordering.price_of(plan)
        assert (price.net_cents, price.vat_cents) == split_gross(gross, rate), gross


def test_a_small_business_shows_no_vat_and_says_why(plans):
    plan = plans["card"]
    plan.seller.tax_mode = "small_business"
    price = ordering.price_of(plan)
    assert (price.net_cents, price.vat_cents, price.charges_vat) == (12000, 0, False)
    assert "§ 19 UStG" in str(price.tax_note)


def test_the_withdrawal_period_ends_with_its_fourteenth_day_in_german_time(app):
    late_evening = datetime.fromisoformat("2027-03-28T23:30:00+02:00")  # after the DST switch
    assert ordering.withdrawal_period_end(late_evening) == datetime.fromisoformat(
        "2027-04-12T00:00:00+02:00")
    assert ordering.last_withdrawal_day(ordering.withdrawal_period_end(late_evening)) == \
        (late_evening + timedelta(days=14)).date()
