"""The member's pages: the plans on offer with German prices, buying one (free, on site,
online), and "my membership" with credits, history, renewal and receipts."""
import re

import pytest
from sqlalchemy import select

from coworking import clock
from coworking.database import use_case
from coworking.extensions import db
from coworking.memberships.models import (
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
)
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.factories import csrf_token, give_billing_details, make_plan


@pytest.fixture
def space(make_space, frozen):
    return make_space(slug="wittenberge", desks=2)


@pytest.fixture
def plans(space):
    return {
        "trial": make_plan("Schnuppertag", kind="day_pass", price_cents=0, all_spaces=True,
                           once_per_member=True, validity_days=30),
        "day": make_plan("Tagespass", kind="day_pass", price_cents=1500, all_spaces=True),
        "card": make_plan("10er-Karte", kind="multi_pass", price_cents=12000, all_spaces=True),
        "monthly": make_plan("Monatstarif", kind="monthly", price_cents=9900, spaces=[space],
                             days_per_month=12, meeting_room_hours=4),
    }


@pytest.fixture
def member(make_user, login):
    user = make_user(email="plans@example.org", covered=False)
    give_billing_details(user)
    login("plans@example.org")
    return user


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def buy_in_browser(client, plan_id, **extra):
    token = csrf_token(client, "/plans")
    return client.post("/plans/buy", data={"plan_id": plan_id, "csrf_token": token, **extra})


def order_in_browser(client, plan_id, **extra):
    """Through the summary page: its button, with the early start asked for."""
    token = csrf_token(client, f"/plans/{plan_id}/order")
    return client.post(f"/plans/{plan_id}/order", data={"csrf_token": token,
                                                         "early_start": "y", **extra})


def memberships_of(user):
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()


def test_the_plans_page_shows_german_prices_with_vat_and_what_each_covers(client, plans):
    html = page(client, "/plans")
    assert "<h1>Tarife</h1>" in html
    assert "15,00\xa0€" in html and "120,00\xa0€" in html and "99,00\xa0€" in html
    assert "inkl. 19\xa0% MwSt." in html
    assert "kostenlos" in html  # the free trial
    card = html.split(f'id="plan-{plans["monthly"].id}"')[1].split("</li>")[0]
    assert "Space 1" in card and "12 Tage im Monat" in card and "4 Stunden im Monat" in card
    assert "pro Monat" in card
    card = html.split(f'id="plan-{plans["card"].id}"')[1].split("</li>")[0]
    assert "10 Tage" in card and "180 Tage ab Zahlung" in card and "alle Standorte" in card


def test_signed_out_visitors_are_sent_to_sign_in_and_come_back_to_the_plan(client, plans,
                                                                            make_user):
    html = page(client, "/plans")
    assert "/login?next=/plans%23plan-" in html and "Anmelden und kaufen" in html
    response = client.post("/plans/buy", data={"plan_id": plans["day"].id,
                                               "csrf_token": csrf_token(client, "/plans")})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    make_user(email="back@example.org", covered=False)
    login_page = client.get(response.location).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page).group(1)
    signed_in = client.post("/login", data={"email": "back@example.org",
                                            "password": "correct horse", "next": next_value,
                                            "csrf_token": token})
    assert signed_in.location == f"/plans#plan-{plans['day'].id}"


def test_a_free_trial_is_active_at_once_with_its_credit(client, plans, member):
    response = buy_in_browser(client, plans["trial"].id)
    assert response.status_code == 302 and response.location == "/memberships"
    html = page(client, "/memberships")
    assert "Dein Tarif „Schnuppertag“ ist aktiv." in html
    (membership,) = memberships_of(member)
    assert membership.status == MembershipStatus.ACTIVE
    card = html.split(f'id="membership-{membership.id}"')[1].split("</li>")[0]
    assert "aktiv" in card and "1 Tag" in card and "gekauft" in card and "+1" in card
    assert "Gültig bis" in card and "31.03.2027" in card


