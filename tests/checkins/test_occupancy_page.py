"""The occupancy page: the week's heatmap and the weeks before as SVG, with the same numbers in
tables, for the hosts of the space and admins."""
import re
from datetime import UTC, datetime

import pytest

from coworking.bookings.models import Booking, BookingStatus
from coworking.extensions import db
from tests.factories import has_inline_script, resources_of

NBSP = "\u00a0"


@pytest.fixture
def space(make_space, make_user, frozen):
    """Two desks open every day 08:00–18:00; on Tuesday 2 March desk 1 is booked 09–11."""
    space = make_space(desks=2, rooms=0)
    desk = resources_of(space)[0]
    member = make_user(covered=False)
    db.session.add(Booking(
        user_id=member.id, resource_id=desk.id, holds_desk=True, source="web",
        start_at=datetime(2027, 3, 2, 8, tzinfo=UTC), end_at=datetime(2027, 3, 2, 10, tzinfo=UTC),
        status=BookingStatus.CONFIRMED, created_at=datetime(2027, 2, 1, tzinfo=UTC)))
    db.session.commit()
    return space


@pytest.fixture
def host(space, make_user, login):
    user = make_user(role="host", space=space)
    login(user.email)
    return user


def page_of(client, space, **query):
    response = client.get(f"/host/{space.slug}/occupancy", query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_host_sees_the_week_as_a_heatmap_and_a_table(client, space, host):
    page = page_of(client, space)
    assert "Auslastung in Kalenderwoche 9" in page
    # Open: 7 days × 10 h × 2 desks = 140 desk hours, of which 2 booked.
    assert f"Gebucht: 1{NBSP}% der offenen Platzzeit (2 von 140 Platzstunden)." in page
    heatmap = re.search(r'<svg class="heatmap".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in heatmap and "<title id=" in heatmap and "<desc id=" in heatmap
    assert heatmap.count('<g class="cell ') == 7 * 10
    assert heatmap.count('<g class="cell l2">') == 2  # Tuesday 09 and 10: one of two desks
    assert f"Di. 2.3., 09:00: 50{NBSP}%" in heatmap
    table = re.search(r'<table class="occupancy-table">.*?</table>', page, re.S).group(0)
    assert table.count(f"<td class=\"num\">50{NBSP}%</td>") == 2
    assert "<th scope=\"row\">09:00</th>" in table
    assert " style=" not in page and "<style" not in page and not has_inline_script(page)


def test_the_weeks_before_are_a_line_and_a_table(client, space, host):
    page = page_of(client, space, date="2027-03-10")
    assert "Auslastung in Kalenderwoche 10" in page
    assert "Die 8 Wochen davor" in page
    trend = re.search(r'<svg class="trend".*?</svg>', page, re.S).group(0)
    assert trend.count("<polyline") == 1 and trend.count("<circle") == 8
    assert f"KW 9: 1{NBSP}%" in trend
    assert "KW 9 (1.3.–7.3.)" in page
    row = re.search(r"KW 9 \(1\.3\.–7\.3\.\)</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2", "140", f"1{NBSP}%"]


def test_an_admin_sees_it_too(client, space, make_user, login):
    login(make_user(role="admin").email)
    assert "Auslastung in Kalenderwoche 9" in page_of(client, space)


@pytest.mark.parametrize("who", ["member", "host of another space"])
def test_nobody_else_does(client, space, make_space, make_user, login, who):
    user = (make_user() if who == "member"
            else make_user(role="host", space=make_space(desks=1, rooms=0)))
    login(user.email)
    assert client.get(f"/host/{space.slug}/occupancy").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, space):
    response = client.get(f"/host/{space.slug}/occupancy")
    assert response.status_code == 302
    assert response.location.startswith("/login")
