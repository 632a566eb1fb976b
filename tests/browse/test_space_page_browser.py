"""A space's day and week in a real browser, on a phone (390×844) and a laptop (1366×768): the
timeline of ten desks over ten hours fits the screen without sideways scrolling and stays
short, its hours stay in view, free time is reachable by keyboard; the week shows all seven
days side by side on the laptop and one card per day on the phone, every link a full tap
target.

Headless Debian Chromium through Playwright, with the fixtures of tests/test_browser.py. The
clock stands on Wednesday 2027-03-03 09:00 (the server runs in a thread of this process and
sees the moved clock), so Monday and Tuesday of that week are over."""
import re

import pytest

from coworking.extensions import db
from tests.test_browser import (  # noqa: F401  (fixtures)
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
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1,
          "is_mobile": False, "has_touch": False, "locale": "de-DE",
          "timezone_id": "Europe/Berlin"}
SCREENS = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser, live_server):  # noqa: F811
    """A German browser context of the given size; closed before the server stops."""
    with watched_page(browser, live_server, SCREENS[request.param]) as page:
        page.screen_name = request.param
        yield page


@pytest.fixture
def slug(make_space, frozen):
    frozen.set("2027-03-03T09:00:00+01:00")
    space = make_space(desks=10, rooms=0, public_holidays_closed=False)  # open 08:00-18:00
    db.session.commit()
    return space.slug


