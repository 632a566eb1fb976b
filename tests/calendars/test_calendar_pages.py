"""The pages: the account page's calendar section (a partial the account page includes), the
button that rotates the link, and the host's feeds."""
from flask import render_template
from flask_babel import force_locale
from flask_login import login_user

from coworking.calendars import tokens
from tests.calendars.conftest import feed_path
from tests.factories import csrf_token


def render_account_section(app, user, lang="de"):
    with app.test_request_context("/account"), force_locale(lang):
        login_user(user)
        return render_template("calendars/_account.html")


def test_the_account_section_shows_the_feed_with_instructions(app, space, make_user):
    member = make_user()
    page = render_account_section(app, member)
    path = feed_path(member)
    assert f'href="webcal://127.0.0.1:5000{path}"' in page
    assert f'value="http://127.0.0.1:5000{path}"' in page
    assert 'id="calendar"' in page
    for app_name in ("Google Calendar", "Apple Calendar", "Outlook", "Thunderbird"):
        assert app_name in page
    assert "In deiner Kalender-App abonnieren" in page
    assert 'action="/account/calendar/rotate"' in page and 'name="csrf_token"' in page
    english = render_account_section(app, member, "en")
    assert "Subscribe in your calendar app" in english and "?lang=en" in english


def test_rotating_on_the_account_page_retires_the_old_link(client, space, make_user, login):
    member = make_user(email="web@example.org")
    old = feed_path(member)
    login("web@example.org")
    response = client.post("/account/calendar/rotate",
                           data={"csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 302 and response.location.endswith("/account#calendar")
    assert client.get(old).status_code == 404
    assert feed_path(member) != old and client.get(feed_path(member)).status_code == 200


def test_rotating_needs_the_csrf_token(client, space, make_user, login):
    member = make_user(email="web@example.org")
    old = feed_path(member)
    login("web@example.org")
    assert client.post("/account/calendar/rotate").status_code == 303  # refused, back to a page
    assert client.get(old).status_code == 200


def test_a_host_sees_and_rotates_the_feed_of_their_space_only(client, space, make_user,
                                                              make_space, login):
    other_space = make_space(desks=1, rooms=0)
    host = make_user(email="host@example.org", role="host", space=space)
    login("host@example.org")
    page = client.get("/host/payments").get_data(as_text=True)
    path = feed_path(host, space)
    assert f"http://127.0.0.1:5000{path}" in page and f"webcal://127.0.0.1:5000{path}" in page
    assert space.name in page and other_space.name not in page
    token = csrf_token(client, "/bookings")
    refused = client.post(f"/account/calendar/spaces/{other_space.slug}/rotate",
                          data={"csrf_token": token})
    assert refused.status_code == 403
    rotated = client.post(f"/account/calendar/spaces/{space.slug}/rotate",
                          data={"csrf_token": token})
    assert rotated.status_code == 302 and rotated.location.endswith("/host/payments#calendar")
    assert client.get(path).status_code == 404


def test_members_see_no_space_feeds_on_the_pages(app, space, make_user):
    member = make_user()
    assert tokens.host_tokens(member) == []
