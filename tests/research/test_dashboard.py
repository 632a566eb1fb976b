"""The research dashboard: charts and tables of the published figures, for researchers and
admins, on a phone too."""
import pytest

from tests.factories import csrf_token


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
    assert html.count("<svg") == 3
    assert "Monthly occupancy of the five towns" in html
    assert dst_week.space.town.name in html
    # March: 5 visits of 4 members (one still under way), 6 booked desk hours.
    assert "5 visits, 4 members" in html
    assert 'href="/research/export?from=2027-01-01&amp;to=2027-03-31"' in html
    assert "style=" not in html and "<script" not in html


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
