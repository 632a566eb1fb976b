"""Every page a visitor can reach, for each role, on a phone and on a desktop: axe-core finds
no WCAG 2.1 A/AA violation, nothing is requested from another origin, and nothing makes the
page wider than the screen.

A new page joins the sweep with one row in PAGES: the role that reaches it and its path, with
{placeholders} filled from the world below. Headless Chromium through Playwright, sharing the
browser and server fixtures of tests/test_browser.py; axe-core from npm (`npm ci`).
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworking.bookings.service import book, cancel
from coworking.database import use_case
from coworking.extensions import db
from coworking.notifications import mail
from coworking.outbox import MAX_ATTEMPTS
from coworking.waitlist import service as waitlist_service
from tests.browser_checks import (
    assert_same_origin,
    axe_installed,
    describe,
    foreign,
    record_origins,
    violations,
)
from tests.factories import cancellation_link, give_billing_details, make_plan, resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    browser,
    live_server,
    pytestmark,
    sync_api,
)

pytestmark = [pytestmark, pytest.mark.skipif(not axe_installed(),
                                             reason="axe-core not installed: npm ci")]
expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "correct horse"
SCREENS = {"phone": PHONE, "desktop": DESKTOP}

# (role, path): who reaches the page, and where. Paths are format strings over the world.
PAGES = [
    ("anon", "/"),
    ("anon", "/spaces/{slug}?date={day}"),
    ("anon", "/spaces/{slug}?date={day}&view=week"),
    ("anon", "/plans"),
    ("anon", "/login"),
    ("anon", "/register"),
    ("anon", "/password/forgot"),
    ("anon", "/impressum"),
    ("anon", "/datenschutz"),
    ("anon", "/impressum/{operator}"),
    ("anon", "/datenschutz/{operator}"),
    # The accessibility statement (BITV 2.0) with its form for reporting a barrier.
    ("anon", "/barrierefreiheit"),
    ("anon", "/barrierefreiheit/{operator}"),
    # The plans of the space the visitor came from first.
    ("anon", "/plans?space={slug}"),
    # § 312k BGB: cancelling contracts, signed out, and the e-mailed link that confirms it.
    ("anon", "/vertraege/kuendigen"),
    ("anon", "{cancellation_link}"),
    ("member", "/account"),
    ("member", "/account/delete"),
    ("member", "/spaces/{slug}/series"),
    ("member", "/waitlist/offers/{offer}"),
    # The time-first panel when nothing is free: the waiting list is offered.
    ("member", "/spaces/{slug}?date={day}&from=15:00&until=17:00"),
    ("member", "/spaces/{slug}?date={day}&view=week"),
    ("member", "/bookings"),
    ("member", "/plans"),
    ("member", "/memberships"),
    ("member", "/spaces/{slug}?date={day}"),
    ("member", "/spaces/{slug}/book?resource={free_desk}&start={start}"),
    # The member's own slot: the confirmation of their booking.
    ("member", "/spaces/{slug}/book?resource={booked_desk}&start={start}"),
    ("member", "/checkin/{slug}"),
    # Buying: the billing details step and the summaries before paying (a plan, a day pass).
    ("member", "/account/billing?next=/plans/{card}/order"),
    ("member", "/plans/{card}/order"),
    ("member", "/spaces/{slug}/day-pass?resource={free_desk}&start={start}&end={end}"),
    ("member", "/impressum"),
    ("member", "/vertraege/kuendigen"),
    # Companies: opening one, the admin's page with a month's days and an invoice, the
    # invitation an employee follows, and one's own company. The member directory.
    ("member", "/companies/new"),
    ("member", "/companies/{company}"),
    ("member", "/companies/join/{invitation}"),
    ("member", "/company"),
    ("member", "/directory"),
    ("member", "/directory/profile"),
    ("host", "/host/{slug}"),
    ("host", "/host/{slug}/occupancy"),
    ("host", "/host/{slug}/poster"),
    ("host", "/host/payments"),
    ("host", "/manage"),
    ("host", "/manage/{slug}"),
    ("host", "/manage/{slug}/resources/{free_desk}"),
    ("host", "/manage/{slug}/hours"),
    ("host", "/manage/{slug}/closures"),
    ("host", "/manage/{slug}/rules"),
    ("host", "/manage/{slug}/texts"),
    ("host", "/manage/{slug}/photos"),
    ("admin", "/admin/spaces"),
    ("admin", "/admin/spaces/new"),
    ("admin", "/admin/towns/new"),
    ("admin", "/admin/plans"),
    ("admin", "/admin/plans/new"),
    ("admin", "/admin/site"),
    ("admin", "/admin/site/impressum/de"),
    ("admin", "/admin/site/datenschutz/en"),
    ("admin", "/datenschutz"),
    ("admin", "/impressum/{operator}"),
    ("admin", "/admin/site/{operator}/datenschutz/de"),
    ("admin", "/admin/site/{operator}/barrierefreiheit/de"),
    ("admin", "/admin/operators"),
    ("admin", "/admin/operators/new"),
    ("admin", "/admin/operators/{operator}"),
    ("admin", "/admin/outbox"),
    ("admin", "/research"),
]
ROLES = ("anon", "member", "host", "admin")


@pytest.fixture
def world(make_space, make_user):
    """A space with desks, a member with a booking in three days, its host and an admin."""
    space = make_space(public_holidays_closed=False)
    booked, free = resources_of(space)[:2]
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    start = datetime.combine(day, time(10), tzinfo=BERLIN)
    users = {"member": make_user(email="member@example.org", name="Mia Member"),
             "host": make_user(email="host@example.org", name="Hanna Host", role="host",
                               space=space),
             "admin": make_user(email="admin@example.org", name="Ada Admin", role="admin")}
    book(users["member"], booked.id, start, start + timedelta(hours=4))
    # A cancelled booking, which "my bookings" shows apart without fading it below 4.5:1.
    tomorrow = start + timedelta(days=1)
    cancel(users["member"], book(users["member"], booked.id, tomorrow,
                                 tomorrow + timedelta(hours=2)).id)
    give_billing_details(users["member"])
    card = make_plan("10er-Karte", spaces=[space])
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    # Every desk taken from 15:00 to 17:00; the member waits, and one desk is offered to them.
    late = start + timedelta(hours=5)
    holders = [(make_user(), desk) for desk in resources_of(space)]
    taken = [book(holder, desk.id, late, late + timedelta(hours=2)) for holder, desk in holders]
    offer = waitlist_service.join(users["member"], space, "hot_desk", late,
                                  late + timedelta(hours=2))[0]
    cancel(holders[0][0], taken[0].id)
    park_a_mail(users["member"])
    add_a_photo(users["host"], space)
    company, invitation = a_company_of(users["member"], space)
    values = {"company": company, "invitation": invitation, "slug": space.slug, "day": day.isoformat(), "booked_desk": booked.id,
              "free_desk": free.id, "start": start.isoformat().replace("+", "%2B"),
              "offer": offer.id, "operator": space.operator.slug, "card": card.id,
              "end": (start + timedelta(hours=4)).isoformat().replace("+", "%2B"),
              "cancellation_link": cancellation_link(users["member"]),
              "emails": {role: user.email for role, user in users.items()}}
    db.session.commit()  # the server has its own sessions
    return values


def add_a_photo(host, space):
    """A photo, so the space's pages show their gallery."""
    import io

    from PIL import Image

    from coworking.management.photos import add_photo

    data = io.BytesIO()
    Image.new("RGB", (1200, 800), (11, 94, 85)).save(data, "JPEG")
    add_photo(host, space.slug, data.getvalue(), "Sechs Tische am Fenster")


