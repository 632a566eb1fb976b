"""The overview on a phone, in a real browser: the five seeded spaces with their texts fit
390 px without sideways scrolling, nothing is loaded from another origin (the map is a link),
and the week's opening hours open and close from the keyboard.

Headless Debian Chromium through Playwright, with the fixtures of tests/test_browser.py.
"""
from coworking.extensions import db
from coworking.seed import seed_demo
from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_fits_phone,
    browser,
    live_server,
    phone,
    pytestmark,
    shoot,
    sync_api,
)

expect = sync_api.expect


def test_the_overview_fits_a_phone_and_the_week_opens_with_the_keyboard(
        app, phone, live_server, shoot):  # noqa: F811
    seed_demo()
    db.session.commit()
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto("/")
    expect(phone.locator("li.card")).to_have_count(5)
    assert_fits_phone(phone)
    first = phone.locator("li.card").first
    expect(first.locator(".today-free")).to_be_visible()
    expect(first.locator("a.map-link")).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=47.952620&mlon=11.101280"
                "#map=18/47.952620/11.101280")
    assert all(url.startswith(live_server) for url in requested), requested

    week = first.locator("details.week-hours")
    summary = week.locator("summary")
    expect(week.locator("dl.hours")).to_be_hidden()
    # Tab through the page until the first card's toggle has the focus, as a keyboard user would.
    for _ in range(30):
        phone.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the week's toggle cannot be reached with the Tab key")
    phone.keyboard.press("Enter")
    expect(week).to_have_attribute("open", "")
    expect(week.locator("dl.hours")).to_be_visible()
    expect(week.locator("dl.hours dt").first).to_have_text("Mo")
    assert_fits_phone(phone)
    shoot(phone, "overview-phone-week-open")
    phone.keyboard.press("Space")
    expect(week.locator("dl.hours")).to_be_hidden()

    for target in (summary, first.locator("a.map-link"),
                   first.locator(".about-contact a").first):
        box = target.bounding_box()
        assert box["height"] >= 44, f"{target} is {box['height']}px high"
    assert all(url.startswith(live_server) for url in requested), requested


def test_the_overview_and_a_space_page_on_a_desktop(app, browser, live_server, shoot):  # noqa: F811
    seed_demo()
    db.session.commit()
    context = browser.new_context(base_url=live_server, service_workers="block", viewport={"width": 1280, "height": 800},
                                  locale="de-DE", timezone_id="Europe/Berlin")
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.locator("li.card")).to_have_count(5)
        assert_fits_phone(page)
        shoot(page, "overview-desktop")
        page.goto("/spaces/moelln")
        expect(page.locator(".about a.map-link")).to_be_visible()
        facts = page.locator(".about-facts")
        expect(facts).to_be_hidden()
        page.locator("details.about-more summary").click()
        expect(facts).to_be_visible()
        expect(facts).to_contain_text("So kommst du rein")
        assert_fits_phone(page)
    finally:
        context.close()
