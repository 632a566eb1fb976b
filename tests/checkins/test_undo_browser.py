"""End to end on a phone (390 x 844): the host taps "Nicht erschienen …", is asked first,
confirms, and takes it back with the undo button on the card; and a tablet by the door,
opened with a device link, shows the day's code and its QR code.

Headless Debian Chromium through Playwright, sharing the fixtures of tests/test_browser.py;
the server runs in a thread of this process and sees the moved clock."""
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from coworking.extensions import db
from tests.factories import resources_of
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
BERLIN = ZoneInfo("Europe/Berlin")
TOMORROW = (datetime.now(BERLIN) + timedelta(days=1)).date()  # read before any clock moves
TABLET = {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "locale": "de-DE",
          "timezone_id": "Europe/Berlin"}


def local(hm, day=TOMORROW):
    hours, minutes = map(int, hm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)


@pytest.fixture
def scene(make_space, make_user, frozen):
    frozen.set(local("08:00").isoformat())
    space = make_space(public_holidays_closed=False)
    mara = make_user(email="mara@example.org", name="Mara Member")
    make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
    booking = book(mara, resources_of(space)[0].id, local("09:00"), local("12:00"))
    db.session.commit()  # the server has its own sessions
    return {"slug": space.slug, "space": space, "booking": booking.id}


def status_of(booking_id):
    db.session.commit()
    return db.session.get(Booking, booking_id, populate_existing=True).status


def signed_in_host(page, slug):
    page.goto("/login?next=/host")
    page.locator("#email").fill("host@example.org")
    page.locator("#password").fill("correct horse")
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page).to_have_url(re.compile(rf"/host/{slug}$"))


def test_a_no_show_is_confirmed_first_and_undone_with_one_tap(browser, live_server, scene,
                                                               frozen):  # noqa: F811
    frozen.set(local("09:31").isoformat())
    with watched_page(browser, live_server, PHONE) as host:
        signed_in_host(host, scene["slug"])
        card = host.locator(f"#booking-{scene['booking']}")
        card.locator("a.no-show").tap()
        expect(host.locator("h1")).to_contain_text("Mara Member als nicht erschienen markieren?")
        assert_fits_phone(host)
        assert status_of(scene["booking"]) == "confirmed"  # asking changed nothing
        host.locator("button.confirm-no-show").tap()
        card = host.locator(f"#booking-{scene['booking']}")
        expect(card).to_have_class(re.compile(r"\bno_show\b"))
        undo = card.locator("button.undo")
        expect(undo).to_have_text("„Nicht erschienen“ rückgängig")
        assert undo.bounding_box()["height"] >= 44, "one tap needs a comfortable target"
        assert_fits_phone(host)
        undo.tap()
        expect(host.locator(".flash.success")).to_contain_text("Rückgängig gemacht")
        expect(host.locator(f"#booking-{scene['booking']}")).to_have_class(
            re.compile(r"\bconfirmed\b"))
    assert status_of(scene["booking"]) == "confirmed"


def test_the_door_tablet_shows_the_code_of_the_day(browser, live_server, scene,
                                                   frozen):  # noqa: F811
    frozen.set(local("09:00").isoformat())
    with watched_page(browser, live_server, PHONE) as host:
        signed_in_host(host, scene["slug"])
        host.goto(f"/host/{scene['slug']}/door")
        host.locator("#name").fill("Tablet am Eingang")
        host.locator("main form button.primary").tap()
        link = host.locator("#new-device-link").get_attribute("href")
        assert_fits_phone(host)
    with watched_page(browser, live_server, TABLET) as tablet:
        parts = urlsplit(link)  # the configured site address: the test server's path instead
        tablet.goto(f"{parts.path}?{parts.query}")
        expect(tablet.locator("#door-code")).to_have_text(daily_code(scene["space"], TOMORROW))
        expect(tablet.locator("svg.qr")).to_be_visible()
        assert_fits_phone(tablet)
