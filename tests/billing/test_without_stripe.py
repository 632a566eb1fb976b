"""Without any Stripe configuration the app still sells: passes and day passes are paid on
site and a host confirms them; nothing waits for Stripe, and nothing runs out."""
from datetime import datetime

import pytest

from coworking.billing.gateway import stripe_enabled
from coworking.bookings.service import book
from coworking.jobs import run_all
from coworking.memberships.service import buy, confirm_payment_on_site, credits_left
from tests.billing.paying import fresh, payment_of
from tests.factories import csrf_token, make_plan, resources_of

NINE, TEN = (datetime.fromisoformat(f"2027-03-02T{h}:00:00+01:00") for h in ("09", "10"))


@pytest.fixture
def offline(app, make_space, make_user, frozen):
    space = make_space(desks=1, rooms=0)
    return {"space": space, "desk": resources_of(space)[0], "member": make_user(covered=False),
            "host": make_user(role="host", space=space),
            "card": make_plan("10er-Karte", spaces=[space]),
            "day_pass": make_plan("Tagespass", kind="day_pass", price_cents=1500,
                                  spaces=[space])}


def test_stripe_is_off_without_a_secret_key(app):
    assert not stripe_enabled()


def test_a_pass_paid_on_site_covers_at_once_and_a_host_confirms_the_payment(offline, frozen):
    membership, payment = buy(offline["member"], offline["card"].id, online=stripe_enabled())
    assert (payment.method, payment.status, payment.expires_at) == ("on_site", "due", None)
    assert fresh(membership).status == "active" and credits_left(membership) == 10
    booking = book(offline["member"], offline["desk"].id, NINE, TEN)
    assert booking.membership_id == membership.id

    frozen.set("2027-03-02T08:45:00+01:00")
    run_all()  # nothing of it runs out while the member makes their way to the space
    assert fresh(membership).status == "active" and fresh(payment).status == "due"

    confirm_payment_on_site(offline["host"], membership.id)
    assert fresh(membership).status == "active" and credits_left(membership) == 9
    assert fresh(payment).status == "paid"


def test_a_day_pass_for_one_booking_confirms_it_at_once_to_be_paid_on_site(offline):
    booking = book(offline["member"], offline["desk"].id, NINE, TEN, pay="day_pass",
                   online=stripe_enabled())

    assert booking.status == "confirmed" and booking.hold_until is None
    payment = payment_of(booking_id=booking.id)
    assert (payment.method, payment.status) == ("on_site", "due")
    run_all()
    assert fresh(booking).status == "confirmed"


def test_the_payment_page_asks_to_pay_on_site_and_offers_no_checkout(offline, client, login):
    _membership, payment = buy(offline["member"], offline["card"].id, online=False)
    login(offline["member"].email)

    page = client.get(f"/billing/payments/{payment.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "vor Ort" in text and 'id="pay"' not in text
    assert page.headers["Content-Security-Policy"].endswith("form-action 'self'")

    response = client.post(f"/billing/payments/{payment.id}/checkout",
                           data={"csrf_token": csrf_token(client, "/")}, follow_redirects=True)
    assert response.request.path == f"/billing/payments/{payment.id}"
    assert 'class="flash error"' in response.get_data(as_text=True)
    assert fresh(payment).checkout_session_id is None


def test_webhooks_are_refused_and_change_nothing(offline, client):
    response = client.post("/webhooks/stripe", json={"id": "evt_1", "type": "invoice.paid"})
    assert response.status_code == 400


def test_the_portal_has_nothing_to_open(offline, api):
    membership, _payment = buy(offline["member"], offline["card"].id, online=False)
    response = api(offline["member"]).post(f"/api/v1/memberships/{membership.id}/portal")
    assert response.status_code == 409
