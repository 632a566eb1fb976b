"""End to end in a real browser: a member on a phone signs in, books a desk from the day's
timeline (a tap on a free stretch, the end chosen, confirmed), sees it under "my bookings", and
cancels it again.

Runs headless Debian Chromium (`apt-get install chromium`) through Playwright against the app
served from a thread of this process, on the real clock. Selectors use ids, classes and data
attributes rather than texts, so the test does not depend on the German catalogue.
"""
import os
import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import resources_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True, "locale": "de-DE",
         "timezone_id": "Europe/Berlin"}
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "de-DE",
           "timezone_id": "Europe/Berlin"}
ACCENT = "rgb(11, 94, 85)"  # --accent in app.css: the fill of primary buttons
BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason="Debian chromium not installed: apt-get install chromium")

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# A page the server takes seconds to answer on a busy 2-core machine is not a failure; the
# default of 5 s failed there on the host's day page, which the visitor would still have seen.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test's app on a free port, in a daemon thread; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized, touch, German browser context; closed before the server stops."""
    with watched_page(browser, live_server, PHONE) as page:
        yield page


def watch(page, errors):
    """Note in `errors` what a real visitor would miss too: server errors, script errors and
    whatever the Content-Security-Policy blocks."""
    page.on("response", lambda r: errors.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 500 else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"blocked: {m.text}")
            if "Content Security Policy" in m.text else None)
    return page


@contextmanager
def watched_page(browser, live_server, screen):
    """A page in a fresh context of `screen`, closed afterwards; the test fails if anything
    went wrong on it that the visitor would have noticed. Service workers are blocked: the
    offline helper's worker would fetch past the test's routes (the axe-core script)."""
    context = browser.new_context(base_url=live_server, service_workers="block", **screen)
    errors = []
    try:
        yield watch(context.new_page(), errors)
    finally:
        context.close()
    assert not errors, errors


@pytest.fixture
def scene(make_space, make_user):
    """A space open 08:00-18:00 every day (holidays too) and a member; plain values only."""
    space = make_space(public_holidays_closed=False)
    desk, other_desk = resources_of(space)[:2]
    user = make_user()
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    values = {"slug": space.slug, "desk_id": desk.id, "desk_name": desk.name,
              "other_desk_id": other_desk.id, "user_id": user.id, "email": user.email,
              "password": "correct horse", "day": day,
              "start_utc": datetime.combine(day, time(8), tzinfo=BERLIN).astimezone(UTC),
              "end_utc": datetime.combine(day, time(12), tzinfo=BERLIN).astimezone(UTC)}
    db.session.commit()  # end the test's transaction: the server has its own sessions
    return values


def bookings_in_db():
    db.session.commit()  # a fresh snapshot, so the server's writes show
    return db.session.scalars(select(Booking).order_by(Booking.id)).all()


def free_slot(page, resource_id, start):
    """The free stretch of the timeline that begins at `start`."""
    return page.locator(f'a.slot.free[data-resource="{resource_id}"][data-start="{start}"]')


def own_slot(page, resource_id, start):
    """The member's own booking on the timeline, beginning at `start`."""
    return page.locator(f'section.resource[aria-labelledby="r{resource_id}"] '
                        f'a.slot.taken.mine[data-start="{start}"]')


def assert_fits_phone(page):
    """Nothing pushes the page wider than the phone's screen."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen: {page.url}"


@pytest.fixture
def shoot(tmp_path):
    """Screenshots for a person to look at, kept under pytest's temporary directory."""

    def take(page, name):
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)

    return take


def sign_in(page, email, password):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()


