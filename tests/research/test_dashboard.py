"""The research dashboard: charts and tables of the published figures, for researchers and
admins, on a phone too."""
import re
from datetime import date
from pathlib import Path

import pytest

from coworking.research import dashboard
from tests.factories import csrf_token, has_inline_script


@pytest.fixture
def researcher(app, client, make_user, login, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    user = make_user(role="researcher", covered=False)
    login(user.email)
    in_english(client)
    return user


def in_english(client):
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})


def test_the_dashboard_draws_the_towns_and_the_chosen_one(client, researcher, dst_week):
    page = client.get("/research?from=2027-01-01&to=2027-03-31&space=pendlerhafen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('role="img"') == 3
    assert "Monthly occupancy of the five towns" in html
    assert dst_week.space.town.name in html
    # March: 5 visits of 4 members (one still under way), 6 booked desk hours.
    assert "5 visits, 4 members" in html
    assert 'href="/research/export?from=2027-01-01&amp;to=2027-03-31"' in html
    assert "style=" not in html and not has_inline_script(html)


def test_the_default_range_is_the_twelve_months_before_this_one(frozen, client, researcher):
    html = client.get("/research").get_data(as_text=True)
    assert 'value="2026-03-01"' in html and 'value="2027-02-28"' in html


def test_figures_of_too_few_members_are_not_drawn(client, researcher, app):
    app.config["RESEARCH_MIN_CELL"] = 5
    html = client.get("/research?from=2027-03-01&to=2027-03-31").get_data(as_text=True)
    assert "not shown: fewer than 5 members" in html
    assert "5 visits" not in html


@pytest.mark.parametrize("query, message", [
    ("from=2027-3-1", "Not a date in the form YYYY-MM-DD."),
    ("from=2027-03-31&to=2027-03-01", "The end date must not lie before the start date."),
    ("space=atlantis", "There is no space called “atlantis”."),
])
def test_bad_choices_are_explained(client, researcher, query, message):
    page = client.get(f"/research?{query}")
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)


def test_the_download_button_gives_the_zip(client, researcher):
    answer = client.get("/research/export?from=2027-03-01&to=2027-03-31")
    assert answer.status_code == 200 and answer.data[:2] == b"PK"
    assert client.get("/research/export?from=x").status_code == 422


def test_members_get_no_link_and_no_page(client, make_user, login):
    member = make_user()
    login(member.email)
    assert "/research" not in client.get("/").get_data(as_text=True)
    assert client.get("/research").status_code == 403


def test_the_nav_offers_research_to_researchers(client, researcher):
    assert 'href="/research"' in client.get("/").get_data(as_text=True)


def test_an_empty_space_first_in_order_does_not_open_the_detail(client, researcher, make_space,
                                                                dst_week):
    # "aaa-leer" sorts before "pendlerhafen" but has no visit at all.
    make_space(slug="aaa-leer")
    html = client.get("/research?from=2027-03-01&to=2027-03-31").get_data(as_text=True)
    assert '<option value="pendlerhafen" selected>' in html
    assert f"Visits and members per month in {dst_week.space.town.name}</h2>" in html


def test_every_space_has_its_own_look_and_the_palette_is_colour_blind_safe():
    looks = [dashboard.series_class(n) for n in range(dashboard.COLOURS * dashboard.DASHES)]
    assert len(set(looks)) == len(looks)
    css = (Path(__file__).parents[2] / "coworking/static/app.css").read_text()
    colours = [re.search(rf"\.research \.series-{n} circle {{ fill: (#[0-9a-f]{{6}}); }}",
                         css).group(1) for n in range(dashboard.COLOURS)]
    okabe_ito = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2",
                 "#d55e00", "#cc79a7"}
    assert set(colours) == okabe_ito


@pytest.mark.parametrize("months", [3, 12, 24, 37])
def test_month_labels_leave_room_on_a_phone_and_on_a_wide_screen(months):
    starts = [date(2026 + (2 + n) // 12, (2 + n) % 12 + 1, 1) for n in range(months)]
    xs = [dashboard._x(n, months) for n in range(months)]
    labels = dashboard.month_labels(starts, xs)
    for shown, room in (({"all"}, dashboard.LABEL_ROOM["phone"]),
                        ({"all", "wide"}, dashboard.LABEL_ROOM["wide"])):
        at = [label["x"] for label in labels if label["shown"] in shown]
        assert at and all(b - a >= room for a, b in zip(at, at[1:]))
    # Every January shown names its year, and so does the first label on a phone.
    assert all(label["year"] for label in labels if label["month"].month == 1)
    assert next(label for label in labels if label["shown"] == "all")["year"]
    if months == 12:  # a year fits every month on a wide screen, every other on a phone
        assert len(labels) == 12 and sum(label["shown"] == "all" for label in labels) == 6


def test_withheld_and_nothing_happened_read_differently(client, researcher, app, make_space):
    app.config["RESEARCH_MIN_CELL"] = 5
    make_space(slug="aaa-leer")
    html = client.get("/research?from=2027-03-01&to=2027-03-31").get_data(as_text=True)
    table = html[html.index("research-table"):html.index("</table>")]
    # The test space's March rests on four members: withheld; the empty space: zeros.
    assert '<span class="withheld">not shown</span>' in table
    assert "0 visits, 0 members" in table
    assert "–" not in table
