"""Without Stripe members pay on site: a plan bought so covers at once, one such open purchase
per member; a host sees what is due at their space (plans covering it and day passes of
bookings there) and confirms each payment with one button."""
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking.bookings.service import book
from coworking.errors import Conflict, Forbidden, NotFound
from coworking.extensions import db
from coworking.memberships.models import Membership, MembershipStatus, Payment, PaymentStatus
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.factories import csrf_token, make_plan, resources_of

SLOT = (datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
        datetime.fromisoformat("2027-03-02T12:00:00+01:00"))


@pytest.fixture
def spaces(make_space, frozen):
    return make_space(desks=2), make_space(desks=1)


@pytest.fixture
def plans(spaces):
    here, there = spaces
    return {"here": make_plan("Karte hier", spaces=[here]),
            "there": make_plan("Karte dort", spaces=[there]),
            "network": make_plan("Netzwerk", kind="monthly", price_cents=14900, all_spaces=True),
            "day": make_plan("Tagespass", kind="day_pass", price_cents=1500, all_spaces=True)}


@pytest.fixture
def host(spaces, make_user, login):
    user = make_user(email="host@example.org", name="Hanna Host", role="host", space=spaces[0])
    login("host@example.org")
    return user


@pytest.fixture
def buyer(make_user):
    return make_user(email="buyer@example.org", name="Bea Buyer", covered=False)


def test_a_host_sees_what_is_due_at_their_space_only(client, spaces, plans, host, buyer,
                                                     make_user):
    here, there = spaces
    wanted = [buy(make_user(covered=False), plans[name].id, online=False)[0]
              for name in ("here", "network")]
    not_here = buy(buyer, plans["there"].id, online=False)[0]
    day_pass = book(buyer, resources_of(here)[0].id, *SLOT, pay="day_pass")
    elsewhere = book(buyer, resources_of(there)[0].id, SLOT[0].replace(day=3),
                     SLOT[1].replace(day=3), pay="day_pass")
    html = client.get("/host/payments").get_data(as_text=True)
    assert "<h1>Zahlungen vor Ort</h1>" in html
    for membership in wanted:
        assert f'data-membership="{membership.id}"' in html
    assert f'data-membership="{not_here.id}"' not in html
    assert f'data-booking="{day_pass.id}"' in html
    assert f'data-booking="{elsewhere.id}"' not in html
    assert "Bea Buyer" in html and "149,00\xa0€" in html and "15,00\xa0€" in html
    assert 'href="/host/payments">Zahlungen vor Ort</a>' in html


def test_confirming_a_plan_activates_it_and_removes_it_from_the_list(client, spaces, plans,
                                                                      host, buyer):
    membership, payment = buy(buyer, plans["here"].id, online=False)
    response = client.post(f"/host/memberships/{membership.id}/confirm-payment",
                           data={"csrf_token": csrf_token(client, "/host/payments")})
    assert response.status_code == 302 and response.location == "/host/payments"
    html = client.get("/host/payments").get_data(as_text=True)
    assert "Zahlung bestätigt: Die Mitgliedschaft ist aktiv." in html
    assert f'data-membership="{membership.id}"' not in html
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).status == MembershipStatus.ACTIVE
    payment = db.session.get(Payment, payment.id)
    assert payment.status == PaymentStatus.PAID and payment.confirmed_by_id == host.id


def test_confirming_a_day_pass_marks_it_paid(client, spaces, plans, host, buyer):
    booking = book(buyer, resources_of(spaces[0])[0].id, *SLOT, pay="day_pass")
    response = client.post(f"/host/bookings/{booking.id}/confirm-payment",
                           data={"csrf_token": csrf_token(client, "/host/payments")})
    assert response.status_code == 302
    html = client.get("/host/payments").get_data(as_text=True)
    assert "Zahlung bestätigt: Der Tagespass ist bezahlt." in html
    assert f'data-booking="{booking.id}"' not in html
    payment = db.session.scalar(select(Payment).where(Payment.booking_id == booking.id))
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.PAID and payment.paid_at is not None


def test_another_spaces_payments_are_not_this_hosts_to_confirm(client, spaces, plans, host,
                                                               buyer):
    membership, _payment = buy(buyer, plans["there"].id, online=False)
    booking = book(buyer, resources_of(spaces[1])[0].id, *SLOT, pay="day_pass")
    token = csrf_token(client, "/host/payments")
    assert client.post(f"/host/memberships/{membership.id}/confirm-payment",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/host/bookings/{booking.id}/confirm-payment",
                       data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Payment, _payment.id).status == PaymentStatus.DUE


def test_a_cancelled_day_pass_is_not_collected(client, spaces, plans, host, buyer):
    from coworking.bookings.service import cancel

    booking = book(buyer, resources_of(spaces[0])[0].id, *SLOT, pay="day_pass")
    cancel(buyer, booking.id)
    assert f'data-booking="{booking.id}"' not in client.get("/host/payments").get_data(
        as_text=True)
    response = client.post(f"/host/bookings/{booking.id}/confirm-payment",
                           data={"csrf_token": csrf_token(client, "/host/payments")})
    assert response.status_code == 302
    assert "Diese Buchung ist storniert" in client.get("/host/payments").get_data(as_text=True)


def test_members_do_not_get_the_host_page(client, make_user, login, spaces):
    make_user(email="m@example.org")
    login("m@example.org")
    assert client.get("/host/payments").status_code == 403
    assert "/host/payments" not in client.get("/").get_data(as_text=True)


def test_confirming_a_membership_follows_the_rules(spaces, plans, buyer, make_user):
    here, there = spaces
    membership, _payment = buy(buyer, plans["here"].id, online=False)
    with pytest.raises(Forbidden):
        confirm_payment_on_site(buyer, membership.id)
    with pytest.raises(NotFound):
        confirm_payment_on_site(make_user(role="host", space=there), membership.id)
    with pytest.raises(NotFound):
        confirm_payment_on_site(make_user(), 999_999)
    confirmed = confirm_payment_on_site(make_user(role="host", space=here), membership.id)
    assert confirmed.status == MembershipStatus.ACTIVE
    ended, _payment = buy(buyer, plans["here"].id, online=False)  # the first one is paid

    from coworking.database import use_case

    @use_case
    def end_it():
        from coworking import clock

        db.session.get(Membership, ended.id).end(clock.utcnow())

    end_it()
    with pytest.raises(Conflict):
        confirm_payment_on_site(make_user(role="admin"), ended.id)


def test_a_payment_made_online_is_not_confirmed_on_site(spaces, plans, buyer, make_user):
    membership, payment = buy(buyer, plans["here"].id, online=True)
    with pytest.raises(Conflict):
        confirm_payment_on_site(make_user(role="admin"), membership.id)
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).status == PaymentStatus.DUE


def test_a_confirmed_plan_payment_is_in_the_space_s_history(spaces, plans, host, buyer):
    from coworking import audit

    here, _there = spaces
    for name in ("here", "network"):
        membership = buy(buyer, plans[name].id, online=False)[0]  # one open at a time
        confirm_payment_on_site(host, membership.id)
    entries = audit.recent(here.id)
    assert [(e.actor_id, e.action, e.after["status"]) for e in entries] == \
        [(host.id, "payment.paid_on_site", "paid")] * 2
    assert {e.after["amount_cents"] for e in entries} == {plans["here"].price_cents, 14900}
