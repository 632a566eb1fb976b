"""Registration, sign-in, API tokens, roles, rate limits and the `users` commands."""
import pytest
from sqlalchemy import select

from coworking.accounts.models import ApiToken, User
from coworking.extensions import db

EN = {"Accept-Language": "en"}


def register(client, **body):
    payload = {"email": "jana@example.org", "password": "long enough", "name": "Jana"} | body
    return client.post("/api/v1/auth/register", json=payload, headers=EN)


def test_registration_creates_a_member_with_a_hashed_password(client):
    response = register(client, email="  Jana@Example.ORG ")
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "email": "jana@example.org", "name": "Jana",
                             "roles": ["member"], "calendar_url": response.json["calendar_url"]}
    assert response.json["calendar_url"].startswith("http://127.0.0.1:5000/calendar/")
    user = db.session.scalar(select(User))
    assert user.password_hash != "long enough" and user.check_password("long enough")


def test_an_email_is_taken_regardless_of_case(client):
    assert register(client).status_code == 201
    response = register(client, email="JANA@example.org")
    assert response.status_code == 409 and "email" in response.json["errors"]


@pytest.mark.parametrize("body,fields", [
    ({"email": "not-an-address"}, {"email"}),
    ({"password": "short"}, {"password"}),
    ({"name": "   "}, {"name"}),
    ({"email": "a" * 300 + "@example.org"}, {"email"}),
    ({"name": "x" * 5000}, {"name"}),
    ({"password": "p" * 10_000}, {"password"}),
    ({"email": 42, "password": ["x"], "name": {"a": 1}}, {"email", "password", "name"}),
    ({"email": None, "password": None, "name": None}, {"email", "password", "name"}),
])
def test_invalid_registrations_name_every_bad_field(client, body, fields):
    response = register(client, **body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == fields
    assert db.session.scalar(select(User)) is None


def test_a_token_authenticates_api_requests_and_is_stored_hashed(client):
    register(client)
    issued = client.post("/api/v1/auth/tokens", json={"email": "JANA@example.org", "password": "long enough"})
    assert issued.status_code == 201
    token = issued.json["token"]
    assert db.session.scalar(select(ApiToken.token_hash)) != token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "jana@example.org"


def test_requests_without_a_valid_token_are_401(client):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cw_forged"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_works(client, make_user):
    from coworking import clock
    from coworking.accounts.service import issue_api_token

    token = issue_api_token(make_user())
    db.session.scalar(select(ApiToken)).revoked_at = clock.utcnow()
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_wrong_credentials_are_401_without_saying_which_part_was_wrong(client, make_user):
    make_user(email="known@example.org")
    unknown = client.post("/api/v1/auth/tokens", json={"email": "nobody@example.org", "password": "x" * 9}, headers=EN)
    wrong = client.post("/api/v1/auth/tokens", json={"email": "known@example.org", "password": "x" * 9}, headers=EN)
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json["detail"] == wrong.json["detail"]


def test_failed_sign_ins_are_limited_per_account_with_retry_after(client, make_user):
    make_user(email="target@example.org", password="the right one")
    for _ in range(10):
        assert client.post("/api/v1/auth/tokens", json={
            "email": "target@example.org", "password": "guess"}).status_code == 401
    limited = client.post("/api/v1/auth/tokens", json={"email": "target@example.org",
                                                       "password": "the right one"}, headers=EN)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many attempts" in limited.json["detail"]
    # Other accounts behind the same address are not affected.
    make_user(email="colleague@example.org", password="the right one")
    assert client.post("/api/v1/auth/tokens", json={
        "email": "colleague@example.org", "password": "the right one"}).status_code == 201


def test_twenty_members_behind_one_address_can_all_sign_in(client, make_user):
    for i in range(20):
        make_user(email=f"m{i}@example.org", password="the right one")
    codes = [client.post("/api/v1/auth/tokens", json={"email": f"m{i}@example.org",
                                                      "password": "the right one"}).status_code
             for i in range(20)]
    assert codes == [201] * 20


def test_the_web_sign_in_form_is_limited_too(client, make_user):
    from tests.factories import csrf_token

    make_user(email="web@example.org")
    token = csrf_token(client, "/login")
    for _ in range(10):
        client.post("/login", data={"email": "web@example.org", "password": "nope", "csrf_token": token})
    response = client.post("/login", data={"email": "web@example.org", "password": "correct horse",
                                           "csrf_token": token})
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_users_create_and_token_commands(runner, make_space, client):
    space = make_space(slug="moelln-test")
    result = runner.invoke(args=["users", "create", "host@example.org", "--name", "Hanna Host",
                                 "--password", "host password", "--role", "host", "--space", space.slug])
    assert result.exit_code == 0, result.output
    token = runner.invoke(args=["users", "token", "host@example.org"]).output.strip()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me["roles"] == ["member", "host"]
    user = db.session.scalar(select(User).where(User.email == "host@example.org"))
    assert user.hosted_space_ids() == {space.id}


@pytest.mark.parametrize("args,message", [
    (["--role", "host"], "--space"),
    (["--role", "host", "--space", "atlantis"], "atlantis"),
    (["--password", "short"], "8 characters"),
])
def test_users_create_explains_what_is_wrong(runner, args, message):
    base = ["users", "create", "x@example.org", "--name", "X", "--password", "long enough"]
    result = runner.invoke(args=base + args)
    assert result.exit_code != 0
    assert message in result.output


def test_users_token_for_an_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.org"])
    assert result.exit_code != 0 and "ghost@example.org" in result.output


def test_behind_a_trusted_proxy_each_visitor_has_their_own_address_limit(database_url, make_user):
    from coworking import create_app
    from tests.factories import make_config

    app = create_app(make_config(database_url, TRUSTED_PROXIES=1,
                                 RATELIMIT_AUTH_PER_ADDRESS="3/minute"))
    client = app.test_client()
    make_user(email="p@example.org", password="the right one")
    body = {"email": "p@example.org", "password": "the right one"}

    def attempt(address):
        return client.post("/api/v1/auth/tokens", json=body,
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("198.51.100.7") for _ in range(4)] == [201, 201, 201, 429]
    assert attempt("198.51.100.8") == 201
