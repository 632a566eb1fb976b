"""A forgotten password is reset with a single-use link e-mailed to the account's address,
valid for one hour; asking never reveals whether an account has the address."""
from datetime import timedelta

from sqlalchemy import select

from coworking.accounts.models import AccountToken, LinkPurpose, User
from coworking.extensions import db
from tests.accounts.mailbox import deliver, link_in, mails_to, text_of, token_of
from tests.factories import csrf_token

EN = {"Accept-Language": "en"}
NEW = "a brand new secret"


def ask_for_reset(client, email):
    return client.post("/api/v1/auth/password-reset", json={"email": email}, headers=EN)


def confirm(client, token, password=NEW):
    return client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "password": password}, headers=EN)


def reset_token(client, server, email):
    """Ask for a reset of `email` and read the token from the link in the newest e-mail."""
    assert ask_for_reset(client, email).status_code == 202
    return token_of(link_in(mails_to(server, email)[-1], "/password/reset/"))


def signs_in(client, email, password):
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": password},
                       headers=EN).status_code == 201


def user(email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_the_mail_arrives_and_its_link_works_once(client, make_user, smtp_server, frozen):
    make_user(email="jana@example.org", name="Jana")
    response = ask_for_reset(client, "Jana@Example.org ")
    assert response.status_code == 202 and response.get_data() == b""
    (mail,) = [m for m in mails_to(smtp_server, "jana@example.org")
               if "/password/reset/" in text_of(m)]
    assert mail["Subject"] == "Wähle ein neues Passwort"
    link = link_in(mail, "/password/reset/")

    form = client.get(link)
    assert form.status_code == 200 and 'name="password_again"' in form.get_data(as_text=True)
    assert confirm(client, token_of(link)).status_code == 204
    assert signs_in(client, "jana@example.org", NEW)
    assert not signs_in(client, "jana@example.org", "correct horse")

    reused = confirm(client, token_of(link), "yet another password")
    assert reused.status_code == 410 and reused.mimetype == "application/problem+json"
    assert reused.json["type"].endswith("/link-gone")
    page = client.get(link)
    assert page.status_code == 410
    assert 'href="/password/forgot"' in page.get_data(as_text=True)
    assert signs_in(client, "jana@example.org", NEW)


def test_a_link_works_for_one_hour(client, make_user, smtp_server, frozen):
    make_user(email="jana@example.org")
    frozen.set("2027-03-01T10:00:00+01:00")
    token = reset_token(client, smtp_server, "jana@example.org")
    frozen.set("2027-03-01T10:59:00+01:00")
    assert client.get(f"/password/reset/{token}").status_code == 200
    assert confirm(client, token).status_code == 204

    frozen.set("2027-03-01T12:00:00+01:00")
    token = reset_token(client, smtp_server, "jana@example.org")
    frozen.set("2027-03-01T13:01:00+01:00")
    assert client.get(f"/password/reset/{token}").status_code == 410
    assert confirm(client, token, "too late a password").status_code == 410
    assert signs_in(client, "jana@example.org", NEW)


def test_a_link_changes_only_the_account_it_was_sent_for(client, make_user, smtp_server):
    make_user(email="a@example.org", password="password of a")
    make_user(email="b@example.org", password="password of b")
    token = reset_token(client, smtp_server, "a@example.org")
    response = client.post("/api/v1/auth/password-reset/confirm", headers=EN, json={
        "token": token, "password": NEW, "email": "b@example.org"})
    assert response.status_code == 204
    assert signs_in(client, "a@example.org", NEW)
    assert signs_in(client, "b@example.org", "password of b")
    assert not signs_in(client, "b@example.org", NEW)
    stored = db.session.scalar(select(AccountToken).where(AccountToken.purpose == LinkPurpose.RESET))
    assert stored.user_id == user("a@example.org").id and stored.token_hash != token


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, make_user, smtp_server):
    make_user(email="known@example.org")
    known = ask_for_reset(client, "known@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert (known.status_code, known.get_data(), known.mimetype) == (
        unknown.status_code, unknown.get_data(), unknown.mimetype)
    deliver()
    assert [m["To"] for m in smtp_server.messages if "/password/reset/" in text_of(m)] == [
        "known@example.org"]
    assert mails_to(smtp_server, "nobody@example.org") == []


def test_a_reset_ends_every_session_and_other_reset_links(app, client, make_user, smtp_server):
    make_user(email="jana@example.org")
    browser = app.test_client()
    browser.post("/login", data={"email": "jana@example.org", "password": "correct horse",
                                 "csrf_token": csrf_token(browser, "/login")})
    assert browser.get("/api/v1/me").status_code == 200
    first = reset_token(client, smtp_server, "jana@example.org")
    second = reset_token(client, smtp_server, "jana@example.org")
    assert confirm(client, second).status_code == 204
    assert browser.get("/api/v1/me").status_code == 401
    assert confirm(client, first, "another new password").status_code == 410
    assert signs_in(client, "jana@example.org", NEW)