def test_login_page_is_accessible(phone, shoot):
    page = phone
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
        .filter(el => el.getClientRects().length > 0)
        .filter(el => !el.labels || el.labels.length === 0
                      || ![...el.labels].every(l => l.textContent.trim()))
        .map(el => el.outerHTML)""")
    assert not unlabelled, f"inputs without a <label>: {unlabelled}"
    for field in ("#email", "#password"):
        expect(page.locator(field)).to_be_visible()
        expect(page.locator(f'label[for="{field[1:]}"]')).to_be_visible()

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 390, \
        f"the focused skip link is not on screen: {box}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main form:not(.later-start) [type=submit]")).to_have_css("background-color", ACCENT)
    assert_fits_phone(page)
    shoot(page, "login")


def test_book_and_cancel_a_desk_on_a_phone(phone, scene, shoot):
    page = phone
    day_url = f"/spaces/{scene['slug']}?date={scene['day'].isoformat()}"
    desk, start = scene["desk_id"], "08:00"

    sign_in(page, scene["email"], scene["password"])

    # A tap on the free stretch, the end chosen, the confirmation's submit button.
    page.goto(day_url)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    slot = free_slot(page, desk, start)
    expect(slot).to_be_visible()
    expect(slot).to_have_attribute("aria-label", f"{scene['desk_name']} frei 08:00–18:00, buchen")
    assert slot.bounding_box()["height"] >= 44, "stretches must be comfortable tap targets"
    assert_fits_phone(page)
    shoot(page, "day-grid")
    slot.tap()
    expect(page).to_have_url(re.compile(rf"/spaces/{scene['slug']}/book\?"))
    submit = page.locator("main form:not(.later-start) [type=submit]")
    expect(submit).to_be_visible()
    expect(submit).to_have_css("background-color", ACCENT)  # the primary action stands out
    expect(page.locator("dl.summary")).to_contain_text(scene["desk_name"])
    expect(page.locator("dl.summary")).to_contain_text(start)
    page.locator("main form select#end").select_option(label="12:00")
    assert_fits_phone(page)
    shoot(page, "book-confirm")
    submit.tap()

    # Landed on "my bookings", which shows the booking.
    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.success")).to_be_visible()
    row = page.locator("li.booking.confirmed")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(scene["desk_name"])
    expect(row).to_contain_text("08:00–12:00")
    assert_fits_phone(page)
    shoot(page, "my-bookings")

    (booking,) = bookings_in_db()
    assert (booking.status, booking.resource_id, booking.user_id, booking.source) == \
        ("confirmed", desk, scene["user_id"], "web")
    assert booking.start_at == scene["start_utc"] and booking.start_at.utcoffset() == timedelta(0)
    assert booking.end_at == scene["end_utc"]

    # The morning is the member's on the timeline now; the afternoon and the other desk are free.
    page.goto(day_url)
    expect(own_slot(page, desk, start)).to_have_count(1)
    expect(free_slot(page, desk, start)).to_have_count(0)
    expect(free_slot(page, desk, "12:00")).to_be_visible()
    expect(free_slot(page, scene["other_desk_id"], start)).to_be_visible()
    shoot(page, "day-grid-taken")

    # Cancel it from "my bookings".
    page.goto("/bookings")
    page.locator("li.booking.confirmed details.cancel summary").tap()
    cancel = page.locator(f'li.booking.confirmed form[action="/bookings/{booking.id}/cancel"] '
                          "button[type=submit]")
    expect(cancel).to_be_visible()
    cancel.tap()
    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.locator("li.booking.cancelled")).to_have_count(1)
    expect(page.locator("li.booking.confirmed")).to_have_count(0)
    shoot(page, "my-bookings-cancelled")

    (booking,) = bookings_in_db()
    assert booking.status == "cancelled" and booking.cancelled_at is not None

    page.goto(day_url)
    expect(free_slot(page, desk, start)).to_be_visible()
    expect(own_slot(page, desk, start)).to_have_count(0)


def test_a_double_tap_and_the_back_button_after_booking_on_a_phone(phone, scene, shoot):
    page = phone
    day_url = f"/spaces/{scene['slug']}?date={scene['day'].isoformat()}"
    desk, start = scene["desk_id"], "08:00"
    sign_in(page, scene["email"], scene["password"])
    page.goto(day_url)
    free_slot(page, desk, start).tap()
    expect(page).to_have_url(re.compile(rf"/spaces/{scene['slug']}/book\?"))

    # Two submissions of one form, as a double tap sends them. A browser drops a submission
    # not yet sent when the form is submitted again, so the first is sent on its own (the page
    # may not be framed, even by itself) and the second tap follows while it is on its way.
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    with page.expect_request(lambda r: r.method == "POST"):
        page.evaluate("""() => {
            const form = document.querySelector('main form:not(.later-start)');
            fetch(form.action, {method: 'POST', body: new FormData(form), redirect: 'manual'});
        }""")
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page).to_have_url(re.compile(r"/bookings$"))
    expect(page.locator(".flash.error")).to_have_count(0)
    expect(page.locator("li.booking.confirmed")).to_have_count(1)
    assert len(posts) == 2
    assert len(bookings_in_db()) == 1
    (booking,) = bookings_in_db()

    # Back to the confirm page: it now says the slot is the member's, with a link to it.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/spaces/{scene['slug']}/book\?"))
    expect(page.locator(".flash.error")).to_have_count(0)
    expect(page.locator("main h1")).to_have_text("Deine Buchung")
    link = page.locator(f'main a[href="/bookings#booking-{booking.id}"]')
    expect(link).to_be_visible()
    assert_fits_phone(page)
    shoot(page, "book-back")

    # The timeline marks the member's own booking in words, not only in colour.
    page.goto(day_url)
    own = page.locator(f'section.resource[aria-labelledby="r{desk}"] .slot.mine')
    expect(own).to_have_count(1)
    expect(own.first).to_contain_text("Deine Buchung")
    assert own.first.bounding_box()["height"] >= 44
    assert_fits_phone(page)
    shoot(page, "day-grid-mine")
    link = page.locator(f'section.resource[aria-labelledby="r{desk}"] a.slot.mine').first
    link.tap()
    expect(page).to_have_url(re.compile(rf"/bookings#booking-{booking.id}$"))


# The header: one compact bar with a menu that opens without JavaScript (a <details>), in the
# reading order of the page; on a wide screen every link stands in one row that does not wrap.
SCREENS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def crew(make_space, make_user):
    """A member, a host of one space and an admin, each with a long-ish name."""
    space = make_space()
    people = {"member": make_user(email="mia@example.org", name="Mia Mitglied"),
              "host": make_user(email="hanna@example.org", name="Hanna Gastgeberin",
                                role="host", space=space),
              "admin": make_user(email="ada@example.org", name="Ada Administratorin",
                                 role="admin")}
    emails = {role: user.email for role, user in people.items()}
    db.session.commit()  # the server has its own sessions
    return emails


def header_height(page):
    return page.locator("header.top").bounding_box()["height"]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("role", ["member", "host", "admin"])
def test_the_header_is_one_bar_with_a_menu(browser, live_server, crew, role, screen, shoot):
    from tests.browser_checks import assert_accessible, axe_installed

    with watched_page(browser, live_server, SCREENS[screen]) as page:
        page.goto("/login")
        page.locator("#email").fill(crew[role])
        page.locator("#password").fill("correct horse")
        page.locator("main form:not(.later-start) [type=submit]").click()
        page.goto("/")
        menu = page.locator("header details.menu")
        day_link = page.locator('header a[href="/host"]')
        height = header_height(page)
        assert height <= 60, f"the {role}'s header is {height}px tall on the {screen}"
        shoot(page, f"header-{role}-{screen}")
        if screen == "phone":
            # Closed, the menu hides its links; the bar keeps my bookings and who I am.
            expect(page.locator('header a[href="/plans"]')).to_be_hidden()
            expect(page.locator('header a[href="/bookings"]')).to_be_visible()
            expect(page.locator("header .who")).to_be_visible()
            assert_fits_phone(page)
            # Keyboard: the menu's summary is reached by Tab and opened with Enter; the
            # next Tab lands on its first link, in the order the page reads.
            summary = menu.locator("summary").first
            summary.focus()
            page.keyboard.press("Enter")
            expect(menu).to_have_attribute("open", "")
            page.keyboard.press("Tab")
            expect(page.locator('header nav a[href="/"]')).to_be_focused()
            expect(page.locator('header a[href="/plans"]')).to_be_visible()
            if role != "member":
                expect(day_link).to_be_visible()  # a host's tools without a second tap
            assert_fits_phone(page)
            shoot(page, f"header-{role}-{screen}-open")
        else:
            # Every link stands in the bar; a host's tools open from one drop-down.
            expect(page.locator('header a[href="/plans"]')).to_be_visible()
            expect(page.locator("header details.menu > summary")).to_be_hidden()
            if role != "member":
                expect(day_link).to_be_hidden()
                page.locator("header .tools summary").click()
                expect(day_link).to_be_visible()
                shoot(page, f"header-{role}-{screen}-tools")
            else:
                expect(page.locator("header .tools")).to_have_count(0)
        if axe_installed():
            assert_accessible(page, f"the open menu ({role}, {screen})")
        if role != "member":
            day_link.click()
            expect(page).to_have_url(re.compile(r"/host"))


def test_the_phone_menu_opens_without_javascript(browser, live_server, crew):
    screen = dict(PHONE, java_script_enabled=False)
    with watched_page(browser, live_server, screen) as page:
        page.goto("/login")
        page.locator("#email").fill(crew["host"])
        page.locator("#password").fill("correct horse")
        page.locator("main form:not(.later-start) [type=submit]").tap()
        expect(page.locator('header a[href="/bookings"]')).to_be_visible()
        plans = page.locator('header a[href="/plans"]')
        expect(plans).to_be_hidden()
        page.locator("header details.menu > summary").tap()
        expect(plans).to_be_visible()
        page.locator('header a[href="/host"]').tap()
        expect(page).to_have_url(re.compile(r"/host"))


@pytest.fixture
def event_scene(make_space, make_user):
    """A public event three days ahead in a space open every day, and a member; plain values."""
    from coworking.space_events.service import create_event

    space = make_space(public_holidays_closed=False)
    host = make_user(role="host", space=space)
    day = datetime.now(BERLIN).date() + timedelta(days=3)
    event = create_event(host, space.slug, "Reparaturcafé", "Wir reparieren gemeinsam.",
                         datetime.combine(day, time(16), tzinfo=BERLIN),
                         datetime.combine(day, time(18), tzinfo=BERLIN), 1, "public")
    user = make_user()
    values = {"slug": space.slug, "event_id": event.id, "email": user.email,
              "password": "correct horse"}
    db.session.commit()
    return values


def test_register_for_an_event_on_a_phone_as_guest_and_member(phone, event_scene, shoot):
    from coworking.space_events.models import EventRegistration

    page = phone
    page.goto(f"/spaces/{event_scene['slug']}/events")
    page.locator(f'a[href="/events/{event_scene["event_id"]}"]').tap()
    # A guest: name and address, labelled, on a phone; the page says to follow the link.
    expect(page.locator('label[for="name"]')).to_be_visible()
    page.locator("#name").fill("Grete Gast")
    page.locator("#email").fill("grete@example.org")
    assert_fits_phone(page)
    shoot(page, "event-guest")
    page.locator("main form:not(.later-start) [type=submit]").tap()
    expect(page.locator(".flash")).to_be_visible()

    # A member: one tap; the only place is not taken by the unconfirmed guest.
    sign_in(page, event_scene["email"], event_scene["password"])
    page.goto(f"/events/{event_scene['event_id']}")
    register = page.locator("button.register")
    assert register.bounding_box()["height"] >= 44, "the button must be a comfortable tap target"
    register.tap()
    expect(page.locator(".registration-status")).to_be_visible()
    assert_fits_phone(page)
    shoot(page, "event-registered")
    db.session.commit()
    statuses = sorted((r.guest_email or "member", r.status.value)
                      for r in db.session.scalars(select(EventRegistration)))
    assert statuses == [("grete@example.org", "unconfirmed"), ("member", "confirmed")]


# Web Push and the pages a phone keeps: headless Chromium has no push service to subscribe
# with (it refuses every subscription), so the page's PushManager hands out a subscription of
# the test's local push service (tests/push/push_endpoint.py) with a device key pair made
# here; everything after that is real: the page's script, the API, the outbox, the
# encryption, the service worker and its cache.
FAKE_PUSH_MANAGER = """(() => {
  const subscription = %s;
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    window.__applicationServerKey = Array.from(new Uint8Array(options.applicationServerKey));
    current = {endpoint: subscription.endpoint, expirationTime: null,
               toJSON: () => subscription, unsubscribe: async () => { current = null; return true; }};
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();"""


@pytest.fixture
def push_scene(app, make_space, make_user, frozen):
    """Monday 2027-03-01 07:00 on the server's clock; the member has a desk from 09:00 today
    and one tomorrow; the local push service is allowed."""
    from coworking.bookings import service
    from tests.push.push_endpoint import Device, PushEndpoint

    space = make_space(public_holidays_closed=False)
    desk = resources_of(space)[0]
    user = make_user()
    today = datetime.fromisoformat("2027-03-01T09:00:00+01:00")
    service.book(user, desk.id, today, today + timedelta(hours=3))
    service.book(user, desk.id, today + timedelta(days=1), today + timedelta(days=1, hours=3))
    endpoint = PushEndpoint().start()
    app.config.update(PUSH_INSECURE_HOSTS="127.0.0.1")
    values = {"slug": space.slug, "space_name": space.name, "desk_name": desk.name,
              "user_id": user.id, "email": user.email, "endpoint": endpoint,
              "device": Device()}
    db.session.commit()
    yield values
    endpoint.stop()


def test_notifications_on_a_phone_and_pages_that_open_without_signal(browser, live_server, app,
                                                                     push_scene, shoot):
    import json as json_module

    from coworking import outbox, push
    from coworking.accounts.models import User
    from coworking.database import use_case
    from coworking.push.models import PushSubscription
    from tests.push.push_endpoint import unb64url

    scene = push_scene
    device, endpoint = scene["device"], scene["endpoint"]
    subscription = device.subscription(endpoint.url("phone"))
    context = browser.new_context(base_url=live_server, permissions=["notifications"], **PHONE)
    context.add_init_script(script=FAKE_PUSH_MANAGER % json_module.dumps(subscription))
    errors = []
    try:
        page = watch(context.new_page(), errors)
        sign_in(page, scene["email"], "correct horse")

        page.goto("/account#notifications")
        turn_on = page.locator("#push-on")
        expect(turn_on).to_be_visible()
        expect(page.locator(".push-unsupported")).to_be_hidden()
        assert_fits_phone(page)
        turn_on.tap()
        expect(page.locator("#push-status")).to_have_text(
            "Mitteilungen sind für dieses Gerät eingeschaltet.")
        expect(page.locator("#push-off")).to_be_visible()
        shoot(page, "push-on")
        key = bytes(page.evaluate("window.__applicationServerKey"))
        assert key == unb64url(app.config["VAPID_PUBLIC_KEY"])
        db.session.commit()
        (stored,) = db.session.scalars(select(PushSubscription)).all()
        assert (stored.user_id, stored.endpoint) == (scene["user_id"], subscription["endpoint"])
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
        assert scope == f"{live_server}/"

        # What the member's browser stored carries a message to the phone.
        use_case(lambda: push.notify(db.session.get(User, scene["user_id"]), "Ein Platz",
                                     "Desk 1 ist frei", "/bookings"))()
        assert outbox.deliver()["failed"] == 0
        assert device.read(endpoint.received[-1])["title"] == "Ein Platz"

        # Online once: "Meine Buchungen" and today's check-in page are kept.
        page.goto("/bookings")
        expect(page.locator("a.checkin-today")).to_have_count(1)
        expect(page.locator("[data-offline-note]")).to_be_hidden()
        page.wait_for_function("""async (wanted) => {
            const cache = await caches.open("offline-pages-v1");
            const kept = (await cache.keys()).map((request) => new URL(request.url).pathname);
            return wanted.every((path) => kept.includes(path));
        }""", arg=["/bookings", f"/checkin/{scene['slug']}"])

        # In the cellar without signal: both still open and say how old they are.
        context.set_offline(True)
        page.goto("/bookings")
        expect(page.locator("h1")).to_have_text("Meine Buchungen")
        note = page.locator("[data-offline-note]")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Keine Verbindung: Das ist der Stand vom 01.03.27, 07:00")
        expect(page.locator("a.checkin-today")).to_be_visible()
        assert_fits_phone(page)
        shoot(page, "offline-bookings")
        page.locator("a.checkin-today").tap()
        expect(page).to_have_url(re.compile(rf"/checkin/{scene['slug']}$"))
        expect(page.locator("h1")).to_contain_text(scene["space_name"])
        expect(page.locator("section.booked-today")).to_contain_text(
            f"{scene['desk_name']}, 09:00–12:00")
        expect(page.locator("[data-offline-note]")).to_be_visible()
        shoot(page, "offline-checkin")
        context.set_offline(False)

        # Signing out forgets the kept pages.
        page.goto("/bookings")
        page.locator("header details.menu summary").first.tap()  # the phone's menu
        page.locator("header form.inline button.link").first.tap()
        expect(page.locator('header a[href^="/login"]')).to_be_attached()  # in the menu
        page.wait_for_function("""async () => {
            const cache = await caches.open("offline-pages-v1");
            return (await cache.keys()).length === 0;
        }""")
    finally:
        context.close()
    assert not errors, errors