def test_buying_on_site_covers_at_once_and_says_to_pay_at_the_next_visit(client, plans,
                                                                         member):
    response = order_in_browser(client, plans["card"].id)
    html = page(client, response.location)
    assert "Dein Tarif „10er-Karte“ ist aktiv: Du kannst jetzt buchen. Bitte zahl 120,00\xa0€ vor Ort" in html
    (membership,) = memberships_of(member)
    assert membership.status == MembershipStatus.ACTIVE
    card = html.split(f'id="membership-{membership.id}"')[1].split("</li>")[0]
    assert "Zahlung vor Ort offen" in card and "10 Tage" in card
    payment = db.session.scalar(select(Payment).where(Payment.membership_id == membership.id))
    assert payment.method == PaymentMethod.ON_SITE and payment.amount_cents == 12000


@pytest.mark.parametrize("tampered", ["999999", "abc", "-1", "", "1.5"])
def test_a_tampered_plan_id_buys_nothing(client, plans, member, tampered):
    response = buy_in_browser(client, tampered)
    assert response.status_code == 302
    html = page(client, "/plans")
    assert 'class="flash error"' in html
    assert memberships_of(member) == []


def test_a_retired_plan_cannot_be_bought_and_a_price_sent_along_is_ignored(client, plans,
                                                                           member):
    plans["day"].retired_at = clock.utcnow()
    db.session.commit()
    buy_in_browser(client, plans["day"].id)
    assert "Diesen Tarif gibt es nicht im Angebot." in page(client, "/plans")
    assert memberships_of(member) == []
    order_in_browser(client, plans["card"].id, price_cents="1", amount_cents="1")
    (membership,) = memberships_of(member)
    payment = db.session.scalar(select(Payment).where(Payment.membership_id == membership.id))
    assert payment.amount_cents == 12000


def test_the_free_trial_twice_is_refused_with_a_message(client, plans, member):
    buy_in_browser(client, plans["trial"].id)
    buy_in_browser(client, plans["trial"].id)
    assert "nur einmal pro Person" in page(client, "/plans")
    assert len(memberships_of(member)) == 1


def test_buying_online_goes_to_stripe_checkout(client, plans, member, monkeypatch, app):
    from coworking.billing import checkout, gateway

    started = []

    def start_checkout(payment_id, success_url, cancel_url):
        payment = db.session.get(Payment, payment_id)
        payment.checkout_url = f"https://checkout.stripe.test/{payment_id}"
        started.append((payment_id, success_url, cancel_url))
        return payment

    monkeypatch.setattr(gateway, "stripe_enabled", lambda: True)
    monkeypatch.setattr(checkout, "start_checkout", start_checkout)
    response = order_in_browser(client, plans["card"].id)
    assert response.status_code == 302
    assert response.location.startswith("https://checkout.stripe.test/")
    (payment_id, success_url, cancel_url), = started
    assert success_url == app.config["BASE_URL"] + "/memberships"
    assert cancel_url == app.config["BASE_URL"] + "/plans"


