"""End to end in a real browser, on a phone and on a desktop: a member opens the series page
from the space, picks Tuesday and Thursday for four weeks, sees one date closed and one taken
and which day of their card pays for each of the others, books the free ones in one go and
finds them grouped under "my bookings".

Headless Debian Chromium through Playwright, with the browser and server of
tests/test_browser.py, on the real clock: the series starts on a Tuesday at least two days
ahead."""
import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.bookings.series import SeriesItem
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.factories import give_membership, make_plan, resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    BERLIN,
    DESKTOP,
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    sync_api,
    watched_page,
)

expect = sync_api.expect


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_server):  # noqa: F811
    with watched_page(browser, live_server,
                      PHONE if request.param == "phone" else DESKTOP) as page:
        yield page


@pytest.fixture
def scene(make_space, make_user):
    """Two desks; the first Thursday closed, both desks taken on the second Tuesday."""
    space = make_space(desks=2, rooms=0, public_holidays_closed=False)
    today = datetime.now(BERLIN).date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    if tuesday - today < timedelta(days=2):
        tuesday += timedelta(days=7)
    dates = [tuesday + timedelta(days=week * 7 + extra) for week in range(4) for extra in (0, 2)]
    closed, taken = dates[1], dates[2]
    db.session.add(Closure(space_id=space.id, start_date=closed, end_date=closed,
                           reason="Inventur"))
    db.session.commit()
    for desk in resources_of(space):
        book(make_user(), desk.id, datetime.combine(taken, time(11), tzinfo=BERLIN),
             datetime.combine(taken, time(12), tzinfo=BERLIN))
    member = make_user(covered=False)
    give_membership(member, make_plan("10er-Karte", spaces=[space]))
    values = {"slug": space.slug, "email": member.email, "user_id": member.id,
              "password": "correct horse", "dates": dates, "closed": closed, "taken": taken}
    db.session.commit()  # the server has its own sessions
    return values


def no_unlabelled_inputs(page):
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
        .filter(el => el.getClientRects().length > 0)
        .filter(el => !el.labels || el.labels.length === 0)
        .map(el => el.outerHTML)""")
    assert not unlabelled, f"inputs without a <label>: {unlabelled}"


def sign_in(page, email, password):
    """As tests/test_browser.py's, with a click: a desktop has no touch screen."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form:not(.later-start) [type=submit]").click()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()


def row(page, day, state):
    return page.locator(f'tr[data-date="{day.isoformat()}"][data-state="{state}"]')


def test_a_member_books_a_series_with_a_closed_and_a_taken_date(page, scene, tmp_path):
    sign_in(page, scene["email"], scene["password"])
    page.goto(f"/spaces/{scene['slug']}")
    page.locator(".series-link a").click()
    expect(page).to_have_url(re.compile(rf"/spaces/{scene['slug']}/series$"))
    for weekday in ("1", "3"):
        page.locator(f'input[name="weekdays"][value="{weekday}"]').check()
    page.locator("#start_time").select_option("09:00")
    page.locator("#end_time").select_option("17:00")
    page.locator("#first_day").fill(scene["dates"][0].isoformat())
    page.locator("#weeks").fill("4")
    no_unlabelled_inputs(page)
    page.locator("form.series-form [type=submit]").click()

    expect(page.locator("table.series-dates tbody tr")).to_have_count(8)
    expect(row(page, scene["closed"], "closed")).to_contain_text("Inventur")
    expect(row(page, scene["taken"], "taken")).to_be_visible()
    expect(page.locator('tr[data-state="free"]')).to_have_count(6)
    expect(page.locator("#series-cover")).to_have_text("6 freie Termine: 6 über „10er-Karte“.")
    expect(row(page, scene["dates"][0], "free")).to_contain_text("10er-Karte, Tag 1 von 10")
    expect(row(page, scene["dates"][-1], "free")).to_contain_text("10er-Karte, Tag 6 von 10")
    button = page.locator("#book-series")
    expect(button).to_have_text("6 freie Termine buchen")
    assert button.bounding_box()["height"] >= 44
    assert_fits_phone(page)
    page.screenshot(path=str(tmp_path / "series-preview.png"), full_page=True)

    button.click()
    expect(page.locator("h1")).to_have_text("6 Termine gebucht")
    expect(page.locator('tr[data-state="booked"]')).to_have_count(6)
    expect(row(page, scene["closed"], "closed")).to_be_visible()
    assert_fits_phone(page)
    page.screenshot(path=str(tmp_path / "series-booked.png"), full_page=True)

    page.locator("main a[href='/bookings']").click()
    series = page.locator("section.series")
    expect(series.locator("li.booking.confirmed")).to_have_count(6)
    expect(series.locator("summary").last).to_have_text("Ganze Serie stornieren")
    assert_fits_phone(page)
    page.screenshot(path=str(tmp_path / "series-mine.png"), full_page=True)

    db.session.commit()  # a fresh snapshot: the server's writes show
    booked = db.session.scalars(
        select(Booking).join(SeriesItem, SeriesItem.booking_id == Booking.id)
        .where(Booking.user_id == scene["user_id"]).order_by(Booking.start_at)).all()
    expected = [d for d in scene["dates"] if d not in (scene["closed"], scene["taken"])]
    assert [b.start_at.astimezone(BERLIN).date() for b in booked] == expected
    assert {b.start_at.astimezone(BERLIN).time() for b in booked} == {time(9)}
