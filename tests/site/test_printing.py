"""A booking confirmation on paper: the details, the space's address and the check-in hint in
black on white, without the navigation, buttons or footer; one A4 page.

Headless Chromium through Playwright, with the browser and server of tests/test_browser.py.
"""
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworking.bookings.service import book
from coworking.extensions import db
from tests.factories import resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    browser,
    live_server,
    phone,
    pytestmark,
    sign_in,
    sync_api,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")
BLACK, WHITE = "rgb(0, 0, 0)", "rgb(255, 255, 255)"


@pytest.fixture
def confirmation(make_space, make_user):
    """The path of a member's booking confirmation, and the member's e-mail."""
    space = make_space(public_holidays_closed=False)
    desk = resources_of(space)[0]
    member = make_user(email="mia@example.org", name="Mia Member")
    start = datetime.combine(datetime.now(BERLIN).date() + timedelta(days=3), time(10),
                             tzinfo=BERLIN)
    book(member, desk.id, start, start + timedelta(hours=4))
    path = (f"/spaces/{space.slug}/book?resource={desk.id}"
            f"&start={start.isoformat().replace('+', '%2B')}")
    values = {"path": path, "email": member.email, "address": space.address,
              "desk": desk.name}
    db.session.commit()  # the server has its own sessions
    return values


def test_a_booking_confirmation_prints_its_details_alone(phone, confirmation, tmp_path):
    page = phone
    sign_in(page, confirmation["email"], "correct horse")
    page.goto(confirmation["path"])
    expect(page.locator("main h1")).to_have_text("Deine Buchung")
    expect(page.locator("header.top")).to_be_visible()  # on screen, all is there

    page.emulate_media(media="print")
    for hidden in ("header.top", "footer.bottom", "a.skip", "main a.button",
                   'main a[download]', "main .flash"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    summary = page.locator("dl.summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(confirmation["address"])
    expect(summary).to_contain_text(confirmation["desk"])
    expect(summary).to_contain_text("10:00")
    expect(page.locator(".checkin-hint")).to_be_visible()
    expect(page.locator("body")).to_have_css("background-color", WHITE)
    expect(page.locator("main h1")).to_have_css("color", BLACK)
    expect(summary.locator("dd").first).to_have_css("color", BLACK)

    page.screenshot(path=str(tmp_path / "confirmation-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "confirmation.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the confirmation fits one page"
