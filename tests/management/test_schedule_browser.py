"""End to end in a real browser on a phone: a host shortens one weekday's hours from a day
three days ahead, sees the bookings the change hits, chooses per booking to move, shorten or
cancel it, and confirms; the member's bookings then say what the space did and why.

Headless Debian Chromium through Playwright, the app served from a thread on the real clock
(the server and the browser share no frozen one), as in tests/test_browser.py, whose fixtures
it shares."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworking.bookings.service import book
from coworking.extensions import db
from coworking.spaces.service import WEEKDAYS
from tests.factories import resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    sign_in,
    sync_api,
    watched_page,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def scene(make_space, make_user):
    """A space open 08:00–18:00 every day, and three bookings of one member on the day
    three days ahead, each reaching past 13:00 (one person holds one desk at a time, so they
    do not overlap)."""
    space = make_space(public_holidays_closed=False)
    desks = resources_of(space)[:3]
    host = make_user(email="host@example.org", role="host", space=space)
    member = make_user(email="mia@example.org", name="Mia Member")
    day = (datetime.now(BERLIN) + timedelta(days=3)).date()

    def local(hour):
        return datetime.combine(day, time(hour), tzinfo=BERLIN)

    ids = {outcome: book(member, desk.id, local(start), local(end)).id
           for outcome, desk, (start, end) in zip(
               ("move", "shorten", "cancel"), desks, ((14, 15), (12, 14), (15, 17)))}
    values = {"slug": space.slug, "host": host.email, "member": member.email,
              "password": "correct horse", "day": day, "ids": ids}
    db.session.commit()  # end the test's transaction: the server has its own sessions
    return values


def test_a_host_changes_the_hours_and_chooses_per_booking_on_a_phone(browser, live_server,
                                                                    scene):
    with watched_page(browser, live_server, PHONE) as page:
        sign_in(page, scene["host"], scene["password"])
        page.goto(f"/manage/{scene['slug']}/hours")
        weekday = WEEKDAYS[scene["day"].weekday()]
        page.locator(f"#{weekday}").fill("08:00–13:00")
        page.locator("#effective_from").fill(scene["day"].isoformat())
        page.locator("main form:not(.later-start) [type=submit]").tap()

        # Nothing has changed yet: the bookings hit, each with its own choice.
        rows = page.locator("tr[data-booking]")
        expect(rows).to_have_count(3)
        assert_fits_phone(page)
        for outcome, booking_id in scene["ids"].items():
            page.locator(f'select[name="outcome-{booking_id}"]').select_option(outcome)
        page.locator("#reason").fill("Nachmittags tagt der Gemeinderat.")
        page.locator("main form button.danger").tap()
        expect(page).to_have_url(f"{live_server}/manage/{scene['slug']}")
        expect(page.locator(".flash.success")).to_contain_text("verschoben")

    with watched_page(browser, live_server, PHONE) as page:
        sign_in(page, scene["member"], scene["password"])
        page.goto("/bookings")
        ids = scene["ids"]
        expect(page.locator(f"#booking-{ids['move']} .status")).to_have_text(
            "verschoben: Nachmittags tagt der Gemeinderat.")
        expect(page.locator(f"#booking-{ids['shorten']} .status")).to_have_text(
            "gekürzt: Nachmittags tagt der Gemeinderat.")
        expect(page.locator(f"#booking-{ids['cancel']} .status")).to_have_text(
            "vom Standort abgesagt: Nachmittags tagt der Gemeinderat.")
        # Shortened to the new closing time; moved to the free hour nearest its own.
        expect(page.locator(f"#booking-{ids['shorten']}")).to_contain_text("12:00–13:00")
        expect(page.locator(f"#booking-{ids['move']}")).to_contain_text("11:00–12:00")
        assert_fits_phone(page)
