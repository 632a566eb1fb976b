"""Ordering in the browser: "Kaufen" leads to the billing details the first time and to the
summary page (§ 312j BGB) always; the summary shows what, where, the price with its VAT, the
seller, the term and, to consumers, the withdrawal notice and the early-start request; a day
pass for one booking goes the same way. Incomplete sellers sell nothing online."""
import re

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.memberships.models import Membership, MembershipStatus, Payment
from coworking.memberships.orders import Order
from tests.factories import (
    csrf_token,
    give_billing_details,
    make_operator,
    make_plan,
    resources_of,
)

BUTTON = '<input class="primary big" id="submit" name="submit" type="submit" ' \
         'value="Zahlungspflichtig bestellen">'


@pytest.fixture
def town(make_space, frozen):
    return make_space(slug="moelln", desks=2, rooms=0)


@pytest.fixture
def plans(town):
    return {"card": make_plan("10er-Karte Mölln", spaces=[town], description="Zehn Tage"),
            "day": make_plan("Tagespass Mölln", kind="day_pass", price_cents=1500,
                             spaces=[town]),
            "monthly": make_plan("Monatstarif", kind="monthly", price_cents=9900,
                                 spaces=[town], days_per_month=12)}


@pytest.fixture
def member(make_user, login):
    user = make_user(email="kauf@example.org", name="Karla Kauf", covered=False)
    login("kauf@example.org")
    return user


