"""A space's page: the day timeline with its legend, the week that tells past from booked and
says why a day is closed, and dates in the URL that cannot be shown say so."""
import re
from datetime import date, datetime

import pytest

from coworking.bookings import service
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.factories import resources_of

PAST = "Dieses Datum liegt in der Vergangenheit – hier ist heute."
GARBAGE = "Ungültiges Datum – hier ist heute."


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


def at(text):
    return datetime.fromisoformat(text)


def page(client, query):
    response = client.get(f"/spaces/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def heading(html):
    return re.search(r'<h2 class="day">([^<]+)</h2>', html).group(1)


def test_the_day_has_a_legend_and_marks_the_members_booking(space, client, make_user, login):
    member = make_user(email="legend@example.org")
    login("legend@example.org")
    desk = resources_of(space)[0]
    booking = service.book(member, desk.id, at("2027-03-02T10:00:00+01:00"),
                           at("2027-03-02T12:00:00+01:00"))
    html = page(client, f"{space.slug}?date=2027-03-02")
    legend = re.search(r'<ul class="tl-legend"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"</span>([^<]+)</li>", legend)] \
        == ["frei", "belegt", "deine Buchung", "vorbei"]
    assert re.search(rf'<a class="slot taken mine [^"]*" data-start="10:00" '
                     rf'href="/bookings#booking-{booking.id}"', html)
    assert ">Deine Buchung</span></a>" in html
    # Hours on the axis, every free stretch named for screen readers.
    assert re.findall(r'<span class="tl-tick at-\d+[^"]*">(\d\d)</span>', html)[:3] == \
        ["08", "09", "10"]
    assert 'aria-label="Desk 1 frei 08:00–10:00, buchen"' in html
    assert 'aria-label="Desk 1 frei 12:00–18:00, buchen"' in html


def test_time_that_has_begun_is_over_not_taken(space, client, make_user, frozen):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("2027-03-01T08:00:00+01:00"),
                 at("2027-03-01T10:00:00+01:00"))
    frozen.set("2027-03-01T09:40:00+01:00")
    html = page(client, space.slug)
    assert "vorbei 08:00–10:00" in html and "belegt 08:00" not in html
    assert re.search(r'data-resource="\d+" data-start="10:00" data-end="18:00"', html)


def test_the_week_shows_past_days_as_over_and_closed_days_with_their_reason(space, client,
                                                                           frozen):
    db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 5),
                           end_date=date(2027, 3, 5), reason="Renovierung"))
    db.session.commit()
    frozen.set("2027-03-03T09:00:00+01:00")
    html = page(client, f"{space.slug}?view=week")
    cards = re.findall(r'<li class="weekday ([a-z ]+)"[^>]*>(.*?)</li>\s*(?=<li class="weekday|</ol>)',
                       html, re.S)
    assert [state for state, _ in cards] == ["past", "past", "open today", "open", "closed",
                                             "open", "open"]
    text = [re.sub(r"<[^>]+>|\s+", " ", card).split() for _, card in cards]
    assert text[0][-1] == "vorbei" and "ausgebucht" not in " ".join(text[0])
    assert "Geschlossen: Renovierung" in " ".join(text[4])
    assert "ab 09:00:" in " ".join(text[2]) and "9 Std." in " ".join(text[2])
    # Past days link nowhere; open days lead to their day.
    assert 'href="/spaces/{}?date=2027-03-01"'.format(space.slug) not in html
    assert f'href="/spaces/{space.slug}?date=2027-03-04"' in html


def test_a_booked_up_day_says_so_and_a_day_beyond_the_horizon_is_not_yet_bookable(
        make_space, client, make_user, frozen):
    space = make_space(desks=1, rooms=0, horizon_days=2)
    (desk,) = resources_of(space)
    service.book(make_user(), desk.id, at("2027-03-02T08:00:00+01:00"),
                 at("2027-03-02T18:00:00+01:00"))
    html = page(client, f"{space.slug}?view=week")
    assert html.count("noch nicht buchbar") == 4  # Thursday to Sunday
    assert "ganztags frei: 0 von 1" in html and "ausgebucht" in html
    assert "am vollsten 08:00–09:00: 0 frei" in html


@pytest.mark.parametrize("view", ["day", "week"])
@pytest.mark.parametrize("raw,message", [
    ("2027-02-27", PAST), ("0001-01-01", PAST),
    ("2027-02-30", GARBAGE), ("morgen", GARBAGE), ("2027-3-2", GARBAGE), ("20270302", GARBAGE),
    ("2027-03-02T10:00", GARBAGE),
])
def test_a_date_that_cannot_be_shown_shows_today_and_says_why(space, client, view, raw, message):
    html = page(client, f"{space.slug}?date={raw}&view={view}")
    assert f'<p class="flash info" role="status" id="date-notice">{message}</p>' in html
    assert 'value="2027-03-01"' in html


@pytest.mark.parametrize("raw", ["2028-03-01", "9999-12-31"])
def test_a_date_beyond_the_booking_period_shows_its_last_day(space, client, raw):
    html = page(client, f"{space.slug}?date={raw}")
    assert ("Dieses Datum liegt außerhalb des Buchungszeitraums (bis 29.02.2028) – "
            "hier ist sein letzter Tag.") in html
    assert heading(html) == "Dienstag, 29. Februar 2028"
    assert ">Später →</a>" not in html  # nothing to go on to


def test_a_valid_date_says_nothing_and_today_offers_no_earlier(space, client):
    html = page(client, f"{space.slug}?date=2027-03-02")
    assert 'id="date-notice"' not in html and heading(html) == "Dienstag, 2. März 2027"
    assert "← Früher" in daynav(html) and ">Heute</a>" in daynav(html)
    today = page(client, space.slug)
    assert 'id="date-notice"' not in today and "← Früher" not in daynav(today)
    assert ">Heute</a>" not in daynav(today) and "Später →" in daynav(today)


def daynav(html):
    """The day navigation alone (the time-first panel has a "Heute" of its own)."""
    return re.search(r'<nav class="daynav".*?</nav>', html, re.S).group(0)
