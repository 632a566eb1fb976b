"""Sign-in friction instead of a lock anyone can trigger: after too many failed sign-ins for
an account, strangers wait, while the browser its owner signed in with before still gets in."""
import pytest

from coworking.accounts import devices
from coworking.extensions import db
from tests.factories import csrf_token

EMAIL, PASSWORD = "owner@example.org", "the right one"


def web_sign_in(client, email=EMAIL, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def api_sign_in(client, email=EMAIL, password=PASSWORD):
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": password},
                       headers={"Accept-Language": "en"})


def lock_out(stranger, email=EMAIL):
    """Ten wrong guesses within the minute, as RATELIMIT_LOGIN_PER_ACCOUNT allows."""
    for _ in range(10):
        assert api_sign_in(stranger, email, "a wrong guess").status_code == 401
    refused = api_sign_in(stranger, email)
    assert refused.status_code == 429
    return int(refused.headers["Retry-After"])


@pytest.fixture
def owner(frozen, make_user):
    return make_user(email=EMAIL, password=PASSWORD)


@pytest.fixture
def owners_browser(owner, client):
    """The owner's browser: signed in once, then signed out again."""
    assert web_sign_in(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/bookings")})
    return client


@pytest.fixture
def stranger(app):
    return app.test_client()


def test_the_owners_browser_gets_in_while_a_stranger_is_held_back(owners_browser, stranger):
    retry_after = lock_out(stranger)
    assert retry_after > 0
    assert web_sign_in(stranger).status_code == 429

    assert api_sign_in(owners_browser).status_code == 201
    response = web_sign_in(owners_browser)
    assert response.status_code == 302
    assert owners_browser.get("/api/v1/me").json["email"] == EMAIL


def test_a_stranger_waits_out_the_minute_that_retry_after_names(owner, stranger, frozen):
    frozen.set("2027-03-01T10:00:00+01:00")
    assert lock_out(stranger) == 60
    frozen.set("2027-03-01T10:00:59+01:00")
    refused = api_sign_in(stranger)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    frozen.set("2027-03-01T10:01:00+01:00")
    assert api_sign_in(stranger).status_code == 201


def test_the_owners_browser_has_its_own_count_of_failures(owners_browser, stranger):
    for _ in range(10):
        assert web_sign_in(owners_browser, password="typo").status_code == 401
    assert web_sign_in(owners_browser).status_code == 429
    # Its typos did not lock the account for the owner's other devices.
    assert api_sign_in(stranger).status_code == 201


def test_a_browser_known_for_one_member_is_a_stranger_to_another(owners_browser, stranger,
                                                                   make_user):
    make_user(email="colleague@example.org", password=PASSWORD)
    lock_out(stranger, "colleague@example.org")
    assert web_sign_in(owners_browser, "colleague@example.org").status_code == 429
    assert web_sign_in(owners_browser).status_code == 302


def test_a_shared_browser_stays_known_for_everyone_who_signed_in_with_it(owners_browser, stranger,
                                                                         make_user):
    make_user(email="colleague@example.org", password=PASSWORD)
    assert web_sign_in(owners_browser, "colleague@example.org").status_code == 302
    lock_out(stranger)
    lock_out(stranger, "colleague@example.org")
    assert web_sign_in(owners_browser).status_code == 302
    assert web_sign_in(owners_browser, "colleague@example.org").status_code == 302


def test_a_forged_or_copied_cookie_does_not_help(owners_browser, stranger):
    lock_out(stranger)
    stranger.set_cookie(devices.COOKIE_NAME, owners_browser.get_cookie(devices.COOKIE_NAME).value
                        + "x")
    assert web_sign_in(stranger).status_code == 429
    stranger.set_cookie(devices.COOKIE_NAME, "garbage")
    assert web_sign_in(stranger).status_code == 429


def test_a_new_password_forgets_the_browsers_the_old_one_knew(owner, owners_browser, stranger):
    owner.set_password("a brand new one")
    db.session.commit()
    lock_out(stranger)
    assert web_sign_in(owners_browser, password="a brand new one").status_code == 429


def test_the_cookie_outlives_sign_out_for_a_year_and_is_not_for_scripts(owner, client, frozen):
    response = web_sign_in(client)
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(devices.COOKIE_NAME + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    frozen.set("2028-02-29T06:59:00+01:00")  # 365 days later, less a minute
    assert devices.read(client.get_cookie(devices.COOKIE_NAME).value).knows(owner)
    frozen.set("2028-02-29T07:01:00+01:00")
    assert devices.read(client.get_cookie(devices.COOKIE_NAME).value) is None


def test_registering_makes_the_browser_known(client, stranger, frozen):
    response = client.post("/register", data={
        "name": "New", "email": "new@example.org", "password": PASSWORD,
        "csrf_token": csrf_token(client, "/register")})
    assert response.status_code == 302
    lock_out(stranger, "new@example.org")
    assert web_sign_in(client, "new@example.org").status_code == 302
