"""Before a member gives their password to delete the account, the page lists the credit left
on each pass (with its value where it was paid), the plans running and the bookings to come,
and says what happens to each; deleting then does exactly that."""
from datetime import datetime

import pytest

from coworking.bookings.service import book
from coworking.memberships.service import buy, confirm_payment_on_site
from tests.billing.paying import fresh, ledger
from tests.factories import csrf_token, make_plan, resources_of

NINE, ONE = (datetime.fromisoformat(f"2027-03-0{d}T{h}:00:00+01:00") for d, h in
             (("2", "09"), ("2", "13")))


@pytest.fixture
def holder(make_space, make_user, login, frozen):
    """Lea paid a 10-visit card on site (120 €) and booked Tuesday with it; she bought a
    monthly plan on site too, still unpaid."""
    space = make_space(slug="moelln", desks=2, rooms=0)
    card = make_plan("10er-Karte", spaces=[space])
    monthly = make_plan("Monatstarif", kind="monthly", price_cents=9900, spaces=[space])
    lea = make_user(email="lea@example.org", name="Lea Lang", covered=False)
    host = make_user(role="host", space=space)
    card_membership, card_payment = buy(lea, card.id, online=False)
    confirm_payment_on_site(host, card_membership.id)
    booking = book(lea, resources_of(space)[0].id, NINE, ONE)
    monthly_membership, monthly_payment = buy(lea, monthly.id, online=False)
    login("lea@example.org")
    return {"card": card_membership, "monthly": monthly_membership, "booking": booking,
            "open": monthly_payment, "card_payment": card_payment}


def test_the_page_lists_credit_plans_and_bookings_before_the_password(client, holder):
    html = client.get("/account/delete").get_data(as_text=True)
    before_password = html.split('id="password"')[0]
    credit = before_password.split('id="credit"')[1].split("</section>")[0]
    assert "10er-Karte" in credit and "9 Tage übrig" in credit
    assert "Wert 108,00\xa0€ von dem, was du bezahlt hast" in credit
    assert "Verfällt mit deinem Konto, ohne Erstattung." in credit
    assert "Monatstarif" in credit and "endet jetzt mit deinem Konto" in credit
    assert "du schuldest dafür nichts mehr" in credit
    ahead = before_password.split('id="ahead"')[1].split("</section>")[0]
    assert f'data-booking="{holder["booking"].id}"' in ahead and "09:00–13:00" in ahead
    assert "werden storniert" in ahead
    assert "8 Jahre" in before_password


def test_deleting_ends_what_the_page_said(client, holder):
    response = client.post("/account/delete", data={
        "password": "correct horse", "csrf_token": csrf_token(client, "/account/delete")})
    assert response.status_code == 302
    assert fresh(holder["booking"]).status == "cancelled"
    card = fresh(holder["card"])
    assert card.status == "expired" and ledger(card)[-1] == (-9, "account_deleted")
    assert fresh(holder["monthly"]).status == "cancelled"
    assert fresh(holder["open"]).status == "expired"  # no longer owed
    assert fresh(holder["card_payment"]).status == "paid"  # payments stay as they were


def test_a_member_without_anything_is_told_so(client, make_user, login, frozen):
    make_user(email="leer@example.org", covered=False)
    login("leer@example.org")
    html = client.get("/account/delete").get_data(as_text=True)
    assert "Du hast kein Guthaben auf einem Pass." in html
    assert "Du hast keine anstehenden Buchungen." in html
