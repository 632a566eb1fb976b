"""A plan bought to pay on site covers bookings at once, each marked "Zahlung vor Ort offen";
a member has one such open purchase at a time (the database holds to it when purchases race);
one nobody came to use lapses after 14 days."""
import threading
from datetime import date, datetime, time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking.accounts.service import issue_api_token
from coworking.bookings.series import book_series
from coworking.bookings.service import book
from coworking.checkins.service import check_in
from coworking.database import use_case
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import Payment, PaymentMethod, PaymentStatus
from coworking.memberships.service import buy, confirm_payment_on_site, credits_left
from coworking.outbox import OutboxMessage
from tests.api.test_api_contract import assert_problem, check
from tests.billing.paying import fresh, ledger
from tests.factories import csrf_token, give_billing_details, make_plan, resources_of

NINE, TEN = (datetime.fromisoformat(f"2027-03-02T{h}:00:00+01:00") for h in ("09", "10"))


@pytest.fixture
def shop(make_space, make_user, frozen):
    space = make_space(slug="moelln", desks=2, rooms=0, public_holidays_closed=False)
    return {"space": space, "desk": resources_of(space)[0],
            "card": make_plan("10er-Karte", spaces=[space]),
            "monthly": make_plan("Monatstarif", kind="monthly", price_cents=9900,
                                 spaces=[space]),
            "trial": make_plan("Schnuppertag", kind="day_pass", price_cents=0, all_spaces=True,
                               once_per_member=True, validity_days=30),
            "host": make_user(email="host@example.org", role="host", space=space)}


@pytest.fixture
def member(api):
    client = api(name="Nina Neu", covered=False)
    give_billing_details(client.user)
    return client


def mails_about(subject_part):
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail"))
        if subject_part in m.payload["subject"]]


def test_a_card_bought_on_site_books_at_once_and_each_booking_shows_the_open_payment(
        shop, member):
    bought = member.post("/api/v1/memberships",
                         json={"plan_id": shop["card"].id, "early_start": True})
    assert bought.status_code == 201 and bought.json["status"] == "active"
    assert bought.json["credits_left"] == 10

    booked = member.post("/api/v1/bookings", json={
        "resource_id": shop["desk"].id, "start": NINE.isoformat(), "end": TEN.isoformat()})
    check(booked, "/api/v1/bookings", "post")
    assert booked.status_code == 201, booked.json
    assert booked.json["status"] == "confirmed"
    assert booked.json["covered_by"] == {"membership_id": bought.json["id"]}
    assert booked.json["payment"] == {"method": "on_site", "amount_cents": 12000,
                                      "status": "due"}
    listed = member.get("/api/v1/bookings")
    check(listed, "/api/v1/bookings", "get")
    assert listed.json[0]["payment"]["status"] == "due"
    (mail,) = mails_about("10er-Karte")
    assert "Bitte zahl vor Ort bei deinem nächsten Besuch" in mail["text"]


def test_the_members_pages_mark_what_is_still_to_be_paid_on_site(shop, make_user, client,
                                                                 login):
    user = make_user(email="nina@example.org", covered=False)
    buy(user, shop["card"].id, online=False)
    booking = book(user, shop["desk"].id, NINE, TEN)
    login("nina@example.org")
    html = client.get("/bookings").get_data(as_text=True)
    item = html.split(f'id="booking-{booking.id}"')[1].split("</li>")[0]
    assert "Gilt mit 10er-Karte" in item or "10er-Karte" in item
    assert "Zahlung vor Ort offen" in item and "120,00\xa0€" in item
    memberships = client.get("/memberships").get_data(as_text=True)
    assert "Zahlung vor Ort offen" in memberships and "gilt schon für deine Buchungen" in memberships

    confirm_payment_on_site(shop["host"], booking.membership_id)
    html = client.get("/bookings").get_data(as_text=True)
    assert "Zahlung vor Ort offen" not in html


def test_a_series_is_covered_by_the_open_purchase_too(shop, make_user):
    user = make_user(covered=False)
    membership, _payment = buy(user, shop["card"].id, online=False)
    result = book_series(user, shop["space"], "hot_desk", [1, 3], time(9), time(12),
                         date(2027, 3, 2), 2)
    assert len(result.booked) == 4 and not result.skipped
    assert {d.booking.membership_id for d in result.booked} == {membership.id}
    assert credits_left(fresh(membership)) == 6


def test_a_second_purchase_on_site_waits_until_the_first_is_paid(shop, member):
    first = member.post("/api/v1/memberships",
                        json={"plan_id": shop["card"].id, "early_start": True})
    second = member.post("/api/v1/memberships",
                         json={"plan_id": shop["monthly"].id, "early_start": True})
    check(second, "/api/v1/memberships", "post")
    assert_problem(second, 409, "plan_id")
    assert "10er-Karte" in second.json["detail"] and "€120.00" in second.json["detail"]
    # A free trial needs no payment, so it is not held back.
    assert member.post("/api/v1/memberships",
                       json={"plan_id": shop["trial"].id, "early_start": True}).status_code == 201

    confirm_payment_on_site(shop["host"], first.json["id"])
    again = member.post("/api/v1/memberships",
                        json={"plan_id": shop["monthly"].id, "early_start": True})
    assert again.status_code == 201 and again.json["payment"]["status"] == "due"


