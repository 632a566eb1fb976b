"""The account page: each section's form changes the member's own account, shows bad input
beside its field and then changes nothing."""
import re

import pytest
from sqlalchemy import select

from coworking.accounts.models import ApiToken, User
from coworking.extensions import db
from tests.accounts.mailbox import mails_to, text_of
from tests.factories import csrf_token


@pytest.fixture
def jana(make_user, login):
    member = make_user(email="jana@example.org", name="Jana Berger")
    login("jana@example.org")
    return member


def post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/account")})


def fresh(member):
    db.session.expire_all()
    return db.session.get(User, member.id)


def page(client):
    response = client.get("/account")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def signed_in_as(client):
    response = client.get("/api/v1/me")
    return response.json["email"] if response.status_code == 200 else None


def test_the_page_has_every_section_in_german(client, jana):
    shown = page(client)
    for heading in ("Name", "E-Mail-Adresse", "Passwort", "Sprache", "Erinnerungen",
                    "API-Tokens", "Überall abmelden"):
        assert re.search(rf'<h2 id="[a-z-]+">{heading}</h2>', shown), heading
    assert "(bestätigt)" in shown
    for action in ("/account/name", "/account/email", "/account/password", "/account/language",
                   "/account/reminders", "/account/tokens", "/account/sessions/end"):
        assert f'action="{action}"' in shown
    # One id per field, although several forms ask for a password.
    ids = [i for i in re.findall(r'\bid="([^"]+)"', shown) if i != "csrf_token"]
    assert len(ids) == len(set(ids))
    assert '<label for="password-current_password">Aktuelles Passwort</label>' in shown


def test_the_name_is_changed_and_bad_names_are_refused(client, jana):
    response = post(client, "/account/name", **{"profile-name": "  Jana B.  "})
    assert response.status_code == 302 and response.headers["Location"] == "/account#name"
    assert fresh(jana).name == "Jana B."
    assert "Dein Name ist gespeichert." in page(client)

    empty = post(client, "/account/name", **{"profile-name": "   "})
    assert empty.status_code == 422 and 'id="profile-name-error"' in empty.get_data(as_text=True)
    too_long = post(client, "/account/name", **{"profile-name": "x" * 201})
    assert too_long.status_code == 422
    control = post(client, "/account/name", **{"profile-name": "Jana\x1bB."})
    assert control.status_code == 422
    assert "„profile-name“ darf keine Steuerzeichen enthalten." in control.get_data(as_text=True)
    assert fresh(jana).name == "Jana B."


def test_the_language_is_stored_and_speaks_in_the_next_email(app, client, jana, smtp_server):
    response = post(client, "/account/language", **{"preferences-language": "en"})
    assert response.status_code == 302
    assert fresh(jana).language == "en"
    shown = page(client)
    assert '<html lang="en">' in shown and "Your language is saved." in shown

    # Another browser of hers, with no choice of its own, speaks her language too.
    other = app.test_client()
    other.post("/login", data={"email": "jana@example.org", "password": "correct horse",
                               "csrf_token": csrf_token(other, "/login")})
    assert '<html lang="en">' in other.get("/bookings").get_data(as_text=True)

    app.test_client().post("/api/v1/auth/password-reset", json={"email": "jana@example.org"})
    reset = [m for m in mails_to(smtp_server, "jana@example.org")
             if "/password/reset/" in text_of(m)][-1]
    assert reset["Subject"] == "Choose a new password"
    assert "The link works once" in text_of(reset)

    unknown = post(client, "/account/language", **{"preferences-language": "fr"})
    assert unknown.status_code == 422
    assert fresh(jana).language == "en"


