"""The hosted Checkout page in a real headless browser (Debian Chromium through Playwright; no
browser is downloaded): fill in the form, press Pay, land on the success URL."""
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason="Debian chromium not installed: apt-get install chromium")
sync_api = pytest.importorskip("playwright.sync_api")


def test_a_member_pays_on_the_hosted_page_in_a_browser(stripe_server):
    session = stripe_server.client().v1.checkout.sessions.create({
        "mode": "payment", "customer_email": "anna@example.org",
        "line_items": [{"price_data": {"currency": "eur", "unit_amount": 1500,
                                       "product_data": {"name": "Day pass"}}, "quantity": 1}],
        "success_url": "https://cowork.test/paid?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://cowork.test/plans"})

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("https://cowork.test/**",
                       lambda route: route.fulfill(body="<h1>Thank you</h1>",
                                                   content_type="text/html"))
            page.goto(session.url)
            sync_api.expect(page.get_by_label("Email")).to_have_value("anna@example.org")
            page.get_by_label("Name on card").fill("Anna Example")
            page.get_by_role("button", name="Pay").click()
            page.wait_for_url(f"https://cowork.test/paid?session={session.id}")
        finally:
            browser.close()

    paid = stripe_server.object(session.id)
    assert (paid["status"], paid["payment_status"]) == ("complete", "paid")
    assert paid["customer_details"]["name"] == "Anna Example"