def test_my_membership_shows_the_ledger_and_a_receipt_with_vat(client, plans, member,
                                                               make_user, space):
    membership, _payment = buy(member, plans["card"].id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    html = page(client, "/memberships")
    card = html.split(f'id="membership-{membership.id}"')[1].split("</li>")[0]
    assert "10 Tage" in card and "Verlauf von 10er-Karte" in card and "+10" in card
    assert "Gültig bis" in card and "28.08.2027" in card
    receipts = html.split('id="receipts"')[1]
    assert "01.03.2027" in receipts and "10er-Karte" in receipts
    assert "120,00\xa0€" in receipts and "19\xa0%" in receipts and "19,16\xa0€" in receipts
    assert "vor Ort" in receipts


@use_case
def set_state(membership_id, **values):
    membership = db.session.get(Membership, membership_id)
    for key, value in values.items():
        setattr(membership, key, value)


def test_a_failed_renewal_and_a_late_payment_are_explained(client, plans, member, make_user):
    membership, _payment = buy(member, plans["monthly"].id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    set_state(membership.id, status=MembershipStatus.PAST_DUE,
              current_period_end=clock.utcnow().replace(month=4))
    html = page(client, "/memberships")
    assert "Verlängerung konnte nicht abgebucht werden" in html
    assert "Nächste Verlängerung" in html and "01.04.2027" in html
    assert "Zahlung nach der Freigabe" not in html

    card, _payment = buy(member, plans["day"].id, online=False)
    confirm_payment_on_site(make_user(role="admin"), card.id)

    @use_case
    def late_credit():
        db.session.add(CreditEntry(membership_id=card.id, delta=1, reason="late_payment"))

    late_credit()
    html = page(client, "/memberships")
    assert "nachdem der Platz, für den sie war, schon freigegeben war" in html
    assert "Zahlung kam an, nachdem der Platz freigegeben war" in html


def subscription(member, plan, admin):
    membership, _payment = buy(member, plan.id, online=False)
    confirm_payment_on_site(admin, membership.id)
    set_state(membership.id, stripe_subscription_id="sub_123")
    return membership


def test_a_plan_paid_on_site_has_no_portal_button(client, plans, member, make_user):
    membership, _payment = buy(member, plans["monthly"].id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    assert "Ändern oder kündigen" not in page(client, "/memberships")


def test_a_subscription_offers_the_portal(client, plans, member, make_user):
    membership = subscription(member, plans["monthly"], make_user(role="admin"))
    card, _payment = buy(member, plans["card"].id, online=False)
    html = page(client, "/memberships")
    assert f'action="/billing/memberships/{membership.id}/portal"' in html
    assert html.count("Ändern oder kündigen") == 1  # the pass has no portal
    assert 'name="csrf_token"' in html.split(f'id="membership-{membership.id}"')[1]


def test_the_navigation_links_the_plans_and_my_membership(client, member):
    html = page(client, "/")
    assert 'href="/plans">Tarife</a>' in html
    assert 'href="/memberships">Meine Mitgliedschaft</a>' in html
    assert "/admin/plans" not in html and "/host/payments" not in html


def test_in_english_prices_and_labels_are_english(client, plans):
    client.post("/language", data={"lang": "en", "next": "/plans",
                                   "csrf_token": csrf_token(client, "/plans")})
    html = page(client, "/plans")
    assert "<h1>Plans</h1>" in html and "€15.00" in html and "incl. 19% VAT" in html
    assert "10 days" in html and "Sign in to buy" in html


def test_the_history_names_the_day_and_town_each_credit_went_to(client, plans, member,
                                                                  make_user, space):
    from datetime import datetime

    from coworking.bookings.service import book, cancel
    from tests.factories import resources_of
    membership, _payment = buy(member, plans["card"].id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    desk = resources_of(space)[0]
    book(member, desk.id, datetime.fromisoformat("2027-03-02T09:00:00+01:00"),
         datetime.fromisoformat("2027-03-02T12:00:00+01:00"))
    later = book(member, desk.id, datetime.fromisoformat("2027-03-12T09:00:00+01:00"),
                 datetime.fromisoformat("2027-03-12T12:00:00+01:00"))
    cancel(member, later.id)
    html = page(client, "/memberships")
    card = html.split(f'id="membership-{membership.id}"')[1].split("</li>")[0]
    rows = [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(r"<tr>.*?</tr>", card)]
    town = space.town.name.split()
    assert ["01.03.2027", "Arbeitstag", "2.3.", "in", *town, "-1"] in rows
    assert ["01.03.2027", "Arbeitstag", "12.3.", "in", *town, "-1"] in rows
    assert ["01.03.2027", "Buchung", "vom", "12.3.", "in", *town, "storniert,", "Tag",
            "zurück", "+1"] in rows