def test_the_language_switch_of_a_signed_in_member_is_stored(client, jana):
    response = client.post("/language", data={"lang": "en", "next": "/bookings",
                                              "csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 302
    assert fresh(jana).language == "en"


def test_a_visitor_without_a_choice_reads_german(client):
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


def test_reminders_are_turned_off_and_on(client, jana):
    assert fresh(jana).reminders is True
    assert '<input checked id="reminders-reminders"' in page(client)
    response = post(client, "/account/reminders")
    assert response.status_code == 302
    assert fresh(jana).reminders is False
    shown = page(client)
    assert "Erinnerungen sind aus." in shown and '<input id="reminders-reminders"' in shown
    post(client, "/account/reminders", **{"reminders-reminders": "y"})
    assert fresh(jana).reminders is True


def test_the_password_is_changed_and_other_devices_are_signed_out(app, client, jana):
    laptop = app.test_client()
    laptop.post("/login", data={"email": "jana@example.org", "password": "correct horse",
                                "csrf_token": csrf_token(laptop, "/login")})
    assert signed_in_as(laptop) == "jana@example.org"
    response = post(client, "/account/password", **{
        "password-current_password": "correct horse", "password-new_password": "new and long",
        "password-new_password_again": "new and long"})
    assert response.status_code == 302
    assert signed_in_as(client) == "jana@example.org"
    assert signed_in_as(laptop) is None
    assert fresh(jana).check_password("new and long")


@pytest.mark.parametrize("data,field,message", [
    ({"password-current_password": "wrong one", "password-new_password": "new and long",
      "password-new_password_again": "new and long"},
     "password-current_password", "Das ist nicht dein aktuelles Passwort."),
    ({"password-current_password": "correct horse", "password-new_password": "new and long",
      "password-new_password_again": "new and lung"},
     "password-new_password_again", "Die beiden Passwörter stimmen nicht überein."),
    ({"password-current_password": "correct horse", "password-new_password": "short",
      "password-new_password_again": "short"},
     "password-new_password", "Das Passwort muss mindestens 8 Zeichen lang sein."),
])
def test_a_password_change_with_bad_input_changes_nothing(client, jana, data, field, message):
    response = post(client, "/account/password", **data)
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{message}</p>' in shown
    assert fresh(jana).check_password("correct horse")
    assert signed_in_as(client) == "jana@example.org"


def test_wrong_current_passwords_are_limited(client, jana):
    for _ in range(10):
        post(client, "/account/password", **{
            "password-current_password": "guess", "password-new_password": "new and long",
            "password-new_password_again": "new and long"})
    limited = post(client, "/account/password", **{
        "password-current_password": "correct horse", "password-new_password": "new and long",
        "password-new_password_again": "new and long"})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert fresh(jana).check_password("correct horse")


def test_a_named_token_is_created_and_its_secret_shown_once(client, jana):
    response = post(client, "/account/tokens", **{"token-name": "Kalender-Skript",
                                                  "token-current_password": "correct horse"})
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    secret = re.search(r'<code class="secret">(cw_[^<]+)</code>', shown).group(1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json["email"] == "jana@example.org"
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == jana.id))
    assert token.name == "Kalender-Skript" and token.token_hash != secret
    later = page(client)
    assert "Kalender-Skript" in later and secret not in later

    empty = post(client, "/account/tokens", **{"token-name": "",
                                               "token-current_password": "correct horse"})
    assert empty.status_code == 422 and 'id="token-name-error"' in empty.get_data(as_text=True)
    too_long = post(client, "/account/tokens", **{"token-name": "x" * 101,
                                                  "token-current_password": "correct horse"})
    assert too_long.status_code == 422


def test_a_token_is_made_only_with_the_current_password(client, jana):
    """A session left open on a borrowed computer must not mint a key that outlives it."""
    missing = post(client, "/account/tokens", **{"token-name": "Skript"})
    assert missing.status_code == 422
    assert 'id="token-current_password-error"' in missing.get_data(as_text=True)
    wrong = post(client, "/account/tokens", **{"token-name": "Skript",
                                               "token-current_password": "a guess"})
    assert wrong.status_code == 422
    shown = wrong.get_data(as_text=True)
    assert re.search(r'id="token-current_password-error"[^>]*>\s*Das ist nicht dein aktuelles '
                     r'Passwort', shown), shown[shown.find("token-current_password"):][:800]
    assert 'class="secret"' not in shown
    assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == jana.id)) is None


def test_signing_out_everywhere_ends_every_session(app, client, jana):
    phone = app.test_client()
    phone.post("/login", data={"email": "jana@example.org", "password": "correct horse",
                               "csrf_token": csrf_token(phone, "/login")})
    response = post(client, "/account/sessions/end")
    assert response.status_code == 302
    assert signed_in_as(client) is None and signed_in_as(phone) is None
    assert "Du bist auf allen Geräten abgemeldet" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/account/name", "/account/email", "/account/password",
                                  "/account/language", "/account/reminders", "/account/tokens",
                                  "/account/sessions/end", "/account/email/verification"])
def test_every_form_needs_its_csrf_token(client, jana, path):
    assert client.post(path, data={}).status_code == 303  # refused, back to a page
    assert signed_in_as(client) == "jana@example.org"
    assert fresh(jana).name == "Jana Berger"
