"""Plans, memberships and paying for bookings over the API, in the contract's shapes, with bad
input refused and every answer checked against the OpenAPI document."""

import pytest
from sqlalchemy import event

from coworking import clock
from coworking.extensions import db
from tests.api.test_api_contract import assert_problem, check
from tests.factories import give_billing_details, give_membership, make_plan, resources_of

SLOT = {"start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T11:00:00+01:00"}


@pytest.fixture
def space(make_space, frozen):
    return make_space(slug="wittenberge", desks=2, rooms=1)


@pytest.fixture
def other_space(make_space):
    return make_space(slug="moelln", desks=1, rooms=0)


@pytest.fixture
def plans(space, other_space):
    return {
        "trial": make_plan("Schnuppertag", kind="day_pass", price_cents=0, all_spaces=True,
                           once_per_member=True, validity_days=30),
        "day": make_plan("Tagespass", kind="day_pass", price_cents=1500, all_spaces=True),
        "card": make_plan("10er-Karte", kind="multi_pass", price_cents=12000, spaces=[space]),
        "monthly": make_plan("Monatstarif", kind="monthly", price_cents=9900, spaces=[space],
                             days_per_month=12, meeting_room_hours=4),
    }


@pytest.fixture
def member(api):
    member = api(covered=False)
    give_billing_details(member.user)
    return member


def test_plans_are_public_in_the_contracts_shape(client, plans, space):
    response = client.get("/api/v1/plans")
    check(response, "/api/v1/plans", "get")
    shown = {p["name"]: p for p in response.json}
    assert [p["name"] for p in response.json] == ["Schnuppertag", "Tagespass", "Monatstarif",
                                                 "10er-Karte"]
    assert shown["10er-Karte"] == {
        "id": plans["card"].id, "name": "10er-Karte", "kind": "multi_pass",
        "price_cents": 12000, "currency": "EUR", "vat_rate": 19, "spaces": ["wittenberge"],
        "seller": plans["card"].seller.slug, "credits": 10, "days_per_month": None,
        "validity_days": 180}
    # A plan for one space is sold by that space's operator.
    assert shown["10er-Karte"]["seller"] == plans["card"].spaces[0].operator.slug
    assert shown["Tagespass"]["spaces"] == ["wittenberge", "moelln"]  # every space, by name
    assert shown["Monatstarif"]["credits"] is None
    assert shown["Monatstarif"]["days_per_month"] == 12
    assert shown["Monatstarif"]["validity_days"] is None


def test_a_retired_plan_is_no_longer_listed(client, plans):
    plans["day"].retired_at = clock.utcnow()
    db.session.commit()
    assert "Tagespass" not in [p["name"] for p in client.get("/api/v1/plans").json]


def test_buying_on_site_is_active_at_once_with_its_payment_due(member, plans):
    response = member.post("/api/v1/memberships",
                           json={"plan_id": plans["card"].id, "early_start": True})
    check(response, "/api/v1/memberships", "post")
    assert response.status_code == 201
    assert response.json == {
        "id": response.json["id"], "plan_id": plans["card"].id, "status": "active",
        "spaces": ["wittenberge"], "current_period_end": "2027-08-28T08:00:00+02:00",
        "credits_left": 10,
        "payment": {"method": "on_site", "amount_cents": 12000, "status": "due"},
        "usable_from": None}
    listed = member.get("/api/v1/me/memberships")
    check(listed, "/api/v1/me/memberships", "get")
    assert listed.json == [response.json]


def test_a_free_trial_is_active_at_once_and_only_once(member, plans):
    response = member.post("/api/v1/memberships", json={"plan_id": plans["trial"].id})
    assert response.status_code == 201
    assert response.json["status"] == "active" and response.json["payment"] is None
    assert response.json["credits_left"] == 1
    assert response.json["current_period_end"] == "2027-03-31T08:00:00+02:00"
    again = member.post("/api/v1/memberships", json={"plan_id": plans["trial"].id})
    assert_problem(again, 409, "plan_id")
    check(again, "/api/v1/memberships", "post")


@pytest.mark.parametrize("body", [
    {}, {"plan_id": "1"}, {"plan_id": True}, {"plan_id": 1.5}, {"plan_id": None},
    {"plan_id": [1]}, {"plan_id": 0}, {"plan_id": 2**31}, {"plan_id": 424242},
])
def test_a_plan_id_of_the_wrong_type_or_unknown_is_422(member, plans, body):
    response = member.post("/api/v1/memberships", json=body)
    assert_problem(response, 422, "plan_id")
    check(response, "/api/v1/memberships", "post")
    assert member.get("/api/v1/me/memberships").json == []


def test_a_retired_plan_cannot_be_bought(member, plans):
    plans["card"].retired_at = clock.utcnow()
    db.session.commit()
    assert_problem(member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True}),
                   422, "plan_id")


def test_buying_needs_a_sign_in_and_json(client, member, plans):
    assert_problem(client.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True}), 401)
    response = member.post("/api/v1/memberships", data="plan_id=1", content_type="text/plain")
    assert_problem(response, 415)
    check(response, "/api/v1/memberships", "post")


