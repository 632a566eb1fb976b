"""End to end in a real browser: a member on a phone pays for a 10-visit card on the local
Stripe-compatible Checkout page, comes back to a page that shows the card active with ten
days, books a desk over the API, and sees nine left.

Headless Debian Chromium (`apt-get install chromium`) through Playwright; the app and the
Stripe-compatible server both run on 127.0.0.1 in threads of this process, on the real clock,
and the server posts its signed webhook events to the app as Stripe would.
"""
import os
import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from werkzeug.serving import make_server

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.memberships.service import buy
from tests.factories import make_plan, resources_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True, "locale": "de-DE",
         "timezone_id": "Europe/Berlin"}
BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason="Debian chromium not installed: apt-get install chromium")
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def live_server(app, online):
    """The app on a free port, and the Stripe-compatible server posting its events there."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    online.webhook_url = f"{base}/webhooks/stripe"
    yield base
    online.webhook_url = None
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def phone(live_server):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
        page = context.new_page()
        problems = []
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                if r.status >= 500 else None)
        page.on("console", lambda m: problems.append(f"blocked: {m.text}")
                if "Content Security Policy" in m.text else None)
        yield page
        context.close()
        browser.close()
        assert not problems, problems


@pytest.fixture
def buying(make_space, make_user):
    """A member without any plan, who has chosen the 10-visit card (a payment is due)."""
    space = make_space(public_holidays_closed=False)
    member = make_user(covered=False)
    card = make_plan("10er-Karte", spaces=[space])
    _membership, payment = buy(member, card.id, online=True)
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    scene = {"payment_id": payment.id, "email": member.email, "token": issue_api_token(member),
             "desk_id": resources_of(space)[0].id,
             "start": datetime.combine(day, time(10), tzinfo=BERLIN).isoformat(),
             "end": datetime.combine(day, time(11), tzinfo=BERLIN).isoformat()}
    db.session.commit()  # the server has its own sessions
    return scene


def test_a_member_buys_a_ten_visit_card_and_spends_a_day_of_it(phone, live_server, buying):
    page = phone
    page.goto("/login")
    page.locator("#email").fill(buying["email"])
    page.locator("#password").fill("correct horse")
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()

    page.goto(f"/billing/payments/{buying['payment_id']}")
    expect(page.locator("h1")).to_contain_text("10er-Karte")
    expect(page.locator("#payment-summary")).to_contain_text("120,00")
    page.locator("#pay").tap()

    # Stripe's hosted page (here the local server's).
    expect(page.get_by_label("Email")).to_have_value(buying["email"])
    page.get_by_label("Name on card").fill("Test Member")
    page.get_by_role("button", name="Pay").click()

    page.wait_for_url(f"{live_server}/billing/return/{buying['payment_id']}?session_id=*")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#payment-state")).to_have_attribute("data-status", "paid")
    expect(page.locator("h1")).to_have_text("Danke für deine Zahlung!")
    expect(page.locator("#membership")).to_have_attribute("data-status", "active")
    expect(page.locator("#credits-left")).to_have_text("10")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the page is wider than the phone"

    booked = requests.post(f"{live_server}/api/v1/bookings", timeout=30,
                           headers={"Authorization": f"Bearer {buying['token']}"},
                           json={"resource_id": buying["desk_id"], "start": buying["start"],
                                 "end": buying["end"]})
    assert booked.status_code == 201 and booked.json()["status"] == "confirmed"

    page.reload()
    expect(page.locator("#credits-left")).to_have_text("9")
