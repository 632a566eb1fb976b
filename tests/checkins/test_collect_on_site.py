"""The host collects what is open on site where the member is: the day card shows the amount,
and checking in confirms the payment in the same tap (over the API with `paid_on_site`);
the payment settles through the plan's own confirmation, so its invoice follows."""
import re

import pytest

from coworking.bookings.service import book
from coworking.memberships.models import MembershipStatus, PaymentStatus
from coworking.memberships.service import buy
from tests.api.test_api_contract import assert_problem, check
from tests.billing.paying import fresh
from tests.checkins.helpers import at, audit_entries, booking_of
from tests.factories import csrf_token, make_plan, resources_of


@pytest.fixture
def bought(space, make_user, frozen):
    """Nina bought a 10-visit card to pay on site and booked 09:00-12:00 on Tuesday with it;
    the clock at 08:50 that day."""
    card = make_plan("10er-Karte", spaces=[space])
    nina = make_user(email="nina@example.org", name="Nina Neu", covered=False)
    membership, payment = buy(nina, card.id, online=False)
    booking = book(nina, resources_of(space)[0].id, at("09:00"), at("12:00"))
    frozen.set("2027-03-02T08:50:00+01:00")
    return {"member": nina, "membership": membership, "payment": payment, "booking": booking}


def card_of(html, booking):
    match = re.search(rf'id="booking-{booking.id}".*?</li>', html, re.S)
    assert match, "the booking is not on the day page"
    return match.group(0)


def tap(client, space, booking, action):
    return client.post(f"/host/{space.slug}/bookings/{booking.id}/{action}",
                       data={"csrf_token": csrf_token(client, f"/host/{space.slug}")})


def test_the_day_card_shows_the_amount_and_one_tap_checks_in_and_collects(
        client, login, space, host, bought):
    login(host.email)
    card = card_of(client.get(f"/host/{space.slug}").get_data(as_text=True), bought["booking"])
    assert "Zahlung vor Ort offen" in card and "120,00\xa0€ · 10er-Karte" in card
    assert "Einchecken · 120,00\xa0€ erhalten</button>" in card
    assert "Einchecken, später zahlen</button>" in card

    response = tap(client, space, bought["booking"], "check-in-paid")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Nina Neu ist eingecheckt und hat bezahlt." in html
    card = card_of(html, bought["booking"])
    assert "Zahlung vor Ort offen" not in card and "Vor Ort bezahlt: 120,00\xa0€" in card
    assert booking_of(bought["booking"].id).status == "checked_in"
    payment = fresh(bought["payment"])
    assert payment.status == PaymentStatus.PAID and payment.confirmed_by_id == host.id
    assert fresh(bought["membership"]).status == MembershipStatus.ACTIVE
    assert [e.action for e in audit_entries()] == ["booking.checked_in",
                                                   "payment.paid_on_site"]
    assert client.get("/host/payments").get_data(as_text=True).count("data-membership") == 0


def test_checking_in_first_and_collecting_later_is_one_tap_each(client, login, space, host,
                                                                bought):
    login(host.email)
    tap(client, space, bought["booking"], "check-in")
    assert fresh(bought["payment"]).status == PaymentStatus.DUE
    card = card_of(client.get(f"/host/{space.slug}").get_data(as_text=True), bought["booking"])
    assert "Vor Ort bezahlt</button>" in card
    tap(client, space, bought["booking"], "paid")
    assert fresh(bought["payment"]).status == PaymentStatus.PAID
    assert "Nina Neu hat vor Ort bezahlt." in client.get(f"/host/{space.slug}").get_data(
        as_text=True)


def test_a_booking_with_nothing_to_pay_offers_the_plain_check_in_only(
        client, login, space, host, make_user, frozen):
    anna = make_user(name="Anna Abo")
    booking = book(anna, resources_of(space)[1].id, at("09:00"), at("10:00"))
    frozen.set("2027-03-02T08:50:00+01:00")
    login(host.email)
    card = card_of(client.get(f"/host/{space.slug}").get_data(as_text=True), booking)
    assert "Zahlung vor Ort offen" not in card and "erhalten</button>" not in card
    response = tap(client, space, booking, "check-in-paid")
    html = client.get(response.location).get_data(as_text=True)
    assert "Für diese Buchung ist vor Ort nichts zu zahlen." in html
    assert booking_of(booking.id).status == "confirmed"  # nothing half done


def test_the_api_shows_the_open_payment_on_the_day_and_settles_it_at_check_in(
        api, space, host, bought):
    as_host = api(host)
    day = as_host.get(f"/api/v1/spaces/{space.slug}/day")
    check(day, "/api/v1/spaces/{slug}/day", "get")
    (shown,) = [b for b in day.json["bookings"] if b["id"] == bought["booking"].id]
    assert shown["payment"] == {"method": "on_site", "amount_cents": 12000, "status": "due"}

    response = as_host.post(f"/api/v1/bookings/{bought['booking'].id}/check-in",
                            json={"paid_on_site": True})
    check(response, "/api/v1/bookings/{booking_id}/check-in", "post")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "checked_in"
    assert response.json["payment"] == {"method": "on_site", "amount_cents": 12000,
                                        "status": "paid"}
    again = as_host.post(f"/api/v1/bookings/{bought['booking'].id}/check-in",
                         json={"paid_on_site": True})
    assert again.status_code == 200 and again.json["payment"]["status"] == "paid"


@pytest.mark.parametrize("value", ["yes", 1, None, {}])
def test_paid_on_site_must_be_true_or_false(api, space, host, bought, value):
    body = {"paid_on_site": value} if value is not None else {"paid_on_site": None, "x": 1}
    response = api(host).post(f"/api/v1/bookings/{bought['booking'].id}/check-in", json=body)
    if value is None:  # null is "not given": a plain check-in
        assert response.status_code == 200
        assert fresh(bought["payment"]).status == PaymentStatus.DUE
        return
    assert_problem(response, 422, "paid_on_site")
    assert booking_of(bought["booking"].id).status == "confirmed"


def test_only_a_host_of_the_space_confirms_a_payment(api, space, bought, make_user,
                                                     make_space):
    from datetime import date

    from coworking.checkins.codes import daily_code

    member = api(bought["member"])
    response = member.post(f"/api/v1/bookings/{bought['booking'].id}/check-in", json={
        "code": daily_code(space, date(2027, 3, 2)), "paid_on_site": True})
    assert_problem(response, 403)
    other_host = make_user(role="host", space=make_space(desks=1, rooms=0))
    response = api(other_host).post(f"/api/v1/bookings/{bought['booking'].id}/check-in",
                                    json={"paid_on_site": True})
    assert response.status_code == 404
    assert fresh(bought["payment"]).status == PaymentStatus.DUE
    assert booking_of(bought["booking"].id).status == "confirmed"


def test_self_check_in_reminds_the_member_to_pay(client, login, space, bought):
    from datetime import date

    from coworking.checkins.codes import daily_code

    code = daily_code(space, date(2027, 3, 2))
    login("nina@example.org")
    response = client.post(f"/checkin/{space.slug}", data={
        "code": code, "booking_id": bought["booking"].id,
        "csrf_token": csrf_token(client, f"/checkin/{space.slug}?code={code}")},
        follow_redirects=True)
    assert "Zahlung vor Ort offen: Bitte zahl 120,00\xa0€ für deinen Tarif „10er-Karte“ beim Host." in \
        response.get_data(as_text=True)
