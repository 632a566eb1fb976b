"""End to end in a real browser, on a phone (390×844) and on a desktop (1366×768): signed out,
a visitor taps a free slot; the sign-in page explains why and names the slot; they register
(or sign in) and land on the booking page of that very slot, and book it.

The free slot is found by its booking link (`a[href*="/book?"]`), whatever the space page
looks like around it. Shares the browser and server fixtures of tests/test_browser.py."""
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from coworking.accounts.models import User
from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import make_plan
from tests.test_browser import (  # noqa: F401  (fixtures)
    BERLIN,
    DESKTOP,
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    shoot,
    sync_api,
    watched_page,
)

expect = sync_api.expect


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, browser, live_server):  # noqa: F811
    with watched_page(browser, live_server, request.param) as page:
        page.is_phone = request.param is PHONE
        yield page


@pytest.fixture
def scene(make_space, make_user):
    space = make_space(public_holidays_closed=False)
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    # A long name: the header shortens it rather than widen the phone's page.
    make_user(email="known@example.org",
              name="Kim Maximiliane Friederike von Hohenzollern-Sigmaringen")
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    values = {"slug": space.slug, "day": day.isoformat()}
    db.session.commit()  # the server has its own sessions
    return values


def tap(page, locator):
    if page.is_phone:
        locator.tap()
    else:
        locator.click()


def fits(page):
    if page.is_phone:
        assert_fits_phone(page)


def tap_a_free_slot_signed_out(page, scene):
    """From the space's day, the first free slot; returns its booking address."""
    page.goto(f"/spaces/{scene['slug']}?date={scene['day']}")
    slot = page.locator('a[href*="/book?"]').first
    expect(slot).to_be_visible()
    booking_url = slot.get_attribute("href")
    tap(page, slot)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    assert parse_qs(urlsplit(page.url).query)["next"] == [booking_url]
    waiting = page.locator(".waiting-slot")
    expect(waiting).to_contain_text("Zum Buchen bitte anmelden oder registrieren")
    expect(waiting).to_contain_text("Desk")
    expect(waiting).to_contain_text(re.compile(r"ab \d\d:\d\d"))
    fits(page)
    return booking_url


def landed_on(page, booking_url):
    expect(page).to_have_url(re.compile(re.escape(booking_url.split("?")[0]) + r"\?"))
    query = parse_qs(urlsplit(page.url).query)
    expected = parse_qs(urlsplit(booking_url).query)
    assert (query["resource"], query["start"]) == (expected["resource"], expected["start"])
    expect(page.locator("dl.summary")).to_contain_text("Desk")
    fits(page)


def booked_by(email):
    db.session.commit()
    return db.session.scalars(select(Booking).join(User, User.id == Booking.user_id)
                              .where(User.email == email)).all()


def test_the_slot_survives_registration(page, scene, shoot):
    booking_url = tap_a_free_slot_signed_out(page, scene)
    shoot(page, "sign-in-with-slot")
    tap(page, page.locator("main").get_by_role("link", name="Registrieren"))
    expect(page).to_have_url(re.compile(r"/register\?next="))
    expect(page.locator(".waiting-slot")).to_be_visible()
    page.locator("#name").fill("Nele Neu")
    page.locator("#email").fill("nele@example.org")
    page.locator("#password").fill("long enough")
    tap(page, page.locator("main form:not(.later-start) [type=submit]"))

    landed_on(page, booking_url)
    expect(page.locator("header .who")).to_have_text(re.compile(r"Nele Neu"))
    shoot(page, "booking-page-after-registering")
    # New here, nothing covers the booking yet: the day pass pays for it, on site, ordered
    # like any purchase: billing details first, then its summary.
    tap(page, page.locator("#submit"))
    pay = page.locator("#pay_day_pass")
    expect(pay).to_be_visible()
    tap(page, pay)
    expect(page).to_have_url(re.compile(r"/account/billing\?next="))
    expect(page.locator("#billing-name")).to_have_value("Nele Neu")
    page.locator("#billing-street").fill("Am Markt 3")
    page.locator("#billing-postcode").fill("19322")
    page.locator("#billing-city").fill("Wittenberge")
    tap(page, page.locator("#billing-submit"))
    expect(page.locator("h1")).to_have_text("Bestellung prüfen")
    page.locator("#early_start").check()
    tap(page, page.get_by_role("button", name="Zahlungspflichtig bestellen"))
    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.success")).to_contain_text(re.compile(r"Gebucht: Desk \d+ in "))
    fits(page)
    (booking,) = booked_by("nele@example.org")
    start = parse_qs(urlsplit(booking_url).query)["start"][0]
    assert booking.start_at == datetime.fromisoformat(start)


def test_the_slot_survives_signing_in(page, scene):
    booking_url = tap_a_free_slot_signed_out(page, scene)
    page.locator("#email").fill("known@example.org")
    page.locator("#password").fill("correct horse")
    tap(page, page.locator("main form:not(.later-start) [type=submit]"))

    landed_on(page, booking_url)
    who = page.locator("header .who")
    expect(who).to_have_text(re.compile(r"Kim Maximiliane"))
    assert who.bounding_box()["height"] >= 44
    expect(who).to_have_attribute("href", "/account")
    tap(page, page.locator("#submit"))
    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.success")).to_contain_text(re.compile(r"Gebucht: Desk \d+ in "))
    fits(page)
    (booking,) = booked_by("known@example.org")
    assert booking.status == "confirmed"
