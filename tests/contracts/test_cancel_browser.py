"""End to end on a phone (390 x 844), signed out: from the footer's "Verträge hier kündigen"
to the page, the declaration, and the e-mailed link that makes it take effect.

Headless Debian Chromium through Playwright, sharing the fixtures of tests/test_browser.py."""
import re

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.memberships.models import Membership
from coworking.memberships.service import buy, confirm_payment_on_site
from coworking.outbox import OutboxMessage
from tests.browser_checks import assert_accessible, axe_installed
from tests.factories import make_plan
from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    sync_api,
    watched_page,
)

expect = sync_api.expect


@pytest.fixture
def scene(make_space, make_user):
    space = make_space()
    monthly = make_plan("Monatstarif", kind="monthly", price_cents=9900, spaces=[space])
    member = make_user(email="kim@example.org", name="Kim Klar", covered=False)
    membership, _payment = buy(member, monthly.id, online=False)
    confirm_payment_on_site(make_user(role="admin"), membership.id)
    db.session.commit()
    return {"membership": membership.id}


def link_from_mail():
    db.session.commit()
    (mail,) = [m.payload for m in db.session.scalars(select(OutboxMessage))
               if m.payload.get("subject") == "Bitte bestätige deine Kündigung"]
    return re.search(r"(/vertraege/kuendigen/[\w-]+)", mail["text"]).group(1)


def test_a_visitor_cancels_from_the_footer_and_confirms_by_the_mailed_link(
        browser, live_server, scene, tmp_path):  # noqa: F811
    with watched_page(browser, live_server, PHONE) as page:
        page.goto("/")
        footer_link = page.locator("footer #cancel-contracts")
        expect(footer_link).to_have_text("Verträge hier kündigen")
        footer_link.tap()
        expect(page).to_have_url(re.compile(r"/vertraege/kuendigen$"))
        expect(page.locator("h1")).to_have_text("Verträge kündigen")
        assert_fits_phone(page)
        if axe_installed():
            assert_accessible(page, "the cancellation page, signed out")

        page.locator("#name").fill("Kim Klar")
        page.locator("#email").fill("kim@example.org")
        expect(page.locator("#kind-0")).to_be_checked()  # ordinary, at the earliest date
        submit = page.locator("main form:not(.later-start) [type=submit]")
        expect(submit).to_have_value("Jetzt kündigen")
        submit.tap()
        expect(page.locator("h1")).to_have_text("Kündigung eingegangen")
        expect(page.locator(".flash.success")).to_contain_text("Deine Kündigung ist am")
        expect(page.locator("#declaration")).to_contain_text("kim@example.org")
        expect(page.locator("#link-sent")).to_be_visible()
        assert_fits_phone(page)
        if axe_installed():
            assert_accessible(page, "the cancellation received, signed out")
        page.screenshot(path=str(tmp_path / "cancellation-received.png"), full_page=True)

        page.goto(link_from_mail())
        expect(page.locator("#contracts")).to_contain_text("Monatstarif")
        page.locator("main form:not(.later-start) [type=submit]").tap()
        expect(page.locator("h1")).to_have_text("Kündigung bestätigt")
        expect(page.locator(".flash.success")).to_contain_text("Die Kündigung ist wirksam")
        expect(page.locator("#contracts")).to_contain_text("Endet am")
        assert_fits_phone(page)

    db.session.commit()
    membership = db.session.get(Membership, scene["membership"], populate_existing=True)
    assert membership.cancel_at_period_end and membership.status == "active"