def test_the_plans_page_says_why_a_second_purchase_on_site_is_refused(shop, make_user, client,
                                                                      login):
    user = make_user(email="zwei@example.org", covered=False)
    give_billing_details(user)
    buy(user, shop["card"].id, online=False)
    login("zwei@example.org")
    order = f"/plans/{shop['monthly'].id}/order"
    assert "Du musst deinen Tarif „10er-Karte“ noch vor Ort bezahlen (120,00\xa0€)" in \
        client.get(order).get_data(as_text=True)
    response = client.post(order, data={"early_start": "y",
                                        "csrf_token": csrf_token(client, order)})
    assert response.status_code == 409
    assert "Du musst deinen Tarif „10er-Karte“ noch vor Ort bezahlen (120,00\xa0€)" in \
        response.get_data(as_text=True)


def test_the_database_refuses_a_second_open_purchase(shop, make_user):
    user = make_user(covered=False)
    _membership, payment = buy(user, shop["card"].id, online=False)

    @use_case
    def sneak_in():
        db.session.add(Payment(user_id=user.id, plan_id=shop["monthly"].id,
                               membership_id=payment.membership_id,
                               method=PaymentMethod.ON_SITE, status=PaymentStatus.DUE,
                               amount_cents=9900, vat_basis_points=1900))

    with pytest.raises(IntegrityError):
        sneak_in()


def test_purchases_racing_each_other_leave_exactly_one_open(shop, make_user, app):
    """Taps on two devices at once: on PostgreSQL both pass the check before either has
    written, and the partial unique index decides; a lost race is a 409, never a 500."""
    user = make_user(covered=False)
    give_billing_details(user)
    plans = [shop["card"].id, shop["monthly"].id] * 3
    tokens = [issue_api_token(user) for _ in plans]
    barrier = threading.Barrier(len(plans))
    answers, lock = [], threading.Lock()

    def purchase(token, plan_id):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = client.post("/api/v1/memberships",
                               json={"plan_id": plan_id, "early_start": True},
                               headers={"Authorization": f"Bearer {token}"})
        with lock:
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=purchase, args=pair) for pair in zip(tokens, plans)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(code for code, _ in answers) == [201] + [409] * (len(plans) - 1), answers
    assert all(body["detail"] for code, body in answers if code == 409)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Payment).where(
        Payment.user_id == user.id, Payment.status == PaymentStatus.DUE)) == 1


def test_paying_online_is_not_held_back_by_an_open_purchase_on_site(shop, make_user):
    user = make_user(covered=False)
    buy(user, shop["card"].id, online=False)
    _membership, payment = buy(user, shop["monthly"].id, online=True)
    assert payment.method == PaymentMethod.STRIPE


def test_a_purchase_nobody_came_to_use_lapses_after_14_days(shop, make_user, frozen):
    user = make_user(covered=False)
    membership, payment = buy(user, shop["card"].id, online=False)
    frozen.set("2027-03-14T12:00:00+01:00")
    run_all()
    assert fresh(membership).status == "active"
    frozen.set("2027-03-15T08:00:00+01:00")
    run_all()
    assert fresh(membership).status == "expired" and fresh(payment).status == "expired"
    assert ledger(membership) == [(10, "purchase"), (-10, "unpaid")]
    (mail,) = mails_about("Beendet")
    assert "innerhalb von 14 Tagen weder genutzt noch bezahlt" in mail["text"]
    with pytest.raises(Conflict):
        confirm_payment_on_site(shop["host"], membership.id)
    # Now another purchase on site is possible.
    assert buy(user, shop["monthly"].id, online=False)[1].status == PaymentStatus.DUE


def test_a_booking_ahead_keeps_the_purchase_open_until_that_visit(shop, make_user, frozen):
    user = make_user(covered=False)
    membership, _payment = buy(user, shop["card"].id, online=False)
    late = book(user, shop["desk"].id, datetime.fromisoformat("2027-03-22T09:00:00+01:00"),
                datetime.fromisoformat("2027-03-22T10:00:00+01:00"))
    frozen.set("2027-03-20T08:00:00+01:00")
    run_all()
    assert fresh(membership).status == "active" and fresh(late).status == "confirmed"
    frozen.set("2027-03-23T08:00:00+01:00")  # nobody came: a no-show, and then it lapses
    run_all()
    assert fresh(late).status == "no_show" and fresh(membership).status == "expired"


def test_a_purchase_used_but_not_yet_paid_stays_open_for_the_host(shop, make_user, frozen):
    user = make_user(covered=False)
    membership, payment = buy(user, shop["card"].id, online=False)
    booking = book(user, shop["desk"].id, NINE, TEN)
    frozen.set("2027-03-02T09:05:00+01:00")
    check_in(shop["host"], booking.id)  # the host forgot to collect
    frozen.set("2027-04-01T08:00:00+01:00")
    run_all()
    assert fresh(membership).status == "active" and fresh(payment).status == "due"
    confirm_payment_on_site(shop["host"], membership.id)
    assert fresh(payment).status == "paid"
