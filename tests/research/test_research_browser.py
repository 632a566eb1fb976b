"""In a real browser: a researcher on a phone finds the research page in the navigation,
picks March 2027, reads the charts and their tables, and downloads the data package; on a
desktop screen the charts are drawn side by side with the same numbers.

Headless Debian Chromium through Playwright, with the fixtures of tests/test_browser.py."""
import zipfile

import pytest

from coworking.extensions import db
from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_fits_phone,
    browser,
    live_server,
    phone,
    pytestmark,
    sign_in,
    sync_api,
)

expect = sync_api.expect
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE",
           "timezone_id": "Europe/Berlin"}


@pytest.fixture
def researcher(app, make_user, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    user = make_user(email="forscherin@example.org", role="researcher", covered=False)
    db.session.commit()
    return {"email": user.email, "town": dst_week.space.town.name}


def open_research(page, tap=False):
    """Through the menu: "Forschung" sits under the operators' part of it (on a wide screen
    the menu's own toggle is hidden, and only the operators' part opens)."""
    page.wait_for_load_state("load")  # the style sheet decides which toggles show
    link = page.get_by_role("link", name="Forschung")
    for summary in ("#menu > summary", "#menu details summary"):
        toggle = page.locator(summary).first
        if link.is_visible():
            break
        if toggle.is_visible() and toggle.locator("xpath=..").get_attribute("open") is None:
            toggle.tap() if tap else toggle.click()
    link.tap() if tap else link.click()


def show_march(page):
    page.locator("#from").fill("2027-03-01")
    page.locator("#to").fill("2027-03-31")
    page.get_by_role("button", name="Anzeigen").tap()
    expect(page.locator("svg.research-trend")).to_be_visible()


def test_a_researcher_reads_and_downloads_on_a_phone(phone, researcher, tmp_path):  # noqa: F811
    sign_in(phone, researcher["email"], "correct horse")
    open_research(phone, tap=True)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Forschung")
    show_march(phone)
    expect(phone.locator("table.research-table").first).to_contain_text("5 Besuche, 4 Mitglieder")
    phone.get_by_text("Besuche und Mitglieder als Tabelle").tap()
    expect(phone.get_by_role("region", name="Besuche und Mitglieder je Monat", exact=True)) \
        .to_be_visible()
    assert_fits_phone(phone)
    box = phone.get_by_role("link", name="Datenpaket herunterladen (zip)").bounding_box()
    assert box["height"] >= 44
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Datenpaket herunterladen (zip)").tap()
    path = tmp_path / "package.zip"
    download.value.save_as(path)
    assert "datapackage.json" in zipfile.ZipFile(path).namelist()


def test_the_charts_on_a_desktop_screen(browser, live_server, researcher):  # noqa: F811
    context = browser.new_context(base_url=live_server, service_workers="block", **DESKTOP)
    page = context.new_page()
    try:
        page.goto("/login")
        page.locator("#email").fill(researcher["email"])
        page.locator("#password").fill("correct horse")
        page.locator("main form:not(.later-start) [type=submit]").click()
        open_research(page)
        page.goto("/research?from=2027-03-01&to=2027-03-31")
        for chart in ("svg.research-trend", "svg.research-bars", "svg.research-heat"):
            expect(page.locator(chart)).to_be_visible()
        width = page.locator("svg.research-trend").bounding_box()["width"]
        assert 600 <= width <= 720  # grows with the screen up to its limit
        # Monday 09:00: u1 on one of March's five Mondays, a fifth of a person on average.
        page.get_by_text("Anwesenheit als Tabelle").click()
        row = page.locator("table.research-table").last.locator("tr", has_text="09:00")
        expect(row.locator("td").first).to_have_text("0,2")
    finally:
        context.close()


def visible_month_labels(page, chart):
    """Bounding boxes of the month names shown under `chart`'s axis."""
    boxes = []
    for label in page.locator(f"svg.{chart} text.mid").all():
        if label.is_visible() and "year" not in (label.get_attribute("class") or ""):
            boxes.append(label.bounding_box())
    return boxes


def assert_labels_apart(boxes, months):
    assert 2 <= len(boxes) <= months
    for left, right in zip(boxes, boxes[1:]):
        assert left["x"] + left["width"] < right["x"], (left, right)
    assert min(box["height"] for box in boxes) >= 9  # readable, not shrunk to specks


def test_a_year_of_month_labels_does_not_collide_on_a_phone_or_a_desktop(  # noqa: F811
        phone, browser, live_server, researcher):
    year = "/research?from=2026-04-01&to=2027-03-31"
    sign_in(phone, researcher["email"], "correct horse")
    phone.goto(year)
    boxes = visible_month_labels(phone, "research-trend")
    assert_labels_apart(boxes, 12)
    assert len(boxes) < 12  # thinned out on the phone
    assert_labels_apart(visible_month_labels(phone, "research-bars"), 12)
    context = browser.new_context(base_url=live_server, service_workers="block", **DESKTOP)
    page = context.new_page()
    try:
        page.goto("/login")
        page.locator("#email").fill(researcher["email"])
        page.locator("#password").fill("correct horse")
        page.locator("main form:not(.later-start) [type=submit]").click()
        open_research(page)
        page.goto(year)
        boxes = visible_month_labels(page, "research-trend")
        assert len(boxes) == 12
        assert_labels_apart(boxes, 12)
    finally:
        context.close()
