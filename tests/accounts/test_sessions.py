"""Sign-out ends the session on the server: a copy of the cookie is worth nothing afterwards."""
import pytest

from coworking.extensions import db
from tests.factories import csrf_token


def sign_in(client, email, password="correct horse"):
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302


def sign_out(client):
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 302


def signed_in_as(client):
    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    return response.json["email"] if response.status_code == 200 else None


def test_a_copied_session_cookie_no_longer_works_after_sign_out(client, make_user):
    make_user(email="copy@example.org")
    sign_in(client, "copy@example.org")
    copied = client.get_cookie("session").value
    sign_out(client)
    assert signed_in_as(client) is None

    client.set_cookie("session", copied)
    assert signed_in_as(client) is None
    response = client.get("/bookings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_in_again_after_sign_out_works(client, make_user):
    make_user(email="again@example.org")
    sign_in(client, "again@example.org")
    sign_out(client)
    sign_in(client, "again@example.org")
    assert signed_in_as(client) == "again@example.org"


def test_sign_out_ends_the_members_sessions_in_other_browsers_too(app, make_user):
    make_user(email="two@example.org")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "two@example.org")
    sign_in(laptop, "two@example.org")
    sign_out(phone)
    assert signed_in_as(laptop) is None


def test_a_changed_password_ends_the_sessions_signed_in_with_the_old_one(client, make_user):
    user = make_user(email="change@example.org")
    sign_in(client, "change@example.org")
    user.set_password("a new password")
    db.session.commit()
    assert signed_in_as(client) is None
    sign_in(client, "change@example.org", "a new password")
    assert signed_in_as(client) == "change@example.org"


@pytest.mark.parametrize("stored_id", ["{id}", "{id}:", "{id}:x", "x:0", "", "{id}:0:0", "{id}:²"])
def test_cookies_naming_no_current_session_are_signed_out(app, client, make_user, stored_id):
    """Among them cookies from before sessions could end, which named the user id alone."""
    user = make_user(email="old@example.org")
    serializer = app.session_interface.get_signing_serializer(app)
    client.set_cookie("session", serializer.dumps(
        {"_user_id": stored_id.format(id=user.id), "_fresh": True}))
    assert signed_in_as(client) is None
    client.set_cookie("session", serializer.dumps({"_user_id": f"{user.id}:0", "_fresh": True}))
    assert signed_in_as(client) == "old@example.org"