def a_company_of(admin, space):
    """A company the member administers, with a profile of theirs in the directory; returns
    its id and the secret of an invitation to it."""
    from coworking.companies.service import invite, open_company
    from coworking.directory.service import save_profile

    company = open_company(admin, "Hanse Software", {
        "name": "Hanse Software GmbH", "street": "Am Markt 3", "postcode": "23879",
        "city": "Mölln", "country": "DE"})
    save_profile(admin, "Webseiten für Vereine", "Förderanträge", space.town_id)
    return company.id, invite(admin, company.id, "emma@example.org")[0]


@use_case
def park_a_mail(member):
    """A confirmation the outbox gave up on, so the admins' status page shows one."""
    message = mail.queue(member.email, {
        "subject": "Buchung bestätigt: Desk 1 in Mölln, mit einem recht langen Betreff",
        "text": "", "html": ""})
    message.attempts, message.parked_at = MAX_ATTEMPTS, datetime.now(UTC)
    message.last_error = "SMTPRecipientsRefused: {'member@example.org': (550, b'5.1.1 unknown')}"


def sign_in(page, email):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form:not(.later-start) [type=submit]").click()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_accessible_and_loads_only_from_its_own_origin(
        browser, live_server, world, role, screen):  # noqa: F811
    context = browser.new_context(base_url=live_server, service_workers="block", **SCREENS[screen])
    page = context.new_page()
    broken = []
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    page.on("console", lambda m: broken.append(f"blocked: {m.text}")
            if "Content Security Policy" in m.text else None)
    urls = record_origins(page)
    try:
        if role != "anon":
            sign_in(page, world["emails"][role])
        problems = []
        for path in (p.format(**world) for r, p in PAGES if r == role):
            first = len(urls)
            page.goto(path)
            found = violations(page)
            if found:
                problems.append(describe(found, f"{path} ({role}, {screen})"))
            widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
            if widths[0] > widths[1]:
                problems.append(f"{path} ({role}, {screen}) is {widths[0]}px wide on a "
                                f"{widths[1]}px screen")
            if outside := foreign(urls[first:], live_server):
                problems.append(f"{path} ({role}, {screen}) requests from another origin: "
                                f"{outside}")
        assert not problems, "\n\n".join(problems)
        assert not broken, broken
    finally:
        context.close()


def test_the_origin_check_sees_a_request_elsewhere(browser, live_server):  # noqa: F811
    """The check itself: an image from another origin is caught, the page's own are not."""
    context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
    page = context.new_page()
    page.route("http://elsewhere.example/**", lambda route: route.fulfill(status=204))
    urls = record_origins(page)
    page.goto("/impressum")
    assert urls and not foreign(urls, live_server)
    assert_same_origin(urls, live_server)
    page.set_content('<img src="http://elsewhere.example/pixel.gif" alt="">')
    context.close()
    assert foreign(urls, live_server) == ["http://elsewhere.example/pixel.gif"]
    with pytest.raises(AssertionError, match="elsewhere.example"):
        assert_same_origin(urls, live_server)


def test_the_audit_names_the_rule_and_the_element(browser, live_server):  # noqa: F811
    """A page with an unlabelled field and an image without text fails with both named."""
    context = browser.new_context(base_url=live_server, service_workers="block", **PHONE)
    page = context.new_page()
    page.goto("/impressum")
    page.evaluate("""() => { const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input id="nameless"><img id="wordless" src="/x">'); }""")
    found = violations(page)
    context.close()
    text = describe(found, "/impressum")
    assert {"label", "image-alt"} <= {v["id"] for v in found}, text
    assert "#nameless" in text and "#wordless" in text
