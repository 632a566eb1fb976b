"""API tokens are named, listed, revocable and expire; last use is noted without a write per request."""
from contextlib import contextmanager

import jsonschema
import pytest
from sqlalchemy import event, select

from coworking.accounts.models import ApiToken
from coworking.accounts.service import create_api_token
from coworking.api.openapi import DOCUMENT
from coworking.extensions import db
from tests.factories import csrf_token

EN = {"Accept-Language": "en"}


def matches_document(response, path, method):
    """The answer is one the OpenAPI document lists, in the documented shape."""
    documented = DOCUMENT["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, response.status_code
    content = documented[str(response.status_code)].get("content")
    if content is None:
        return response.get_data() == b""
    schema = {**next(iter(content.values()))["schema"], "components": DOCUMENT["components"]}
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        response.json)
    return True


def bearer(secret):
    return {"Authorization": f"Bearer {secret}", **EN}


def issue(client, email, password="correct horse", **body):
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": password, **body})


@contextmanager
def statements():
    """The SQL statements sent while the block runs."""
    sent = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(statement.upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_named_token_is_issued_with_its_id_and_a_year_to_live(client, make_user, frozen):
    make_user(email="jana@example.org")
    response = issue(client, "jana@example.org", name=" laptop backup script ")
    assert response.status_code == 201 and matches_document(response, "/api/v1/auth/tokens", "post")
    assert response.json["name"] == "laptop backup script"
    assert response.json["expires_at"] == "2028-02-29T07:00:00+01:00"  # 365 days
    token = db.session.get(ApiToken, response.json["id"])
    assert token.token_hash != response.json["token"]
    unnamed = issue(client, "jana@example.org")
    assert unnamed.status_code == 201 and unnamed.json["name"] is None


def test_a_token_name_longer_than_100_characters_is_refused(client, make_user):
    make_user(email="jana@example.org")
    response = issue(client, "jana@example.org", name="x" * 101)
    assert response.status_code == 422 and "name" in response.json["errors"]
    assert db.session.scalar(select(ApiToken)) is None


def test_members_list_their_own_tokens_that_are_not_revoked(client, make_user, frozen):
    jana, other = make_user(email="jana@example.org"), make_user()
    first, _ = create_api_token(jana, "phone")
    frozen.set("2027-03-01T08:00:00+01:00")
    revoked, revoked_token = create_api_token(jana, "old")
    revoked_token.revoked_at = revoked_token.created_at
    db.session.commit()
    create_api_token(other, "not hers")
    frozen.set("2027-03-01T09:00:00+01:00")
    listed = client.get("/api/v1/me/tokens", headers=bearer(first))
    assert listed.status_code == 200 and matches_document(listed, "/api/v1/me/tokens", "get")
    assert listed.json == [{"id": listed.json[0]["id"], "name": "phone",
                            "created_at": "2027-03-01T07:00:00+01:00",
                            "last_used_at": "2027-03-01T09:00:00+01:00",
                            "expires_at": "2028-02-29T07:00:00+01:00"}]
    assert client.get("/api/v1/me/tokens", headers=bearer(revoked)).status_code == 401
    assert client.get("/api/v1/me/tokens").status_code == 401


def test_a_revoked_token_authenticates_nothing_and_revoking_again_is_404(client, make_user):
    jana = make_user(email="jana@example.org")
    keeper, _ = create_api_token(jana, "keeper")
    doomed, doomed_token = create_api_token(jana, "doomed")
    path = f"/api/v1/me/tokens/{doomed_token.id}"
    response = client.delete(path, headers=bearer(keeper))
    assert response.status_code == 204 and matches_document(
        response, "/api/v1/me/tokens/{token_id}", "delete")
    refused = client.get("/api/v1/me", headers=bearer(doomed))
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    again = client.delete(path, headers=bearer(keeper))
    assert again.status_code == 404 and matches_document(
        again, "/api/v1/me/tokens/{token_id}", "delete")
    assert [t["name"] for t in client.get("/api/v1/me/tokens", headers=bearer(keeper)).json] == [
        "keeper"]


def test_a_token_can_revoke_itself(client, make_user):
    secret, token = create_api_token(make_user(), "once")
    assert client.delete(f"/api/v1/me/tokens/{token.id}", headers=bearer(secret)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize("token_id", ["{other}", "424242", "99999999999999999999999"])
def test_another_members_token_or_none_at_all_is_404(client, make_user, token_id):
    mine, _ = create_api_token(make_user(), "mine")
    theirs, their_token = create_api_token(make_user(), "theirs")
    response = client.delete(f"/api/v1/me/tokens/{token_id.format(other=their_token.id)}",
                             headers=bearer(mine))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/me", headers=bearer(theirs)).status_code == 200


def test_a_token_works_until_the_second_it_expires(client, make_user, frozen):
    secret, token = create_api_token(make_user(email="jana@example.org"))
    assert token.expires_at == frozen.set("2028-02-29T07:00:00+01:00")
    frozen.set("2028-02-29T06:59:59+01:00")
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    frozen.set("2028-02-29T07:00:00+01:00")
    expired = client.get("/api/v1/me", headers=bearer(secret))
    assert expired.status_code == 401 and expired.mimetype == "application/problem+json"
    # Listed until revoked, so its owner sees that it expired.
    other, other_token = create_api_token(token.user)
    listed = client.get("/api/v1/me/tokens", headers=bearer(other)).json
    assert [t["id"] for t in listed] == [other_token.id, token.id]


def test_last_use_is_written_at_most_once_a_minute(client, make_user, frozen):
    secret, token = create_api_token(make_user())
    first = frozen.set("2027-03-01T10:00:00+01:00")
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first

    frozen.set("2027-03-01T10:00:59+01:00")
    with statements() as sent:
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert not [s for s in sent if s.startswith(("UPDATE", "BEGIN IMMEDIATE", "INSERT"))], sent
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first

    later = frozen.set("2027-03-01T10:01:00+01:00")
    client.get("/api/v1/me", headers=bearer(secret))
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == later


def test_a_browser_session_manages_tokens_with_its_csrf_token(frozen, client, make_user, login):
    jana = make_user(email="jana@example.org")
    _, token = create_api_token(jana, "script")
    login("jana@example.org")
    assert [t["name"] for t in client.get("/api/v1/me/tokens").json] == ["script"]
    path = f"/api/v1/me/tokens/{token.id}"
    assert client.delete(path).status_code == 400
    assert client.delete(path, headers={"X-CSRFToken": csrf_token(client, "/bookings")}).status_code == 204
    assert client.get("/api/v1/me/tokens").json == []


def test_users_token_takes_a_name(runner, make_user):
    make_user(email="cli@example.org")
    result = runner.invoke(args=["users", "token", "cli@example.org", "--name", "backup"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("cw_")
    assert db.session.scalar(select(ApiToken.name)) == "backup"


def test_users_revoke_token_by_id_and_all(runner, client, make_user):
    jana = make_user(email="jana@example.org")
    one, one_token = create_api_token(jana, "phone")
    two, two_token = create_api_token(jana, "laptop")
    three, three_token = create_api_token(jana)

    result = runner.invoke(args=["users", "revoke-token", "jana@example.org", "--id", str(one_token.id)])
    assert result.exit_code == 0, result.output
    assert result.output == f"revoked token {one_token.id} (phone) of <jana@example.org>\n"
    assert client.get("/api/v1/me", headers=bearer(one)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(two)).status_code == 200

    result = runner.invoke(args=["users", "revoke-token", "jana@example.org", "--all"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"revoked token {two_token.id} (laptop) of <jana@example.org>\n"
                             f"revoked token {three_token.id} of <jana@example.org>\n")
    assert client.get("/api/v1/me", headers=bearer(two)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(three)).status_code == 401

    result = runner.invoke(args=["users", "revoke-token", "jana@example.org", "--all"])
    assert result.exit_code == 0 and "no tokens to revoke" in result.output


@pytest.mark.parametrize("args,message", [
    ([], "--all or --id"),
    (["--all", "--id", "1"], "--all or --id"),
    (["--id", "0"], "0"),
    (["--id", "{other}"], "no token"),
    (["--id", "{mine}"], "no token"),  # revoked already
])
def test_users_revoke_token_explains_what_is_wrong(runner, make_user, args, message):
    jana, other = make_user(email="jana@example.org"), make_user()
    _, mine = create_api_token(jana)
    mine.revoked_at = mine.created_at
    db.session.commit()
    _, theirs = create_api_token(other)
    args = [a.format(other=theirs.id, mine=mine.id) for a in args]
    result = runner.invoke(args=["users", "revoke-token", "jana@example.org", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.get(ApiToken, theirs.id).revoked_at is None


def test_users_revoke_token_for_an_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["users", "revoke-token", "ghost@example.org", "--all"])
    assert result.exit_code != 0 and "ghost@example.org" in result.output


def test_the_account_page_lists_tokens_with_revoke_buttons(frozen, client, make_user, login):
    jana = make_user(email="jana@example.org")
    secret, token = create_api_token(jana, "Kalender-Skript")
    create_api_token(make_user(), "not hers")
    login("jana@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert "Kalender-Skript" in page and "not hers" not in page
    assert "<h2 id=\"api-tokens\">API-Tokens</h2>" in page and ">Widerrufen</button>" in page
    assert f'action="/account/tokens/{token.id}/revoke"' in page
    assert 'href="/account"' in page  # in the navigation

    response = client.post(f"/account/tokens/{token.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    page = client.get("/account").get_data(as_text=True)
    assert "Kalender-Skript" not in page
    again = client.post(f"/account/tokens/{token.id}/revoke",
                        data={"csrf_token": csrf_token(client, "/account")}, follow_redirects=True)
    assert again.status_code == 200 and 'class="flash error"' in again.get_data(as_text=True)


def test_the_account_page_needs_a_signed_in_member_and_a_csrf_token(frozen, client, make_user,
                                                                   login):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    secret, token = create_api_token(make_user(email="jana@example.org"))
    login("jana@example.org")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 303  # refused, back to a page
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
