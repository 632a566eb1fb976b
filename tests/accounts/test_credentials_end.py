"""A password reset and "sign out everywhere" end every key to the account at once: sessions,
API tokens and calendar feed URLs, so nothing made in a borrowed session outlives them."""
import re

import pytest

from coworking.calendars import tokens
from tests.accounts.mailbox import link_in, mails_to, text_of, token_of
from tests.calendars.conftest import feed_path
from tests.factories import csrf_token

EN = {"Accept-Language": "en"}
PASSWORD, NEW = "correct horse", "a brand new secret"


@pytest.fixture
def keys(app, client, make_space, make_user, login, frozen):
    """A host signed in twice, with an API token made in the browser, their own feed URL and
    their space's; `keys.check()` tells which of them still work."""
    space = make_space(desks=1, rooms=0)
    host = make_user(email="host@example.org", role="host", space=space)
    login("host@example.org")
    made = client.post("/account/tokens", data={
        "token-name": "Borrowed", "token-current_password": PASSWORD,
        "csrf_token": csrf_token(client, "/account")})
    secret = re.search(r'<code class="secret">(cw_[^<]+)</code>', made.get_data(as_text=True))
    phone = app.test_client()
    phone.post("/login", data={"email": "host@example.org", "password": PASSWORD,
                               "csrf_token": csrf_token(phone, "/login")})

    class Keys:
        user, own_feed, space_feed = host, feed_path(host), feed_path(host, space)
        api_token = secret.group(1)

        def check(self):
            return {
                "session": phone.get("/api/v1/me", headers=EN).status_code == 200,
                "api token": client.get("/api/v1/me", headers={
                    **EN, "Authorization": f"Bearer {self.api_token}"}).status_code == 200,
                "own feed": client.get(self.own_feed).status_code == 200,
                "space feed": client.get(self.space_feed).status_code == 200,
            }

    found = Keys()
    assert found.check() == dict.fromkeys(found.check(), True)
    found.space = space
    return found


def reset_link(client, server, email):
    """Asked for where nobody is signed in, as someone who forgot the password would."""
    assert client.post("/api/v1/auth/password-reset", json={"email": email},
                       headers=EN).status_code == 202
    return link_in(mails_to(server, email)[-1], "/password/reset/")


def test_a_password_reset_over_the_api_ends_sessions_tokens_and_feed_urls(
        app, client, keys, smtp_server):
    elsewhere = app.test_client()
    link = reset_link(elsewhere, smtp_server, "host@example.org")
    response = elsewhere.post("/api/v1/auth/password-reset/confirm",
                           json={"token": token_of(link), "password": NEW}, headers=EN)
    assert response.status_code == 204
    assert keys.check() == dict.fromkeys(keys.check(), False)
    # The account page shows new feed URLs, and they work.
    assert feed_path(keys.user) != keys.own_feed
    assert client.get(feed_path(keys.user)).status_code == 200
    assert client.get(feed_path(keys.user, keys.space)).status_code == 200


def test_a_password_reset_in_the_browser_does_too(app, keys, smtp_server):
    browser = app.test_client()
    link = reset_link(browser, smtp_server, "host@example.org")
    response = browser.post(link, data={"password": NEW, "password_again": NEW,
                                        "csrf_token": csrf_token(browser, link)})
    assert response.status_code == 302
    assert keys.check() == dict.fromkeys(keys.check(), False)
    assert "API-Tokens und Kalender-Links funktionieren nicht mehr" in browser.get(
        "/login").get_data(as_text=True)


def test_signing_out_everywhere_ends_sessions_tokens_and_feed_urls(client, keys):
    response = client.post("/account/sessions/end",
                           data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert keys.check() == dict.fromkeys(keys.check(), False)
    assert tokens.token_for(keys.user) is not None


def test_a_plain_sign_out_leaves_api_tokens_and_feed_urls_alone(client, keys):
    """Signing out of one browser is not a lost key: scripts and calendar apps go on."""
    client.post("/logout", data={"csrf_token": csrf_token(client, "/bookings")})
    assert keys.check() == {"session": False, "api token": True, "own feed": True,
                            "space feed": True}


def test_the_reset_mail_says_what_stops_working(client, make_user, smtp_server):
    make_user(email="jana@example.org")
    reset_link(client, smtp_server, "jana@example.org")
    text = " ".join(text_of(mails_to(smtp_server, "jana@example.org")[-1]).split())
    assert "meldet dich auf allen Geräten ab" in text
    assert "API-Tokens und Kalender-Links funktionieren nicht mehr" in text
