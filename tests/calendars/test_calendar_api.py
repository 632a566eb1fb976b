"""The feed URL in GET /api/v1/me, and rotating it over the API."""
from urllib.parse import urlsplit

from tests.api.test_api_contract import check
from tests.factories import csrf_token


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_current_user_shows_the_same_feed_url_until_it_is_rotated(client, api, space):
    member = api()
    shown = member.get("/api/v1/me")
    check(shown, "/api/v1/me", "get")
    url = shown.json["calendar_url"]
    assert url.startswith("http://127.0.0.1:5000/calendar/") and url.endswith(".ics?lang=en")
    assert member.get("/api/v1/me").json["calendar_url"] == url
    assert client.get(path_of(url)).status_code == 200

    rotated = member.post("/api/v1/me/calendar-token")
    assert rotated.status_code == 201
    check(rotated, "/api/v1/me/calendar-token", "post")
    new_url = rotated.json["calendar_url"]
    assert new_url != url and member.get("/api/v1/me").json["calendar_url"] == new_url
    assert client.get(path_of(url)).status_code == 404
    assert client.get(path_of(new_url)).status_code == 200


def test_german_clients_get_the_german_feed(client, api):
    member = api()
    url = member.get("/api/v1/me", headers={"Accept-Language": "de"}).json["calendar_url"]
    assert url.endswith(".ics") and "lang=" not in url


def test_a_browser_session_rotates_with_its_csrf_token(client, space, make_user, login):
    make_user(email="web@example.org")
    login("web@example.org")
    assert client.post("/api/v1/me/calendar-token").status_code == 400  # no CSRF token
    token = csrf_token(client, "/bookings")
    assert client.post("/api/v1/me/calendar-token",
                       headers={"X-CSRFToken": token}).status_code == 201