def html_of(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def memberships_of(user):
    db.session.expire_all()
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()


def place(client, plan, **data):
    token = csrf_token(client, f"/plans/{plan.id}/order")
    return client.post(f"/plans/{plan.id}/order", data={"csrf_token": token, **data})


def test_the_plans_page_leads_to_the_summary_and_names_the_seller(client, plans, member, town):
    html = html_of(client.get("/plans"))
    card = html.split(f'id="plan-{plans["card"].id}"')[1].split("</li>")[0]
    assert f'href="/plans/{plans["card"].id}/order"' in card and ">Kaufen</a>" in card
    seller = town.operator
    assert f'Verkauft von <a href="/impressum/{seller.slug}">{seller.legal_name}</a>' in card
    assert 'action="/plans/buy"' not in card


def test_buying_through_the_old_form_goes_to_the_summary_first(client, plans, member):
    response = client.post("/plans/buy", data={"plan_id": plans["card"].id,
                                               "csrf_token": csrf_token(client, "/plans")})
    assert response.status_code == 303
    assert response.location == f"/plans/{plans['card'].id}/order"
    assert memberships_of(member) == []


def test_the_first_order_asks_for_billing_details_and_comes_back(client, plans, member):
    first = client.get(f"/plans/{plans['card'].id}/order")
    assert first.status_code == 302
    assert first.location == f"/account/billing?next=/plans/{plans['card'].id}/order"
    step = html_of(client.get(first.location))
    assert "Schritt 1 von 2" in step and 'value="Karla Kauf"' in step
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', step).group(1)
    saved = client.post("/account/billing", data={
        "csrf_token": token, "billing-next": f"/plans/{plans['card'].id}/order",
        "billing-name": "Karla Kauf", "billing-street": "Markt 1", "billing-postcode": "23879",
        "billing-city": "Mölln", "billing-country": "DE"})
    assert saved.location == f"/plans/{plans['card'].id}/order"
    summary = html_of(client.get(saved.location))
    assert "Schritt 2 von 2" in summary and "Markt 1" in summary and "23879 Mölln" in summary
    assert "Rechnungsadresse ändern" in summary


def test_the_summary_says_what_where_the_price_with_vat_and_who_sells(client, plans, member,
                                                                     town):
    give_billing_details(member)
    html = html_of(client.get(f"/plans/{plans['card'].id}/order"))
    assert "<h1>Bestellung prüfen</h1>" in html
    assert "10er-Karte Mölln" in html and "Zehn Tage" in html
    assert f'<dd class="spaces">{town.name}</dd>' in html
    assert "<strong>120,00\xa0€</strong>" in html
    assert "<dt>Netto</dt><dd>100,84\xa0€</dd>" in html
    assert "<dt>MwSt. 19\xa0%</dt><dd>19,16\xa0€</dd>" in html
    assert f'<a href="/impressum/{town.operator.slug}">{town.operator.legal_name}</a>, Marktplatz 1, 23879 Mölln' \
        in html
    assert "auch wenn sie nur 4 Stunden dauert" in html  # what a day means
    assert "Gültig 180 Tage ab Beginn" in html
    assert BUTTON in html


def test_consumers_get_the_withdrawal_notice_and_the_early_start_request(client, plans, member,
                                                                        town):
    give_billing_details(member)
    html = html_of(client.get(f"/plans/{plans['card'].id}/order"))
    assert "<h2 id=\"withdrawal-title\">Widerrufsbelehrung</h2>" in html
    assert "binnen vierzehn Tagen ohne Angabe von Gründen" in html
    assert town.operator.email in html.split('id="withdrawal-title"')[1]
    assert "<summary>Muster-Widerrufsformular</summary>" in html
    assert "Dienstleistung (*): 10er-Karte Mölln" in html
    assert 'type="checkbox"' in html and "checked" not in html.split("early_start")[1][:200]
    assert "Ich verlange ausdrücklich, dass mit der Leistung vor Ablauf der Widerrufsfrist " \
           "begonnen wird." in html
    assert "beginnt dein Tarif „10er-Karte Mölln“ am Dienstag, 16. März 2027, wenn deine Widerrufsfrist" in html


def test_businesses_get_no_withdrawal_notice(client, plans, member):
    give_billing_details(member, company="Kauf & Co. KG")
    html = html_of(client.get(f"/plans/{plans['card'].id}/order"))
    assert "Widerrufsbelehrung" not in html and "early_start" not in html
    assert "Du kaufst als Unternehmen" in html and BUTTON in html
    assert place(client, plans["card"]).status_code == 302
    (kept,) = db.session.scalars(select(Order)).all()
    assert kept.consumer is False and kept.early_start is None


def test_a_monthly_plan_says_how_to_cancel(client, plans, member):
    give_billing_details(member)
    html = html_of(client.get(f"/plans/{plans['monthly'].id}/order"))
    assert "verlängert sich jeden Monat, bis du kündigst" in html
    assert "„Verträge hier kündigen“" in html
    assert "<dt>Abrechnung</dt><dd>jeden Monat</dd>" in html


def test_ordering_without_the_early_start_begins_after_the_period(client, plans, member):
    give_billing_details(member)
    response = place(client, plans["card"])
    assert response.status_code == 302 and response.location == "/memberships"
    (membership,) = memberships_of(member)
    # Bought to pay on site it is the member's at once, to be used after the period.
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.usable_from.isoformat() == "2027-03-15T23:00:00+00:00"
    assert membership.current_period_start == membership.usable_from
    (kept,) = db.session.scalars(select(Order)).all()
    assert (kept.source, kept.consumer, kept.early_start) == ("web", True, False)
    mine = html_of(client.get("/memberships"))
    assert '<dt>Nutzbar ab</dt><dd class="usable-from">16.03.2027' in mine


def test_ordering_with_the_early_start_begins_at_once(client, plans, member):
    give_billing_details(member)
    place(client, plans["card"], early_start="y")
    (membership,) = memberships_of(member)
    assert membership.usable_from is None
    assert db.session.scalars(select(Order)).one().early_start is True


def test_an_incomplete_seller_shows_it_cannot_be_bought_online(client, member, make_space):
    give_billing_details(member)
    seller = make_operator("oestrich-winkel", complete=False, legal_name="Stadt Oestrich-Winkel")
    card = make_plan("10er-Karte Oestrich-Winkel", spaces=[make_space(operator=seller)])
    card_html = html_of(client.get("/plans")).split(f'id="plan-{card.id}"')[1].split("</li>")[0]
    assert "Noch nicht online buchbar" in card_html and "/order" not in card_html
    assert "Verkauft von" in card_html and "Stadt Oestrich-Winkel" in card_html
    summary = html_of(client.get(f"/plans/{card.id}/order"))
    assert "Noch nicht online buchbar: Stadt Oestrich-Winkel verkauft ihn" in summary
    assert BUTTON not in summary
    refused = client.post(f"/plans/{card.id}/order",
                          data={"csrf_token": csrf_token(client, "/plans")})
    assert "Stadt Oestrich-Winkel verkauft noch nicht online" in html_of(refused, 409)
    assert memberships_of(member) == []


def test_an_unconfirmed_address_is_told_before_ordering(client, plans, member):
    give_billing_details(member)
    member.email_verified_at = None
    db.session.commit()
    response = client.get(f"/plans/{plans['card'].id}/order")
    assert response.location == f"/plans#plan-{plans['card'].id}"
    html = html_of(client.get(response.location))
    assert "Bitte bestätige deine E-Mail-Adresse, bevor du einen Tarif kaufst" in html


def test_a_retired_or_free_plan_has_no_summary(client, plans, member):
    trial = make_plan("Schnuppertag", kind="day_pass", price_cents=0, all_spaces=True)
    assert client.get(f"/plans/{trial.id}/order").status_code == 404
    assert client.get("/plans/999999/order").status_code == 404


# -- A day pass for one booking -----------------------------------------------------------

def day_pass_summary(client, town):
    desk = resources_of(town)[0]
    path = f"/spaces/{town.slug}/book?resource={desk.id}&start=2027-03-02T09:00:00%2B01:00"
    token = csrf_token(client, path)
    key = re.search(r'id="key" name="key" type="hidden" value="([^"]+)"',
                    client.get(path).get_data(as_text=True)).group(1)
    response = client.post(path, data={
        "csrf_token": token, "resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
        "end": "2027-03-02T13:00:00+01:00", "key": key, "pay_day_pass": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.location


def test_paying_a_booking_with_a_day_pass_goes_through_its_summary(client, plans, member,
                                                                   town):
    give_billing_details(member)
    summary_path = day_pass_summary(client, town)
    assert summary_path.startswith(f"/spaces/{town.slug}/day-pass?")
    html = html_of(client.get(summary_path))
    assert "Tagespass Mölln" in html and "15,00\xa0€" in html and "2,39\xa0€" in html
    assert "Dienstag, 2. März 2027" in html and "09:00–13:00" in html
    assert "Deine Buchung liegt in deiner Widerrufsfrist (bis Montag, 15. März 2027)" in html
    assert BUTTON in html
    form = dict(re.findall(r'name="([a-z_]+)" type="hidden" value="([^"]*)"', html))
    refused = client.post(f"/spaces/{town.slug}/day-pass", data=form)
    assert "Diese Buchung beginnt vor dem Ende deiner Widerrufsfrist" in html_of(refused, 422)
    assert db.session.scalars(select(Payment)).all() == []
    booked = client.post(f"/spaces/{town.slug}/day-pass", data={**form, "early_start": "y"})
    assert booked.status_code == 302 and booked.location == "/bookings"
    db.session.expire_all()
    (payment,) = db.session.scalars(select(Payment)).all()
    assert payment.booking_id is not None and payment.amount_cents == 1500
    kept = db.session.scalars(select(Order)).one()
    assert kept.payment_id == payment.id and kept.early_start is True
    again = client.post(f"/spaces/{town.slug}/day-pass", data={**form, "early_start": "y"})
    assert again.status_code == 302
    assert len(db.session.scalars(select(Payment)).all()) == 1  # a repeat books once


def test_the_day_pass_asks_for_billing_details_the_first_time(client, plans, member, town):
    summary_path = day_pass_summary(client, town)
    first = client.get(summary_path)
    assert first.status_code == 302 and first.location.startswith("/account/billing?next=")


def test_any_free_desk_with_a_day_pass_goes_to_the_summary_too(client, plans, member, town):
    give_billing_details(member)
    page = f"/spaces/{town.slug}?date=2027-03-02"
    response = client.post(f"/spaces/{town.slug}/book-any", data={
        "csrf_token": csrf_token(client, page), "kind": "hot_desk",
        "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T13:00:00+01:00",
        "pay_day_pass": "y"})
    assert response.status_code == 303 and "kind=hot_desk" in response.location
    html = html_of(client.get(response.location))
    assert "beliebiger freier Platz" in html and BUTTON in html


def test_a_day_pass_of_an_incomplete_seller_is_not_offered_online(client, member, make_space):
    give_billing_details(member)
    seller = make_operator("diessen", complete=False)
    space = make_space(operator=seller)
    make_plan("Tagespass Dießen", kind="day_pass", price_cents=1500, spaces=[space])
    desk = resources_of(space)[0]
    path = f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-02T09:00:00%2B01:00"
    html = html_of(client.post(path, data={
        "csrf_token": csrf_token(client, path), "resource_id": desk.id,
        "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T13:00:00+01:00"}), 402)
    assert "Noch nicht online buchbar" in html and 'name="pay_day_pass"' not in html
