"""A member's address is confirmed by a link e-mailed after registration: until it is followed
the member books but buys no plan, and every page reminds them."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from coworking.accounts.models import AccountToken, User
from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.accounts.mailbox import deliver, link_in, mails_to, text_of, token_of
from tests.factories import (
    csrf_token,
    give_billing_details,
    give_membership,
    make_plan,
    read_topics,
    resources_of,
)

EN = {"Accept-Language": "en"}
PASSWORD = "long enough"


def user(email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def register_on_the_web(client, email="jana@example.org"):
    response = client.post("/register", data={
        "name": "Jana", "email": email, "password": PASSWORD,
        "csrf_token": csrf_token(client, "/register")})
    assert response.status_code == 302
    return user(email)


def register_over_the_api(client, email="jana@example.org"):
    assert client.post("/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "name": "Jana"}).status_code == 201
    token = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}).json
    return user(email), {"Authorization": f"Bearer {token['token']}", **EN}


def test_registering_sends_a_link_that_confirms_the_address(client, smtp_server, frozen):
    jana = register_on_the_web(client)
    assert jana.email_verified_at is None
    page = client.get("/").get_data(as_text=True)
    assert 'class="flash notice unverified"' in page and "jana@example.org" in page

    (mail,) = mails_to(smtp_server, "jana@example.org")
    assert mail["Subject"] == "Bitte bestätige deine E-Mail-Adresse"
    assert "jana@example.org" in text_of(mail)
    link = link_in(mail, "/verify-email/")

    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert user("jana@example.org").email_verified_at == frozen.set("2027-03-01T07:00:00+01:00")
    page = client.get("/account").get_data(as_text=True)
    assert "jana@example.org ist bestätigt." in page
    assert 'class="flash notice unverified"' not in client.get("/").get_data(as_text=True)


def test_the_link_works_without_signing_in_and_twice_does_no_harm(app, client, smtp_server):
    register_on_the_web(client)
    link = link_in(mails_to(smtp_server, "jana@example.org")[0], "/verify-email/")
    elsewhere = app.test_client()
    response = elsewhere.get(link)
    assert response.status_code == 302
    assert "/login" in elsewhere.get("/account").headers["Location"]
    assert user("jana@example.org").email_verified_at is not None
    # A mail program that opened the link first leaves the member nothing to do but read on.
    again = client.get(link, follow_redirects=True)
    assert again.status_code == 200 and "ist bestätigt" in again.get_data(as_text=True)
    assert client.get("/verify-email/not-a-link").status_code == 410


def test_a_link_expires_after_seven_days(client, smtp_server, frozen):
    register_on_the_web(client)
    link = link_in(mails_to(smtp_server, "jana@example.org")[0], "/verify-email/")
    frozen.set("2027-03-08T07:01:00+01:00")
    response = client.get(link)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "Dieser Link funktioniert nicht mehr" in page
    assert 'href="/account#email">Zu meinem Konto</a>' in page
    assert user("jana@example.org").email_verified_at is None


def test_an_unverified_member_books_but_buys_no_plan_until_the_link_is_followed(
        client, smtp_server, make_space, frozen):
    space = make_space(desks=1, rooms=0)
    plan = make_plan(kind="monthly", price_cents=9900, spaces=[space])
    jana, headers = register_over_the_api(client)
    give_membership(jana, kind="monthly", all_spaces=True)
    booked = client.post("/api/v1/bookings", headers=headers, json={
        "resource_id": resources_of(space)[0].id, "start": "2027-03-02T09:00:00+01:00",
        "end": "2027-03-02T10:00:00+01:00"})
    assert booked.status_code == 201

    refused = client.post("/api/v1/memberships", headers=headers, json={"plan_id": plan.id})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert refused.json["type"].endswith("/email-unverified")
    assert "confirm your e-mail address" in refused.json["detail"]

    client.post("/login", data={"email": "jana@example.org", "password": PASSWORD,
                                "csrf_token": csrf_token(client, "/login")})
    page = client.post("/plans/buy", data={"plan_id": plan.id,
                                           "csrf_token": csrf_token(client, "/plans")},
                       follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in page and "Bitte bestätige deine E-Mail-Adresse" in page
    assert [m["plan_id"] for m in client.get("/api/v1/me/memberships", headers=headers).json
            if m["plan_id"] == plan.id] == []

    # The banner names the address; its button sends a new link, which works too.
    mails_before = len(mails_to(smtp_server, "jana@example.org"))
    client.post("/account/email/verification", data={"csrf_token": csrf_token(client, "/")})
    mails = mails_to(smtp_server, "jana@example.org")
    assert len(mails) == mails_before + 1
    assert client.get(link_in(mails[-1], "/verify-email/")).status_code == 302
    give_billing_details(jana)  # what a paid plan needs besides
    bought = client.post("/api/v1/memberships", headers=headers,
                         json={"plan_id": plan.id, "early_start": True})
    assert bought.status_code == 201


def test_a_link_for_an_address_the_account_no_longer_has_does_nothing(client, smtp_server):
    register_on_the_web(client)
    old_link = link_in(mails_to(smtp_server, "jana@example.org")[0], "/verify-email/")
    client.post("/account/email", data={
        "email-new_email": "jana@example.net", "email-current_password": PASSWORD,
        "csrf_token": csrf_token(client, "/account")})
    assert client.get(link_in(mails_to(smtp_server, "jana@example.net")[0],
                              "/confirm-email/")).status_code == 302
    response = client.get(old_link)
    assert response.status_code == 410
    jana = user("jana@example.net")
    assert jana is not None and jana.email_verified_at is not None
    token = db.session.scalar(select(AccountToken).where(AccountToken.email == "jana@example.org"))
    assert token.used_at is None  # it did nothing at all


def test_resending_is_limited_per_account(client, smtp_server):
    register_on_the_web(client)
    for _ in range(5):
        response = client.post("/account/email/verification",
                               data={"csrf_token": csrf_token(client, "/"), "next": "/bookings"})
        assert response.status_code == 302 and response.headers["Location"] == "/bookings"
    assert len(mails_to(smtp_server, "jana@example.org")) == 6
    page = client.post("/account/email/verification", data={"csrf_token": csrf_token(client, "/")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Zu viele Versuche" in page
    assert len(mails_to(smtp_server, "jana@example.org")) == 6


def test_a_confirmed_member_is_told_so_instead_of_getting_another_link(client, make_user, login,
                                                                      smtp_server):
    make_user(email="done@example.org")
    login("done@example.org")
    before = len(mails_to(smtp_server, "done@example.org"))
    page = client.post("/account/email/verification", data={"csrf_token": csrf_token(client, "/")},
                       follow_redirects=True).get_data(as_text=True)
    assert "schon bestätigt" in page
    assert len(mails_to(smtp_server, "done@example.org")) == before


def test_accounts_made_by_admins_and_demo_members_start_confirmed(runner, app):
    result = runner.invoke(args=["users", "create", "host@example.org", "--name", "Hanna",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["seed-demo", "--with-demo-members", "--demo-password", PASSWORD])
    assert result.exit_code == 0, result.output
    users = db.session.scalars(select(User)).all()
    assert len(users) == 4 and all(u.email_verified_at is not None for u in users)
    assert db.session.scalar(select(AccountToken.id)) is None


@pytest.mark.parametrize("how", ["web", "api"])
def test_the_stored_event_carries_no_secret(client, smtp_server, how, monkeypatch):
    read_topics(monkeypatch, "account.verification_requested")
    if how == "web":
        register_on_the_web(client)
    else:
        register_over_the_api(client)
    secret = token_of(link_in(mails_to(smtp_server, "jana@example.org")[0], "/verify-email/"))
    rows = db.session.scalars(select(OutboxMessage)
                              .where(OutboxMessage.topic == "account.verification_requested")).all()
    assert [row.payload for row in rows] == [{"user_id": user("jana@example.org").id}]
    stored = db.session.scalar(select(AccountToken))
    assert stored.token_hash != secret and secret not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    deliver()
