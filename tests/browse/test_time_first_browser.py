"""End to end in a real browser: from a space's page a signed-in member books any free desk
for tomorrow in two taps ("Morgen", then "Beliebigen freien Platz buchen"), on a phone and on
a desktop screen.

Headless Debian Chromium through Playwright, with the browser and server fixtures of
tests/test_browser.py, on the real clock. Selectors use ids, classes and data attributes."""
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworking.extensions import db
from tests.factories import resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    ACCENT,
    DESKTOP,
    PHONE,
    assert_fits_phone,
    bookings_in_db,
    browser,
    live_server,
    pytestmark,
    sign_in,
    sync_api,
    watched_page,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser, live_server):  # noqa: F811
    with watched_page(browser, live_server, request.param) as page:
        yield page


@pytest.fixture
def scene(make_space, make_user):
    space = make_space(public_holidays_closed=False)
    user = make_user()
    tomorrow = datetime.now(BERLIN).date() + timedelta(days=1)
    values = {"slug": space.slug, "email": user.email, "user_id": user.id,
              "desk_id": resources_of(space)[0].id, "tomorrow": tomorrow}
    db.session.commit()  # the server has its own sessions
    return values


def press(page, target):
    """A tap on the phone, a click on the desktop."""
    if page.viewport_size["width"] == PHONE["viewport"]["width"]:
        target.tap()
    else:
        target.click()


def test_any_free_desk_for_tomorrow_in_two_taps(screen, scene):
    page = screen
    if page.viewport_size["width"] == PHONE["viewport"]["width"]:
        sign_in(page, scene["email"], "correct horse")
    else:
        page.goto("/login")
        page.locator("#email").fill(scene["email"])
        page.locator("#password").fill("correct horse")
        page.locator("main form:not(.later-start) [type=submit]").click()
        expect(page.locator('header a[href="/bookings"]')).to_be_visible()
    page.goto(f"/spaces/{scene['slug']}")
    tomorrow = scene["tomorrow"]

    press(page, page.locator(f'a.quick-day[data-date="{tomorrow.isoformat()}"]'))
    expect(page).to_have_url(re.compile(rf"date={tomorrow.isoformat()}#time-first$"))
    expect(page.locator(f'a.quick-day[data-date="{tomorrow.isoformat()}"]')) \
        .to_have_attribute("aria-current", "date")
    expect(page.locator(".free-count")).to_contain_text("3 von 3 Plätzen frei von 08:00 bis 18:00")
    button = page.locator("#book-any")
    expect(button).to_be_in_viewport()
    expect(button).to_have_css("background-color", ACCENT)
    expect(button).to_have_text("Beliebigen freien Platz buchen")
    assert button.bounding_box()["height"] >= 44
    assert_fits_phone(page)
    press(page, button)

    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.success")).to_contain_text("Desk 1")
    expect(page.locator("li.booking.confirmed")).to_contain_text("08:00–18:00")
    (booking,) = bookings_in_db()
    assert (booking.user_id, booking.resource_id, booking.status, booking.source) == \
        (scene["user_id"], scene["desk_id"], "confirmed", "web")
    assert booking.start_at == datetime.combine(tomorrow, time(8), tzinfo=BERLIN).astimezone(UTC)
    assert booking.end_at == datetime.combine(tomorrow, time(18), tzinfo=BERLIN).astimezone(UTC)


def test_a_changed_time_is_counted_at_once_without_a_reload(screen, scene):
    page = screen
    page.goto(f"/spaces/{scene['slug']}?date={scene['tomorrow'].isoformat()}")
    expect(page.locator(".free-count")).to_contain_text("von 08:00 bis 18:00")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("#tf-from").select_option("10:00")
    expect(page.locator(".free-count")).to_contain_text("3 von 3 Plätzen frei von 10:00 bis 18:00")
    page.locator("#tf-until").select_option("12:00")
    expect(page.locator(".free-count")).to_contain_text("3 von 3 Plätzen frei von 10:00 bis 12:00")
    assert page.evaluate("() => window.notReloaded") is True  # the same page, not a new one
    expect(page).to_have_url(re.compile(r"from=10%3A00&until=12%3A00#time-first$"))
    expect(page.locator("#tf-until")).to_be_focused()  # the keyboard stays where it was
    expect(page.locator(".stale-hint")).to_be_hidden()
    button = page.locator("#book-any")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    # Signed out, the button leads to sign-in and back to the new range.
    expect(button).to_have_attribute("href", re.compile(r"from%3D10(%253A|%3A|:)00"))


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_without_javascript_show_still_counts_the_new_range(browser, live_server,  # noqa: F811
                                                            scene, device):
    with watched_page(browser, live_server, {**device, "java_script_enabled": False}) as page:
        page.goto(f"/spaces/{scene['slug']}?date={scene['tomorrow'].isoformat()}")
        page.locator("#tf-from").select_option("10:00")
        expect(page.locator(".free-count")).to_contain_text("von 08:00 bis 18:00")
        press(page, page.locator(".time-first form.range [type=submit]"))
        expect(page.locator(".free-count")).to_contain_text(
            "3 von 3 Plätzen frei von 10:00 bis 18:00")


def test_signed_out_the_sign_in_page_names_the_range_chosen(screen, scene):
    page = screen
    page.goto(f"/spaces/{scene['slug']}?date={scene['tomorrow'].isoformat()}")
    page.locator("#tf-from").select_option("09:00")
    page.locator("#tf-until").select_option("13:00")
    expect(page.locator(".free-count")).to_contain_text("von 09:00 bis 13:00")
    hint = page.locator(".sign-in-links")
    expect(hint).to_have_text("Zum Buchen bitte anmelden oder registrieren.")
    expect(hint.get_by_role("link", name="registrieren")).to_have_attribute(
        "href", re.compile(r"^/register\?next="))
    press(page, hint.get_by_role("link", name="anmelden"))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    named = page.locator(".waiting-slot")
    expect(named).to_be_visible()
    expect(named).to_contain_text("09:00–13:00")
    expect(named).to_contain_text("beliebig, was frei ist: Flexibler Arbeitsplatz")
    page.locator("#email").fill(scene["email"])
    page.locator("#password").fill("correct horse")
    press(page, page.locator("main form:not(.later-start) [type=submit]"))
    expect(page.locator(".free-count")).to_contain_text("von 09:00 bis 13:00")
    expect(page.locator("#book-any")).to_be_visible()
