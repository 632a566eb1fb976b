"""End to end in a real browser: a host on a tablet checks a member in from the day page with
one tap, and another member, signed out at the door, follows the link with the day's code,
signs in, comes back to the self check-in page and checks in with one tap.

Headless Debian Chromium through Playwright, as in tests/test_browser.py, whose browser and
server fixtures it shares. The clock stands at 09:10 on the real tomorrow (the server runs in
a thread of this process and sees the moved clock; the browser's cookies stay valid)."""
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.checkins.models import Visit
from coworking.extensions import db
from tests.factories import resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_fits_phone,
    browser,
    live_server,
    phone,
    pytestmark,
    sync_api,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")
TOMORROW = (datetime.now(BERLIN) + timedelta(days=1)).date()  # read before any clock moves
TABLET = {"viewport": {"width": 800, "height": 1280}, "device_scale_factor": 2,
          "is_mobile": True, "has_touch": True, "locale": "de-DE",
          "timezone_id": "Europe/Berlin"}


def local(hm):
    hours, minutes = map(int, hm.split(":"))
    return datetime(TOMORROW.year, TOMORROW.month, TOMORROW.day, hours, minutes, tzinfo=BERLIN)


@pytest.fixture
def tablet(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server, service_workers="block", **TABLET)
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 500 else None)
    page.on("console", lambda m: errors.append(f"blocked: {m.text}")
            if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def scene(make_space, make_user, frozen):
    frozen.set(local("07:00").isoformat())
    space = make_space(public_holidays_closed=False)
    desks = resources_of(space)
    host = make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
    anna = make_user(email="anna@example.org", name="Anna Arrives")
    mara = make_user(email="mara@example.org", name="Mara Scans")
    values = {
        "slug": space.slug, "host": host.email, "mara": mara.email, "password": "correct horse",
        "anna_booking": book(anna, desks[0].id, local("09:00"), local("12:00")).id,
        "mara_booking": book(mara, desks[1].id, local("09:30"), local("13:00")).id,
    }
    frozen.set(local("09:10").isoformat())
    db.session.commit()  # the server has its own sessions
    return values


def in_db(model, **criteria):
    db.session.commit()
    return db.session.scalars(select(model).filter_by(**criteria)
                              .execution_options(populate_existing=True)).one()


def no_unlabelled_inputs(page):
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
        .filter(el => el.getClientRects().length > 0)
        .filter(el => !el.labels || el.labels.length === 0)
        .map(el => el.outerHTML)""")
    assert not unlabelled, f"inputs without a <label>: {unlabelled}"


def test_a_host_checks_a_member_in_and_a_member_checks_in_with_the_code(tablet, phone, scene,
                                                                        tmp_path):
    # The host signs in and opens their day: /host leads straight to their one space.
    host = tablet
    host.goto("/login?next=/host")
    host.locator("#email").fill(scene["host"])
    host.locator("#password").fill(scene["password"])
    host.locator("main form:not(.later-start) [type=submit]").tap()
    expect(host).to_have_url(re.compile(rf"/host/{scene['slug']}$"))
    expect(host.locator("html")).to_have_attribute("lang", "de")
    expect(host.locator("#occupancy")).to_have_attribute("data-present", "0")
    anna = host.locator(f"li#booking-{scene['anna_booking']}")
    expect(anna).to_have_class(re.compile(r"\bconfirmed\b"))
    expect(anna).to_contain_text("Anna Arrives")
    button = anna.locator("button.check-in")
    assert button.bounding_box()["height"] >= 44, "one tap needs a comfortable target"
    no_unlabelled_inputs(host)
    host.screenshot(path=str(tmp_path / "host-day.png"), full_page=True)

    button.tap()
    expect(host).to_have_url(re.compile(rf"/host/{scene['slug']}#booking-{scene['anna_booking']}$"))
    expect(host.locator(".flash.success")).to_be_visible()
    expect(anna).to_have_class(re.compile(r"\bchecked_in\b"))
    expect(anna.locator("button.check-out")).to_be_visible()
    expect(host.locator("#occupancy")).to_have_attribute("data-present", "1")
    code = host.locator("#checkin-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert in_db(Booking, id=scene["anna_booking"]).status == "checked_in"
    assert in_db(Visit, booking_id=scene["anna_booking"]).check_in_method == "host"

    # The poster the host printed carries the same code, and the link Mara's camera reads.
    host.goto(f"/host/{scene['slug']}/poster")
    expect(host.locator(".poster-code")).to_have_text(code)
    poster_link = host.locator(".poster-link a").get_attribute("href")
    door = poster_link[poster_link.index("/checkin/"):]
    assert door == f"/checkin/{scene['slug']}?code={code}"
    host.go_back()

    # Mara follows the poster's link on her phone, signed out: sign in first, then back.
    phone.goto(door)
    expect(phone).to_have_url(re.compile(r"/login\?next="))
    phone.locator("#email").fill(scene["mara"])
    phone.locator("#password").fill(scene["password"])
    phone.locator("main form:not(.later-start) [type=submit]").tap()
    expect(phone).to_have_url(re.compile(re.escape(door) + "$"))
    booking = phone.locator("section.door.booking")
    expect(booking).to_be_visible()
    check_in = booking.locator("[type=submit]")
    expect(check_in).to_have_css("background-color", "rgb(11, 94, 85)")  # the primary action
    assert_fits_phone(phone)
    phone.screenshot(path=str(tmp_path / "self-check-in.png"), full_page=True)

    check_in.tap()
    expect(phone.locator(".flash.success")).to_be_visible()
    expect(phone.locator("section.door.checked-in")).to_be_visible()
    assert_fits_phone(phone)
    visit = in_db(Visit, booking_id=scene["mara_booking"])
    assert visit.check_in_method == "self" and visit.checked_in_by_id is None
    assert visit.checked_in_at == local("09:10").astimezone(UTC)

    # The host's page shows both present.
    host.reload()
    expect(host.locator("#occupancy")).to_have_attribute("data-present", "2")
