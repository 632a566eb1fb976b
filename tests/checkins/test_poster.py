"""The self check-in poster: what it shows, for whom, and that its code follows the local date."""
import re
from datetime import date

import pytest

from coworking.checkins.codes import daily_code
from tests.factories import csrf_token, has_inline_script

BASE = "http://127.0.0.1:5000"  # BASE_URL of the tests


@pytest.fixture
def space(make_space, frozen):
    return make_space(slug="wittenberge", desks=2, rooms=0)


@pytest.fixture
def host(space, make_user, login):
    user = make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
    login(user.email)
    return user


def poster_of(client, space, **query):
    response = client.get(f"/host/{space.slug}/poster", query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def sheet_of(page):
    """The printed part of the page: the poster itself."""
    return re.search(r'<article class="poster".*?</article>', page, re.S).group(0)


def shown_code(page):
    return re.search(r'<p class="poster-code">(\w+)</p>', page).group(1)


def test_the_poster_shows_the_space_its_qr_code_and_todays_code(client, space, host):
    page = poster_of(client, space)
    code = daily_code(space, date(2027, 3, 1))
    url = f"{BASE}/checkin/wittenberge?code={code}"
    sheet = sheet_of(page)
    assert space.name in sheet and space.town.name in sheet
    assert shown_code(sheet) == code
    assert f'<a href="{url}">{url}</a>' in sheet
    assert ("Mit dem Handy scannen oder auf 127.0.0.1:5000/checkin/wittenberge den Code "
            "eingeben") in sheet
    assert "Nur gültig am Montag, 1. März 2027." in sheet
    assert "Der Code ändert sich jeden Tag um Mitternacht." in sheet
    svg = re.search(r"<svg[^>]*>.*?</svg>", sheet, re.S).group(0)
    assert svg.startswith('<svg role="img" viewBox="0 0 ')
    assert 'class="qr"' in svg and 'class="qr-modules"' in svg
    assert "<title>QR-Code für den Check-in in Space " in svg
    assert "style" not in svg  # the Content-Security-Policy would refuse it
    assert " style=" not in page and "<style" not in page and not has_inline_script(page)


def test_the_code_changes_when_the_local_date_does(client, space, host, frozen):
    frozen.set("2027-03-01T23:59:00+01:00")
    before = shown_code(poster_of(client, space))
    assert before == daily_code(space, date(2027, 3, 1))
    frozen.set("2027-03-01T23:30:00+00:00")  # still the 1st in UTC, the 2nd in Berlin
    after = shown_code(poster_of(client, space))
    assert after == daily_code(space, date(2027, 3, 2)) != before
    frozen.set("2027-03-02T23:59:00+01:00")
    assert shown_code(poster_of(client, space)) == after


def test_the_code_turns_at_midnight_across_the_spring_forward_night(client, space, host, frozen):
    frozen.set("2027-03-27T23:59:00+01:00")
    saturday = shown_code(poster_of(client, space))
    frozen.set("2027-03-28T03:00:00+02:00")  # an hour after the clocks went forward
    sunday = poster_of(client, space)
    assert shown_code(sunday) == daily_code(space, date(2027, 3, 28)) != saturday
    assert "Nur gültig am Sonntag, 28. März 2027." in sunday


def test_tomorrows_poster_can_be_printed_today(client, space, host):
    page = poster_of(client, space, date="2027-03-02")
    assert shown_code(page) == daily_code(space, date(2027, 3, 2))
    assert "Nur gültig am Dienstag, 2. März 2027." in page
    assert f"?code={daily_code(space, date(2027, 3, 2))}</a>" in page


@pytest.mark.parametrize("asked,shown", [
    ("2027-03-08", date(2027, 3, 8)),    # a week ahead
    ("2027-03-20", date(2027, 3, 8)),    # further is kept to a week ahead
    ("2027-02-27", date(2027, 3, 1)),    # a past day's code is of no use
    ("not-a-date", date(2027, 3, 1)),
    ("2027-02-30", date(2027, 3, 1)),
])
def test_the_day_stays_between_today_and_a_week_ahead(client, space, host, asked, shown):
    page = poster_of(client, space, date=asked)
    assert shown_code(page) == daily_code(space, shown)


def test_the_poster_is_german_even_for_a_host_reading_english(client, space, host):
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})
    page = poster_of(client, space)
    assert "<h1>Check-in poster for Space " in page  # the page around it follows the host
    sheet = sheet_of(page)
    assert 'lang="de"' in sheet
    assert "Hier einchecken" in sheet and "Code des Tages" in sheet
    assert "Scan" not in sheet


def test_every_host_of_the_space_and_every_admin_may_print_it(client, space, make_user, login):
    login(make_user(role="admin").email)
    assert shown_code(poster_of(client, space)) == daily_code(space, date(2027, 3, 1))


@pytest.mark.parametrize("who", ["member", "host of another space"])
def test_nobody_else_sees_the_code(client, space, make_space, make_user, login, who):
    user = (make_user() if who == "member"
            else make_user(role="host", space=make_space(desks=1, rooms=0)))
    login(user.email)
    response = client.get(f"/host/{space.slug}/poster")
    assert response.status_code == 403
    assert daily_code(space, date(2027, 3, 1)) not in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, space):
    response = client.get(f"/host/{space.slug}/poster")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_an_unknown_space_has_no_poster(client, host):
    assert client.get("/host/nowhere/poster").status_code == 404