def test_a_reset_confirms_the_address_it_was_sent_to(client, smtp_server):
    client.post("/api/v1/auth/register", json={"email": "new@example.org", "password": "long enough",
                                                "name": "New"})
    assert user("new@example.org").email_verified_at is None
    assert confirm(client, reset_token(client, smtp_server, "new@example.org")).status_code == 204
    assert user("new@example.org").email_verified_at is not None


def test_a_password_that_will_not_do_names_the_field_and_keeps_the_link(client, make_user,
                                                                        smtp_server):
    make_user(email="jana@example.org")
    token = reset_token(client, smtp_server, "jana@example.org")
    short = confirm(client, token, "short")
    assert short.status_code == 422 and set(short.json["errors"]) == {"password"}
    control = confirm(client, token, "tab\there please")
    assert control.status_code == 422 and set(control.json["errors"]) == {"password"}
    missing = client.post("/api/v1/auth/password-reset/confirm", json={}, headers=EN)
    assert missing.status_code == 422 and set(missing.json["errors"]) == {"token", "password"}
    assert confirm(client, "no-such-token").status_code == 410
    assert confirm(client, "x" * 900).status_code == 410
    assert confirm(client, token).status_code == 204


def test_requests_are_limited_per_address_asked_for(client, make_user, smtp_server):
    make_user(email="jana@example.org")
    for email in ("jana@example.org", "nobody@example.org"):
        for _ in range(5):
            assert ask_for_reset(client, email).status_code == 202
        limited = ask_for_reset(client, email)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert ask_for_reset(client, "someone-else@example.org").status_code == 202
    bad = ask_for_reset(client, "not an address")
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"email"}


def test_a_whole_space_behind_one_address_can_ask(client, make_user, smtp_server):
    for i in range(30):
        assert ask_for_reset(client, f"m{i}@example.org").status_code == 202


def test_the_web_pages_reset_a_password(client, make_user, smtp_server, frozen):
    make_user(email="jana@example.org")
    login_page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in login_page
    response = client.post("/password/forgot", data={
        "email": "jana@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Wenn ein Konto die Adresse jana@example.org hat" in page
    link = link_in([m for m in mails_to(smtp_server, "jana@example.org")
                    if "/password/reset/" in text_of(m)][0], "/password/reset/")

    token = csrf_token(client, link)
    mismatch = client.post(link, data={"password": NEW, "password_again": NEW + "!",
                                       "csrf_token": token})
    assert mismatch.status_code == 422
    assert 'id="password_again-error"' in mismatch.get_data(as_text=True)
    assert "Die beiden Passwörter stimmen nicht überein." in mismatch.get_data(as_text=True)
    short = client.post(link, data={"password": "short", "password_again": "short",
                                    "csrf_token": token})
    assert short.status_code == 422 and 'id="password-error"' in short.get_data(as_text=True)
    assert not signs_in(client, "jana@example.org", "short")

    done = client.post(link, data={"password": NEW, "password_again": NEW, "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert signs_in(client, "jana@example.org", NEW)
    again = client.post(link, data={"password": NEW, "password_again": NEW, "csrf_token": token})
    assert again.status_code == 410


def test_the_forgot_form_answers_alike_and_refuses_what_is_no_address(client, make_user,
                                                                      smtp_server):
    make_user(email="known@example.org")
    token = csrf_token(client, "/password/forgot")
    answers = [client.post("/password/forgot", data={"email": email, "csrf_token": token})
               for email in ("known@example.org", "nobody@example.org")]
    assert [(a.status_code, a.headers["Location"]) for a in answers] == [(302, "/login")] * 2
    bad = client.post("/password/forgot", data={"email": "no address", "csrf_token": token})
    assert bad.status_code == 422 and 'id="email-error"' in bad.get_data(as_text=True)
    control = client.post("/password/forgot", data={"email": "a@example.org\x00",
                                                     "csrf_token": token})
    assert control.status_code == 422


def test_stored_links_are_hashed_and_live_an_hour(client, make_user, smtp_server):
    make_user(email="jana@example.org")
    token = reset_token(client, smtp_server, "jana@example.org")
    stored = db.session.scalar(select(AccountToken))
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at - stored.created_at == timedelta(hours=1)


def test_the_answers_are_the_documented_ones(client, make_user, smtp_server):
    from coworking.api.openapi import DOCUMENT
    from tests.api.test_api_contract import check

    request, confirmation = (DOCUMENT["paths"][f"/api/v1/auth/password-reset{tail}"]["post"]
                             for tail in ("", "/confirm"))
    make_user(email="jana@example.org")
    token = reset_token(client, smtp_server, "jana@example.org")
    assert "202" in request["responses"] and "204" in confirmation["responses"]
    check(ask_for_reset(client, "no address"), "/api/v1/auth/password-reset", "post")
    check(confirm(client, token, "short"), "/api/v1/auth/password-reset/confirm", "post")
    assert confirm(client, token).status_code == 204
    check(confirm(client, token), "/api/v1/auth/password-reset/confirm", "post")
    for _ in range(5):
        ask_for_reset(client, "jana@example.org")
    check(ask_for_reset(client, "jana@example.org"), "/api/v1/auth/password-reset", "post")
