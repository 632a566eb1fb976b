"""End to end on a phone (390 x 844), without Stripe: a newcomer buys a 10-visit card to pay on
site, books a desk with it at once (marked "Zahlung vor Ort offen"), and the next morning the
host, on their phone, sees the amount on the day card and checks the member in and confirms
the payment with one tap.

Headless Debian Chromium through Playwright, sharing the fixtures of tests/test_browser.py;
the server runs in a thread of this process and sees the moved clock."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworking.extensions import db
from coworking.memberships.models import Membership, Payment
from tests.browser_checks import assert_accessible, axe_installed
from tests.factories import give_billing_details, make_plan, resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    assert_fits_phone,
    browser,
    free_slot,
    live_server,
    pytestmark,
    sign_in,
    sync_api,
    watched_page,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")
TOMORROW = (datetime.now(BERLIN) + timedelta(days=1)).date()  # read before any clock moves


def local(hm, day=TOMORROW):
    hours, minutes = map(int, hm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)


@pytest.fixture
def scene(make_space, make_user, frozen):
    frozen.set(local("16:00", TOMORROW - timedelta(days=1)).isoformat())
    space = make_space(public_holidays_closed=False)
    card = make_plan("10er-Karte", spaces=[space])
    give_billing_details(make_user(email="neu@example.org", name="Nele Neu", covered=False))
    make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
    db.session.commit()  # the server has its own sessions
    return {"slug": space.slug, "card": card.id, "desk": resources_of(space)[0].id,
            "password": "correct horse"}


def in_db(model, **criteria):
    db.session.commit()
    return db.session.scalars(db.select(model).filter_by(**criteria)
                              .execution_options(populate_existing=True)).one()


def test_a_card_bought_on_site_books_at_once_and_the_host_collects_at_check_in(
        browser, live_server, scene, frozen, tmp_path):  # noqa: F811
    with watched_page(browser, live_server, PHONE) as member:
        sign_in(member, "neu@example.org", scene["password"])
        member.goto("/plans")
        member.locator(f"#plan-{scene['card']}").get_by_role("link", name="Kaufen").tap()
        member.get_by_label("Ich verlange ausdrücklich").check()
        member.get_by_role("button", name="Zahlungspflichtig bestellen").tap()
        expect(member.locator(".flash.success")).to_contain_text(
            "Dein Tarif „10er-Karte“ ist aktiv: Du kannst jetzt buchen.")
        expect(member.locator(".due-on-site")).to_contain_text("Zahlung vor Ort offen")
        assert_fits_phone(member)

        # Straight to a desk tomorrow morning: the card covers it, nothing else to buy.
        member.goto(f"/spaces/{scene['slug']}?date={TOMORROW.isoformat()}")
        free_slot(member, scene["desk"], "08:00").tap()
        member.locator("main form select#end").select_option(label="12:00")
        member.locator("main form:not(.later-start) [type=submit]").tap()
        expect(member).to_have_url(re.compile(r"/bookings$"))
        row = member.locator("li.booking.confirmed")
        expect(row).to_contain_text("10er-Karte")
        expect(row.locator(".due-on-site")).to_contain_text("Zahlung vor Ort offen")
        expect(row.locator(".due-on-site")).to_contain_text("120,00\xa0€")
        assert_fits_phone(member)
        if axe_installed():
            assert_accessible(member, "my bookings with a payment open on site")
        member.screenshot(path=str(tmp_path / "open-on-site.png"), full_page=True)

    frozen.set(local("08:05").isoformat())
    with watched_page(browser, live_server, PHONE) as host:
        host.goto("/login?next=/host")
        host.locator("#email").fill("host@example.org")
        host.locator("#password").fill(scene["password"])
        host.locator("main form:not(.later-start) [type=submit]").tap()
        expect(host).to_have_url(re.compile(rf"/host/{scene['slug']}$"))
        card = host.locator("li.booking.confirmed", has_text="Nele Neu")
        expect(card.locator(".due-on-site")).to_contain_text("120,00\xa0€ · 10er-Karte")
        collect = card.locator("button.check-in-paid")
        expect(collect).to_have_text("Einchecken · 120,00\xa0€ erhalten")
        assert collect.bounding_box()["height"] >= 44, "one tap needs a comfortable target"
        assert_fits_phone(host)
        if axe_installed():
            assert_accessible(host, "the host's day with a payment to collect")
        host.screenshot(path=str(tmp_path / "host-collects.png"), full_page=True)

        collect.tap()
        expect(host.locator(".flash.success")).to_contain_text(
            "Nele Neu ist eingecheckt und hat bezahlt.")
        card = host.locator("li.booking.checked_in", has_text="Nele Neu")
        expect(card.locator(".paid-on-site")).to_contain_text("Vor Ort bezahlt: 120,00\xa0€")
        expect(card.locator(".due-on-site")).to_have_count(0)
        assert_fits_phone(host)

    membership = in_db(Membership, plan_id=scene["card"])
    payment = in_db(Payment, membership_id=membership.id)
    assert (membership.status, payment.status, payment.method) == ("active", "paid", "on_site")