def test_a_host_of_a_covered_space_confirms_and_the_pass_gets_its_credits(
        api, member, plans, space, other_space, make_user):
    bought = member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True}).json
    path = f"/api/v1/memberships/{bought['id']}/confirm-payment"
    own = member.post(path)
    assert_problem(own, 403)
    check(own, "/api/v1/memberships/{membership_id}/confirm-payment", "post")
    elsewhere = api(make_user(role="host", space=other_space)).post(path)
    assert_problem(elsewhere, 404)
    check(elsewhere, "/api/v1/memberships/{membership_id}/confirm-payment", "post")
    assert_problem(api().post(path), 404)
    host = api(make_user(role="host", space=space))
    confirmed = host.post(path)
    check(confirmed, "/api/v1/memberships/{membership_id}/confirm-payment", "post")
    assert confirmed.status_code == 200
    assert confirmed.json["status"] == "active" and confirmed.json["credits_left"] == 10
    assert confirmed.json["payment"] == {"method": "on_site", "amount_cents": 12000,
                                         "status": "paid"}
    assert confirmed.json["current_period_end"] == "2027-08-28T08:00:00+02:00"
    assert host.post(path).json == confirmed.json  # confirming twice changes nothing
    assert member.get("/api/v1/me/memberships").json == [confirmed.json]
    assert_problem(host.post("/api/v1/memberships/999999/confirm-payment"), 404)


def test_any_host_confirms_a_plan_for_every_space(api, member, plans, other_space, make_user):
    bought = member.post("/api/v1/memberships", json={"plan_id": plans["day"].id, "early_start": True}).json
    host = api(make_user(role="host", space=other_space))
    response = host.post(f"/api/v1/memberships/{bought['id']}/confirm-payment")
    assert response.status_code == 200 and response.json["status"] == "active"


def test_another_members_membership_is_not_shown(api, member, plans):
    member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True})
    assert api(covered=False).get("/api/v1/me/memberships").json == []


def test_without_cover_booking_is_402_with_offers(member, plans, space):
    desk = resources_of(space)[0]
    response = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT})
    assert_problem(response, 402)
    check(response, "/api/v1/bookings", "post")
    office, town = plans["day"].seller, space.operator
    sold = {"seller_name": office.legal_name, "seller": office.slug, "sells_online": True}
    here = {"seller_name": town.legal_name, "seller": town.slug, "sells_online": True}
    assert response.json["offers"] == [
        {"plan_id": plans["trial"].id, "name": "Schnuppertag", "kind": "day_pass",
         "price_cents": 0, **sold},
        {"plan_id": plans["day"].id, "name": "Tagespass", "kind": "day_pass", "price_cents": 1500,
         **sold},
        {"plan_id": plans["monthly"].id, "name": "Monatstarif", "kind": "monthly",
         "price_cents": 9900, **here},
        {"plan_id": plans["card"].id, "name": "10er-Karte", "kind": "multi_pass",
         "price_cents": 12000, **here}]


def test_a_day_pass_on_site_confirms_the_booking_with_a_payment_due(member, plans, space):
    desk = resources_of(space)[0]
    response = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT,
                                                     "pay": "day_pass", "early_start": True})
    check(response, "/api/v1/bookings", "post")
    assert response.status_code == 201
    assert response.json["status"] == "confirmed" and response.json["covered_by"] is None
    assert response.json["payment"] == {"method": "on_site", "amount_cents": 1500,
                                        "status": "due"}
    listed = member.get("/api/v1/bookings")
    check(listed, "/api/v1/bookings", "get")
    assert listed.json == [response.json]


@pytest.mark.parametrize("pay", ["monthly", "DAY_PASS", "", 1, True, ["day_pass"], {"a": 1}])
def test_any_other_way_to_pay_is_422_naming_pay(member, plans, space, pay):
    desk = resources_of(space)[0]
    response = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT, "pay": pay})
    assert_problem(response, 422, "pay")
    assert member.get("/api/v1/bookings").json == []


def test_a_covered_booking_says_which_membership_covers_it(api, plans, space):
    covered = api()  # holds an unlimited plan
    desk = resources_of(space)[0]
    response = covered.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT,
                                                      "pay": "day_pass", "early_start": True})
    assert response.status_code == 201
    (membership,) = covered.get("/api/v1/me/memberships").json
    assert response.json["covered_by"] == {"membership_id": membership["id"]}
    assert response.json["payment"] is None  # the membership pays; no day pass is charged


