"""End to end on a phone (390 × 844): a member buys a 10-visit card through the summary page.
The first time they are asked for their billing details, the second time the details are
filled in already; the order button reads "Zahlungspflichtig bestellen", consumers read the
withdrawal notice and choose whether use may begin at once.

Headless Debian Chromium through Playwright, with the browser and server of
tests/test_browser.py; without Stripe keys the card is paid on site."""
import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.memberships.models import Membership
from coworking.memberships.orders import Order
from coworking.memberships.service import confirm_payment_on_site
from tests.factories import make_plan
from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    sync_api,
    watched_page,
)

expect = sync_api.expect


@pytest.fixture
def page(browser, live_server):  # noqa: F811
    with watched_page(browser, live_server, PHONE) as page:
        yield page


@pytest.fixture
def scene(make_space, make_user):
    space = make_space(slug="moelln", desks=2, rooms=0)
    card = make_plan("10er-Karte Mölln", spaces=[space], price_cents=12000)
    member = make_user(email="karla@example.org", name="Karla Kauf", covered=False)
    host = make_user(email="hanna@example.org", role="host", space=space)
    db.session.commit()  # the server has its own sessions
    return {"space": space, "card": card, "member": member, "host": host}


def sign_in(page, email):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill("correct horse")
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()


def open_summary_from_the_plans(page, card):
    page.goto("/plans")
    page.get_by_role("link", name=f"{card.name} kaufen").tap()


def orders_of(member):
    db.session.commit()  # end the test's read, to see what the server wrote
    return db.session.scalars(select(Order).where(Order.user_id == member.id)
                              .order_by(Order.id)).all()


def test_a_ten_visit_card_is_bought_through_the_summary(page, scene):
    card, member = scene["card"], scene["member"]
    sign_in(page, member.email)

    # The first purchase: billing details first, as step 1 of 2, the name filled in.
    open_summary_from_the_plans(page, card)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechnungsadresse")
    expect(page.get_by_text("Schritt 1 von 2")).to_be_visible()
    expect(page.get_by_label("Name auf der Rechnung")).to_have_value("Karla Kauf")
    page.get_by_label("Straße und Hausnummer").fill("Hauptstraße 5")
    page.get_by_label("Postleitzahl").fill("2387")  # one digit short
    page.get_by_label("Ort").fill("Mölln")
    page.get_by_role("button", name="Rechnungsadresse speichern").tap()
    expect(page.locator("#billing-postcode-error")).to_have_text(
        "Eine deutsche Postleitzahl hat fünf Ziffern, z. B. 23879.")
    page.get_by_label("Postleitzahl").fill("23879")
    page.get_by_role("button", name="Rechnungsadresse speichern").tap()

    # The summary: what, where, price with VAT, seller, the withdrawal notice.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestellung prüfen")
    summary = page.locator("main")
    expect(summary).to_contain_text("10er-Karte Mölln")
    expect(summary).to_contain_text("120,00\xa0€")
    expect(summary).to_contain_text("100,84\xa0€")
    expect(summary).to_contain_text("19,16\xa0€")
    expect(summary).to_contain_text("auch wenn sie nur 4 Stunden dauert")
    expect(summary).to_contain_text("Hauptstraße 5")
    expect(page.get_by_role("heading", name="Widerrufsbelehrung")).to_be_visible()
    page.locator("summary", has_text="Muster-Widerrufsformular").tap()
    expect(summary).to_contain_text("Hiermit widerrufe(n) ich/wir")
    order = page.get_by_role("button", name="Zahlungspflichtig bestellen")
    expect(order).to_have_value("Zahlungspflichtig bestellen")
    page.get_by_label("Ich verlange ausdrücklich").check()
    assert_fits_phone(page)
    order.tap()
    expect(page.locator(".flash.success")).to_contain_text("Bitte zahl 120,00\xa0€ vor Ort")
    assert [(o.early_start, o.consumer) for o in orders_of(member)] == [(True, True)]

    # The host collects the first at the next visit; only then may a second wait on site.
    db.session.commit()
    (first,) = db.session.scalars(select(Membership).where(Membership.user_id == member.id))
    confirm_payment_on_site(scene["host"], first.id)

    # The second purchase: straight to the summary, the billing details filled in already.
    open_summary_from_the_plans(page, card)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestellung prüfen")
    expect(page.get_by_text("Schritt 2 von 2")).to_be_visible()
    expect(page.locator(".address")).to_contain_text("23879 Mölln")
    page.get_by_role("link", name="Rechnungsadresse ändern").tap()
    expect(page.get_by_label("Straße und Hausnummer")).to_have_value("Hauptstraße 5")
    expect(page.get_by_label("Postleitzahl")).to_have_value("23879")
    page.get_by_role("button", name="Rechnungsadresse speichern").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestellung prüfen")
    # Without the early start it begins once the withdrawal period is over.
    expect(page.locator("#early-start-note")).to_contain_text("wenn deine Widerrufsfrist "
                                                              "abgelaufen ist")
    page.get_by_role("button", name="Zahlungspflichtig bestellen").tap()
    expect(page.locator(".flash.success")).to_contain_text("Bitte zahl 120,00\xa0€ vor Ort")
    assert [o.early_start for o in orders_of(member)] == [True, False]
    db.session.commit()  # end the test's read, to see what the server wrote
    later = db.session.scalars(select(Membership).where(Membership.user_id == member.id)
                               .order_by(Membership.id)).all()[-1]
    assert later.usable_from is not None
