"""A member without cover on the booking page: the offers beside the slot, buying one and
coming back, paying this booking alone with a day pass (on site or online), and how
"my bookings" says what covers or pays for each booking."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.bookings.service import book, cancel
from coworking.extensions import db
from coworking.memberships.models import Membership, Payment, PaymentMethod, PaymentStatus
from tests.factories import (
    csrf_token,
    give_billing_details,
    give_membership,
    make_plan,
    order_through_summary,
    resources_of,
)

SLOT = ("2027-03-02T10:00:00+01:00", "2027-03-02T12:00:00+01:00")


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2, rooms=1)


@pytest.fixture
def offers(space):
    return {"trial": make_plan("Schnuppertag", kind="day_pass", price_cents=0, spaces=[space],
                               once_per_member=True, validity_days=30),
            "day": make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space]),
            "card": make_plan("10er-Karte", kind="multi_pass", price_cents=12000,
                              spaces=[space]),
            "elsewhere": make_plan("Anderswo", kind="monthly", price_cents=5000)}


@pytest.fixture
def member(make_user, login):
    user = make_user(email="uncovered@example.org", covered=False)
    give_billing_details(user)
    login("uncovered@example.org")
    return user


def booking_page(space, desk, start=SLOT[0]):
    return f"/spaces/{space.slug}/book?resource={desk.id}&start={start.replace('+', '%2B')}"


def submit(client, space, desk, **extra):
    token = csrf_token(client, booking_page(space, desk))
    return client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": desk.id, "start": SLOT[0], "end": SLOT[1], **extra})


def bookings():
    db.session.expire_all()
    return db.session.scalars(select(Booking)).all()


def test_without_cover_the_page_shows_the_offers_and_a_day_pass(space, offers, client, member):
    desk = resources_of(space)[0]
    response = submit(client, space, desk, submit="Jetzt buchen")
    assert response.status_code == 402
    html = response.get_data(as_text=True)
    assert "Kein Tarif von dir deckt diese Buchung ab" in html
    section = html.split('class="offers"')[1]
    assert [int(i) for i in re.findall(r'data-plan="(\d+)"', section)] == [
        offers["trial"].id, offers["day"].id, offers["card"].id]  # cheapest first, not elsewhere
    assert "15,00\xa0€" in section and "120,00\xa0€" in section and "kostenlos" in section
    assert f'name="next" value="{booking_page(space, desk)}' in section.replace("&amp;", "&")
    assert 'value="Mit Tagespass bezahlen"' in html
    assert "Tagespass für diese Buchung: 15,00\xa0€" in html
    assert bookings() == []


def test_a_day_pass_on_site_books_and_says_pay_on_site(space, offers, client, member):
    desk = resources_of(space)[0]
    response = order_through_summary(
        client, submit(client, space, desk, pay_day_pass="Mit Tagespass bezahlen"))
    assert response.status_code == 302 and response.location == "/bookings"
    (booking,) = bookings()
    assert booking.status == "confirmed" and booking.membership_id is None
    payment = db.session.scalar(select(Payment).where(Payment.booking_id == booking.id))
    assert payment.method == PaymentMethod.ON_SITE and payment.status == PaymentStatus.DUE
    assert payment.amount_cents == 1500 and payment.plan_id == offers["day"].id
    html = client.get("/bookings").get_data(as_text=True)
    assert "Bitte zahl den Tagespass (15,00\xa0€) vor Ort." in html
    assert "Tagespass: 15,00\xa0€ vor Ort zahlen" in html


def test_a_day_pass_online_holds_the_desk_and_goes_to_checkout(space, offers, client, member,
                                                                monkeypatch):
    from coworking.billing import checkout, gateway

    def start_checkout(payment_id, success_url, cancel_url):
        payment = db.session.get(Payment, payment_id)
        payment.checkout_url = f"https://checkout.stripe.test/{payment_id}"
        db.session.commit()
        return payment

    monkeypatch.setattr(gateway, "stripe_enabled", lambda: True)
    monkeypatch.setattr(checkout, "start_checkout", start_checkout)
    desk = resources_of(space)[0]
    response = order_through_summary(
        client, submit(client, space, desk, pay_day_pass="Mit Tagespass bezahlen"))
    assert response.location.startswith("https://checkout.stripe.test/")
    (booking,) = bookings()
    assert booking.status == "pending_payment" and booking.hold_until is not None
    html = client.get("/bookings").get_data(as_text=True)
    assert "Tagespass: Zahlung ausstehend (15,00\xa0€)" in html
    assert 'href="https://checkout.stripe.test/' in html


def test_when_online_payment_is_down_the_member_hears_it(space, offers, client, member,
                                                         monkeypatch):
    from coworking.billing import gateway

    monkeypatch.setattr(gateway, "stripe_enabled", lambda: True)
    desk = resources_of(space)[0]
    response = order_through_summary(
        client, submit(client, space, desk, pay_day_pass="Mit Tagespass bezahlen"))
    assert response.location == "/bookings"
    html = client.get("/bookings").get_data(as_text=True)
    assert "Unser Zahlungsanbieter ist gerade nicht erreichbar." in html
    (booking,) = bookings()
    assert booking.status == "cancelled"  # the hold is released at once, nothing charged


def test_buying_an_offer_from_the_booking_page_comes_back_to_the_slot(space, offers, client,
                                                                      member):
    desk = resources_of(space)[0]
    here = booking_page(space, desk)
    response = client.post("/plans/buy", data={"plan_id": offers["trial"].id, "next": here,
                                               "csrf_token": csrf_token(client, here)})
    assert response.status_code == 302 and response.location == here
    response = submit(client, space, desk, submit="Jetzt buchen")
    assert response.status_code == 302 and response.location == "/bookings"
    (booking,) = bookings()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    assert booking.membership_id == membership.id
    assert "Abgedeckt durch Schnuppertag" in client.get("/bookings").get_data(as_text=True)


def test_a_foreign_next_after_buying_is_not_followed(space, offers, client, member):
    response = client.post("/plans/buy", data={
        "plan_id": offers["trial"].id, "next": "https://evil.example/",
        "csrf_token": csrf_token(client, "/plans")})
    assert response.location == "/"


def test_a_meeting_room_without_cover_offers_no_day_pass(space, offers, client, member):
    (room,) = resources_of(space, "meeting_room")
    token = csrf_token(client, booking_page(space, room))
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": room.id, "start": SLOT[0],
        "end": "2027-03-02T11:00:00+01:00", "pay_day_pass": "Mit Tagespass bezahlen"})
    summary = client.get(response.location)  # a day pass is for desks: back to the space
    assert summary.status_code == 302 and summary.location.startswith(f"/spaces/{space.slug}")
    assert bookings() == []
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": room.id, "start": SLOT[0],
        "end": "2027-03-02T11:00:00+01:00"})
    assert response.status_code == 402
    html = response.get_data(as_text=True)
    assert 'value="Mit Tagespass bezahlen"' not in html
    assert "Gerade deckt kein Angebot diese Buchung ab." in html


def test_my_bookings_say_how_each_one_is_covered_or_paid(space, offers, client, member,
                                                         make_user):
    first, second = resources_of(space)
    on_site = book(member, first.id, *map(datetime.fromisoformat, SLOT), pay="day_pass")
    card = give_membership(member, offers["card"])
    covered = book(member, second.id, datetime.fromisoformat("2027-03-03T10:00:00+01:00"),
                   datetime.fromisoformat("2027-03-03T11:00:00+01:00"))
    assert covered.membership_id == card.id
    html = client.get("/bookings").get_data(as_text=True)
    assert "Tagespass: 15,00\xa0€ vor Ort zahlen" in html
    assert "Abgedeckt durch 10er-Karte" in html
    from coworking.bookings.day_pass import confirm_on_site
    confirm_on_site(make_user(role="admin"), on_site.id)
    assert "Tagespass, bezahlt (15,00\xa0€)" in client.get("/bookings").get_data(as_text=True)


def test_cancelling_a_day_pass_booking_leaves_nothing_to_pay(space, offers, client, member):
    booking = book(member, resources_of(space)[0].id, *map(datetime.fromisoformat, SLOT),
                   pay="day_pass")
    cancel(member, booking.id)
    payment = db.session.scalar(select(Payment).where(Payment.booking_id == booking.id))
    assert payment.status == PaymentStatus.EXPIRED
    assert "Tagespass: nichts mehr zu zahlen" in client.get("/bookings").get_data(as_text=True)


def test_the_my_bookings_page_asks_the_same_few_queries_for_many_bookings(space, offers,
                                                                          client, member):
    from sqlalchemy import event

    def queries_for_my_bookings():
        statements = []

        def count(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/bookings").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    desk = resources_of(space)[0]
    book(member, desk.id, *map(datetime.fromisoformat, SLOT), pay="day_pass")
    few = queries_for_my_bookings()
    for day in range(3, 8):
        book(member, desk.id, datetime.fromisoformat(f"2027-03-0{day}T10:00:00+01:00"),
             datetime.fromisoformat(f"2027-03-0{day}T11:00:00+01:00"), pay="day_pass")
    assert queries_for_my_bookings() == few