def test_a_host_confirms_a_day_pass_paid_on_site(api, member, plans, space, other_space,
                                                 make_user):
    desk = resources_of(space)[0]
    booked = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT,
                                                   "pay": "day_pass", "early_start": True}).json
    path = f"/api/v1/bookings/{booked['id']}/confirm-payment"
    documented = "/api/v1/bookings/{booking_id}/confirm-payment"
    for caller, status in ((member, 403), (api(make_user(role="host", space=other_space)), 404),
                           (api(), 404)):
        response = caller.post(path)
        assert_problem(response, status)
        check(response, documented, "post")
    host = api(make_user(role="host", space=space))
    confirmed = host.post(path)
    check(confirmed, documented, "post")
    assert confirmed.json["payment"] == {"method": "on_site", "amount_cents": 1500,
                                         "status": "paid"}
    assert host.post(path).json == confirmed.json
    assert member.get(f"/api/v1/bookings/{booked['id']}").json == confirmed.json


def test_a_covered_or_cancelled_booking_has_nothing_to_confirm(api, member, plans, space,
                                                               make_user):
    host = api(make_user(role="host", space=space))
    first, second = resources_of(space)
    covered = api().post("/api/v1/bookings", json={"resource_id": first.id, **SLOT}).json
    response = host.post(f"/api/v1/bookings/{covered['id']}/confirm-payment")
    assert_problem(response, 409)
    check(response, "/api/v1/bookings/{booking_id}/confirm-payment", "post")
    booked = member.post("/api/v1/bookings", json={"resource_id": second.id, **SLOT,
                                                   "pay": "day_pass", "early_start": True}).json
    cancelled = member.post(f"/api/v1/bookings/{booked['id']}/cancel")
    check(cancelled, "/api/v1/bookings/{booking_id}/cancel", "post")
    assert cancelled.json["payment"]["status"] == "expired"
    assert_problem(host.post(f"/api/v1/bookings/{booked['id']}/confirm-payment"), 409)


def test_with_stripe_buying_and_day_passes_return_the_checkout(api, member, plans, space,
                                                               monkeypatch):
    from coworking.billing import checkout, gateway
    from coworking.memberships.models import Payment

    def start_checkout(payment_id, success_url, cancel_url):
        payment = db.session.get(Payment, payment_id)
        payment.checkout_url = f"https://checkout.stripe.test/c/{payment_id}"
        db.session.commit()
        return payment

    monkeypatch.setattr(gateway, "stripe_enabled", lambda: True)
    monkeypatch.setattr(checkout, "start_checkout", start_checkout)
    bought = member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True})
    check(bought, "/api/v1/memberships", "post")
    assert bought.json["status"] == "pending"
    assert bought.json["payment"] == {
        "method": "stripe", "status": "due", "expires_at": "2027-03-01T07:30:00+01:00",
        "checkout_url": bought.json["payment"]["checkout_url"]}
    assert bought.json["payment"]["checkout_url"].startswith("https://checkout.stripe.test/c/")
    desk = resources_of(space)[0]
    booked = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT,
                                                   "pay": "day_pass", "early_start": True})
    check(booked, "/api/v1/bookings", "post")
    assert booked.json["status"] == "pending_payment"
    assert booked.json["payment"]["method"] == "stripe"
    assert booked.json["payment"]["checkout_url"].startswith("https://checkout.stripe.test/c/")
    assert booked.json["payment"]["expires_at"] == "2027-03-01T07:30:00+01:00"


def test_without_stripe_reachable_buying_online_is_a_problem(member, plans, monkeypatch):
    from coworking.billing import gateway

    monkeypatch.setattr(gateway, "stripe_enabled", lambda: True)
    response = member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True})
    assert_problem(response, 503)
    check(response, "/api/v1/memberships", "post")


def count_queries(call):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert call().status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_lists_load_their_payments_in_one_query_whatever_their_length(member, plans, space):
    desk = resources_of(space)[0]

    def book(day, **extra):
        return member.post("/api/v1/bookings", json={
            "resource_id": desk.id, "start": f"2027-03-{day:02}T09:00:00+01:00",
            "end": f"2027-03-{day:02}T10:00:00+01:00", **extra})

    book(2, pay="day_pass", early_start=True)
    member.post("/api/v1/memberships", json={"plan_id": plans["card"].id, "early_start": True})
    book(3)  # covered by the card, which is still to be paid on site
    bookings = count_queries(lambda: member.get("/api/v1/bookings"))
    memberships = count_queries(lambda: member.get("/api/v1/me/memberships"))
    for day in range(4, 9):
        assert book(day).json["payment"]["status"] == "due"
        give_membership(member.user, plans["day"])
    assert len(member.get("/api/v1/bookings").json) == 7
    assert count_queries(lambda: member.get("/api/v1/bookings")) == bookings
    assert count_queries(lambda: member.get("/api/v1/me/memberships")) == memberships


def test_a_pass_spent_on_a_booking_shows_fewer_credits(api, plans, space, make_user):
    user = make_user(covered=False)
    give_membership(user, plans["card"])
    member = api(user)
    desk = resources_of(space)[0]
    booked = member.post("/api/v1/bookings", json={"resource_id": desk.id, **SLOT})
    assert booked.status_code == 201 and booked.json["covered_by"] is not None
    (membership,) = member.get("/api/v1/me/memberships").json
    assert membership["credits_left"] == 9 and membership["payment"] is None
