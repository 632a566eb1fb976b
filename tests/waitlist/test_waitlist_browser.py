"""End to end in a real browser, on a phone and on a desktop: Ben loses the last desk to Anna
while he confirms, joins the waiting list instead; Anna cancels, and Ben takes the desk from
the link in the e-mail that offers it. Then the same with Ben letting the offer lapse, so that
Cleo, next on the list, gets it.

Headless Debian Chromium through Playwright, as in tests/test_browser.py, whose browser and
server fixtures it shares. The clock stands on the real tomorrow (the server runs in a thread
of this process and sees the moved clock; the browser's cookies stay valid); e-mails go
through the outbox to a local SMTP server."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.bookings.service import book, cancel
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.waitlist.models import EntryStatus, WaitlistEntry
from coworking.waitlist.service import join
from tests.factories import resources_of
from tests.test_browser import (  # noqa: F401  (fixtures)
    ACCENT,
    PHONE,
    assert_fits_phone,
    browser,
    live_server,
    pytestmark,
    sync_api,
    watch,
)

expect = sync_api.expect
BERLIN = ZoneInfo("Europe/Berlin")
TOMORROW = (datetime.now(BERLIN) + timedelta(days=1)).date()  # read before any clock moves
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "de-DE",
           "timezone_id": "Europe/Berlin"}
PASSWORD = "correct horse"


def local(hm):
    hours, minutes = map(int, hm.split(":"))
    return datetime(TOMORROW.year, TOMORROW.month, TOMORROW.day, hours, minutes, tzinfo=BERLIN)


@pytest.fixture(params=["phone", "desktop"])
def device(request, browser, live_server):  # noqa: F811
    """Opens pages on the device of the parameter, each in its own context (its own
    signed-in member); closed before the server stops, and no page may fail or be blocked."""
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(base_url=live_server, service_workers="block",
                                      **(PHONE if request.param == "phone" else DESKTOP))
        contexts.append(context)
        return watch(context.new_page(), errors)

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def scene(app, live_server, make_space, make_user, frozen, smtp_server):  # noqa: F811
    """One desk; Anna, Ben and Cleo with plans; e-mail links lead to the live server."""
    app.config["BASE_URL"] = live_server
    frozen.set(local("06:30").isoformat())
    space = make_space(desks=1, rooms=0, public_holidays_closed=False)
    values = {"space": space, "desk": resources_of(space)[0],
              "anna": make_user(email="anna@example.org", name="Anna"),
              "ben": make_user(email="ben@example.org", name="Ben"),
              "cleo": make_user(email="cleo@example.org", name="Cleo")}
    db.session.commit()  # the server has its own sessions
    return values


def sign_in(page, email):
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form:not(.later-start) [type=submit]").click()
    expect(page.locator('header a[href="/bookings"]')).to_be_visible()


def offer_link(smtp_server, email):
    """The link in the newest offer e-mail to `email`."""
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in smtp_server.messages
             if m["To"] == email and "/waitlist/offers/" in m.get_body(
                 preferencelist=("plain",)).get_content()]
    assert texts, f"no offer e-mail to {email}"
    return re.search(r"https?://\S+/waitlist/offers/\d+", texts[-1]).group(0)


def entry_of(user):
    db.session.commit()  # a fresh snapshot, so the server's writes show
    return db.session.scalars(select(WaitlistEntry).where(WaitlistEntry.user_id == user.id)
                              .execution_options(populate_existing=True)).one()


def ben_joins_after_losing_the_desk(page, scene):
    """Ben opens the booking page of the free desk; Anna books it 09-17 meanwhile; his
    confirmation is refused, and the page offers the waiting list, which he joins."""
    space, desk = scene["space"], scene["desk"]
    sign_in(page, scene["ben"].email)
    page.goto(f"/spaces/{space.slug}/book?resource={desk.id}"
              f"&start={local('09:00').isoformat().replace('+', '%2B')}")
    page.locator("#end").select_option(value=local("17:00").isoformat())
    booking = book(scene["anna"], desk.id, local("09:00"), local("17:00"))
    page.locator("main form:not(.later-start) [type=submit]").first.click()
    panel = page.locator("section.waitlist-join")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("09:00")
    join = panel.locator("button.join-waitlist")
    expect(join).to_have_css("background-color", ACCENT)
    assert join.bounding_box()["height"] >= 44
    assert_fits_phone(page)
    join.click()
    # Back on the space's page with the range asked for, which says Ben is on the list.
    expect(page).to_have_url(re.compile(
        rf"/spaces/{space.slug}\?date={TOMORROW.isoformat()}&kind=hot_desk&from=09:00&until=17:00$"))
    expect(page.locator(".flash.success")).to_contain_text("Platz 1")
    expect(page.locator(".on-waitlist")).to_contain_text("Platz 1")
    assert entry_of(scene["ben"]).status == EntryStatus.WAITING
    return booking


def test_ben_takes_the_desk_anna_cancelled_from_the_offer_e_mail(device, scene, smtp_server,
                                                                 tmp_path):
    ben = device()
    booking = ben_joins_after_losing_the_desk(ben, scene)
    ben.goto("/bookings")
    expect(ben.locator("section.waitlist-mine li.waitlist")).to_have_count(1)

    cancel(scene["anna"], booking.id)
    run_all()  # the outbox sends the offer
    link = offer_link(smtp_server, scene["ben"].email)
    ben.goto(link)
    expect(ben.locator("h1")).to_have_text("Ein Platz für dich")
    expect(ben.locator("dl.waitlist-offer .expires")).to_have_text("07:00")
    take = ben.locator(".accept-offer")
    expect(take).to_have_css("background-color", ACCENT)
    assert take.bounding_box()["height"] >= 44
    assert_fits_phone(ben)
    ben.screenshot(path=str(tmp_path / "offer.png"), full_page=True)
    take.click()

    expect(ben).to_have_url(re.compile(r"/bookings$"))
    expect(ben.locator(".flash.success")).to_be_visible()
    row = ben.locator("li.booking.confirmed")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("09:00–17:00")
    expect(ben.locator("section.waitlist-mine")).to_have_count(0)
    assert_fits_phone(ben)
    db.session.commit()
    (taken,) = db.session.scalars(select(Booking).where(
        Booking.user_id == scene["ben"].id)).all()
    assert taken.status == "confirmed" and taken.resource_id == scene["desk"].id


def test_an_offer_ben_lets_lapse_goes_to_cleo(device, scene, smtp_server, frozen):
    ben = device()
    booking = ben_joins_after_losing_the_desk(ben, scene)
    space = scene["space"]
    # Cleo joined the same list after him (as Ben did: from a page where the desk was full).
    join(scene["cleo"], space, "hot_desk", local("09:00"), local("17:00"))
    cleo = device()
    sign_in(cleo, scene["cleo"].email)

    cancel(scene["anna"], booking.id)
    run_all()
    ben_link = offer_link(smtp_server, scene["ben"].email)
    frozen.set(local("07:00").isoformat())  # 30 minutes on: Ben's offer lapses
    run_all()
    assert entry_of(scene["ben"]).status == EntryStatus.LAPSED

    ben.goto(ben_link)
    expect(ben.locator("h1.offer-lapsed")).to_have_text("Das Angebot ist abgelaufen")
    expect(ben.locator(f'main a[href="/spaces/{space.slug}?date={TOMORROW.isoformat()}"]')) \
        .to_be_visible()
    assert_fits_phone(ben)

    cleo.goto(offer_link(smtp_server, scene["cleo"].email))
    expect(cleo.locator("dl.waitlist-offer .expires")).to_have_text("07:30")
    cleo.locator(".accept-offer").click()
    expect(cleo).to_have_url(re.compile(r"/bookings$"))
    expect(cleo.locator("li.booking.confirmed")).to_contain_text("09:00–17:00")
    assert entry_of(scene["cleo"]).status == EntryStatus.BOOKED