def small_links(page):
    """Links in the page's main part smaller than 44×44 px, as `text: w×h`."""
    return page.evaluate("""() => [...document.querySelectorAll('main a')]
        .filter(a => a.getClientRects().length > 0)
        .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44)
        .map(([t, r]) => `${t}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")


def test_the_day_of_ten_desks_fits_the_screen_and_stays_short(screen, slug, shoot):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{slug}?date=2027-03-04")
    rows = page.locator("section.resource.tl-row")
    expect(rows).to_have_count(10)
    shoot(page, f"day-{page.screen_name}")
    assert_fits_phone(page)  # no sideways scrolling, on either screen
    # From the day's heading to its last desk: what panels above it (the header, the day
    # navigation, whatever is put after it) add is not the timeline's to answer for.
    top = page.locator("h2.day").bounding_box()["y"]
    timeline = page.locator(".timeline").bounding_box()
    height = timeline["y"] + timeline["height"] - top
    assert height < 1000, f"the day of ten desks is {height}px tall"
    # One bar per desk, as wide as the axis above it, each 44px high.
    axis = page.locator(".tl-axis .tl-track").bounding_box()
    for index in range(10):
        bar = rows.nth(index).locator(".tl-bar").bounding_box()
        assert bar["height"] >= 44
        assert abs(bar["x"] - axis["x"]) < 1 and abs(bar["width"] - axis["width"]) < 1
    free = page.locator("a.slot.free")
    expect(free).to_have_count(10)
    expect(free.first).to_have_attribute("aria-label", "Desk 1 frei 08:00–18:00, buchen")

    # The hours stay in view while the desks scroll past.
    page.evaluate("() => window.scrollTo(0, document.scrollingElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 0")
    axis = page.locator(".tl-axis").bounding_box()
    assert 0 <= axis["y"] and axis["y"] + axis["height"] <= SCREENS[page.screen_name][
        "viewport"]["height"], f"the time axis scrolled away: {axis}"
    if page.screen_name == "phone":  # the page is taller than the screen: the axis sticks on top
        assert axis["y"] < 2, axis
    expect(page.locator(".tl-axis .tl-tick").first).to_be_visible()
    shoot(page, f"day-{page.screen_name}-scrolled")


def test_free_time_is_reached_and_booked_by_keyboard(screen, slug):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{slug}?date=2027-03-04")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.slot.free')"):
            break
    focused = page.locator("a.slot.free:focus")
    expect(focused).to_have_attribute("aria-label", "Desk 1 frei 08:00–18:00, buchen")
    page.keyboard.press("Enter")
    # Signed out, booking asks for signing in first and then comes back to this stretch.
    expect(page).to_have_url(re.compile(r"/login\?next=.*book.*resource"))


def test_today_shows_the_morning_as_over(screen, slug):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{slug}")
    first_row = page.locator("section.resource.tl-row").first
    expect(first_row.locator(".slot.past")).to_have_count(1)
    expect(first_row.locator(".slot.past")).to_contain_text("vorbei 08:00–09:00")
    expect(first_row.locator('a.slot.free[data-start="09:00"]')).to_have_count(1)
    legend = page.locator(".tl-legend")
    for word in ("frei", "belegt", "deine Buchung", "vorbei"):
        expect(legend).to_contain_text(word)


def test_the_week_shows_seven_days_and_what_is_over(screen, slug, shoot):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{slug}?view=week")
    days = page.locator("ol.weekdays > li.weekday")
    expect(days).to_have_count(7)
    assert_fits_phone(page)
    boxes = [days.nth(i).bounding_box() for i in range(7)]
    width = page.evaluate("() => window.innerWidth")
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
    if page.screen_name == "laptop":
        # All seven side by side, in one row, within the first screen.
        assert len({round(box["y"]) for box in boxes}) == 1
        assert all(box["width"] >= 120 for box in boxes)
        assert boxes[0]["y"] < 768
    else:
        # One card per day, each as wide as the screen allows.
        assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
        assert all(box["width"] > 300 for box in boxes)
    for index in (0, 1):  # Monday, Tuesday
        expect(days.nth(index)).to_have_class(re.compile(r"\bpast\b"))
        expect(days.nth(index)).to_contain_text("vorbei")
        expect(days.nth(index).locator("a")).to_have_count(0)
    expect(days.nth(2)).to_contain_text("heute")
    expect(days.nth(2)).to_contain_text("ab 09:00")
    expect(days.nth(3)).to_contain_text("10 Std.")
    assert small_links(page) == [], "every link is a full tap target"
    shoot(page, f"week-{page.screen_name}")
    days.nth(3).locator("h3 a").click()
    expect(page).to_have_url(re.compile(r"date=2027-03-04$"))


def test_the_day_navigation_is_made_of_tap_targets(screen, slug):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{slug}?date=2027-03-04")
    nav = page.locator("nav.daynav")
    for name in ("← Früher", "Heute", "Später →", "Tag", "Woche"):
        box = nav.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (name, box)
    for control in (nav.locator("input[type=date]"), nav.get_by_role("button", name="Anzeigen")):
        assert control.bounding_box()["height"] >= 44
    nav.get_by_role("link", name="Später →").click()
    expect(page.locator("h2.day")).to_have_text("Freitag, 5. März 2027")


@pytest.fixture
def busy(make_space, make_user, frozen):
    """Eight desks and a meeting room, every desk taken from ten to two on Thursday."""
    from datetime import datetime

    from coworking.bookings.service import book
    from tests.factories import resources_of
    frozen.set("2027-03-03T09:00:00+01:00")
    space = make_space(desks=8, rooms=1, public_holidays_closed=False)
    from sqlalchemy import update

    from coworking.spaces.models import Resource
    room = resources_of(space, "meeting_room")[0]
    db.session.execute(update(Resource).where(Resource.id == room.id)
                       .values(name="Besprechungsraum"))
    db.session.commit()  # before the bookings: a unit of work begins afresh
    for desk in resources_of(space):
        book(make_user(), desk.id, datetime.fromisoformat("2027-03-04T10:00:00+01:00"),
             datetime.fromisoformat("2027-03-04T14:00:00+01:00"))
    db.session.commit()
    return space.slug


def test_the_week_does_not_call_a_day_full_from_ten_to_two_free(screen, busy):  # noqa: F811
    page = screen
    page.goto(f"/spaces/{busy}?view=week")
    thursday = page.locator("ol.weekdays > li.weekday").nth(3)
    expect(thursday.locator(".wd-status")).to_have_text("ganztags frei: 1 von 9")
    expect(thursday.locator(".wd-fullest")).to_have_text("am vollsten 10:00–11:00: 1 frei")
    friday = page.locator("ol.weekdays > li.weekday").nth(4)
    expect(friday.locator(".wd-status")).to_have_text("ganztags frei: 9 von 9")
    expect(friday.locator(".wd-fullest")).to_have_count(0)
    # Whole names, not "Besprechu…": the name's box is as wide as its text needs.
    name = thursday.locator(".wd-name", has_text="Besprechungsraum")
    expect(name).to_have_text("Besprechungsraum")
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1",
                         name.element_handle())
    assert_fits_phone(page)
