"""A new e-mail address is confirmed at that address before it counts; the old address is
told afterwards."""
import pytest

from coworking.accounts.models import User
from coworking.extensions import db
from tests.accounts.mailbox import deliver, link_in, mails_to, text_of
from tests.factories import csrf_token


@pytest.fixture
def jana(make_user, login):
    member = make_user(email="jana@example.org", name="Jana")
    login("jana@example.org")
    return member


def ask_to_change(client, new_email, password="correct horse"):
    return client.post("/account/email", data={
        "email-new_email": new_email, "email-current_password": password,
        "csrf_token": csrf_token(client, "/account")})


def confirmation_links_sent(server):
    deliver()
    return sum("/confirm-email/" in text_of(m) for m in server.messages)


def address_of(member):
    db.session.expire_all()
    return db.session.get(User, member.id).email


def test_the_link_goes_to_the_new_address_and_the_notice_to_the_old(app, client, jana,
                                                                   smtp_server):
    old_mails = len(mails_to(smtp_server, "jana@example.org"))
    response = ask_to_change(client, "Jana@Example.NET")
    assert response.status_code == 302 and response.headers["Location"] == "/account#email"
    assert "Wir haben einen Link an jana@example.net geschickt" in client.get(
        "/account").get_data(as_text=True)

    (confirmation,) = mails_to(smtp_server, "jana@example.net")
    assert confirmation["Subject"] == "Bitte bestätige deine neue E-Mail-Adresse"
    assert "jana@example.net" in text_of(confirmation)
    # Nothing has changed yet: the old address signs in and hears of nothing.
    assert address_of(jana) == "jana@example.org"
    assert len(mails_to(smtp_server, "jana@example.org")) == old_mails

    followed = client.get(link_in(confirmation, "/confirm-email/"))
    assert followed.status_code == 302 and followed.headers["Location"] == "/account"
    assert address_of(jana) == "jana@example.net"
    assert db.session.get(User, jana.id).email_verified_at is not None
    assert "Deine E-Mail-Adresse ist jetzt jana@example.net." in client.get(
        "/account").get_data(as_text=True)

    (notice,) = mails_to(smtp_server, "jana@example.org")[old_mails:]
    assert notice["Subject"] == "Deine E-Mail-Adresse wurde geändert"
    assert "jana@example.net" in text_of(notice) and "jana@example.org" in text_of(notice)
    assert "/confirm-email/" not in text_of(notice)

    assert client.get(link_in(confirmation, "/confirm-email/")).status_code == 410
    api = app.test_client()
    assert api.post("/api/v1/auth/tokens", json={
        "email": "jana@example.net", "password": "correct horse"}).status_code == 201
    assert api.post("/api/v1/auth/tokens", json={
        "email": "jana@example.org", "password": "correct horse"}).status_code == 401


def test_an_address_another_account_has_is_refused(client, jana, make_user, smtp_server):
    make_user(email="taken@example.org")
    response = ask_to_change(client, "taken@example.org")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="email-new_email-error"' in page
    assert "Ein anderes Konto nutzt diese E-Mail-Adresse." in page
    assert confirmation_links_sent(smtp_server) == 0


def test_an_address_taken_meanwhile_is_refused_when_the_link_is_followed(app, client, jana,
                                                                         smtp_server):
    assert ask_to_change(client, "wanted@example.org").status_code == 302
    link = link_in(mails_to(smtp_server, "wanted@example.org")[0], "/confirm-email/")
    assert app.test_client().post("/api/v1/auth/register", json={
        "email": "wanted@example.org", "password": "long enough", "name": "Quick"}).status_code == 201
    response = client.get(link)
    assert response.status_code == 409
    assert "Ein anderes Konto nutzt diese E-Mail-Adresse." in response.get_data(as_text=True)
    assert address_of(jana) == "jana@example.org"


@pytest.mark.parametrize("new_email,password,status,field,message", [
    ("jana@example.net", "wrong password", 422, "email-current_password",
     "Das ist nicht dein aktuelles Passwort."),
    ("not an address", "correct horse", 422, "email-new_email",
     "Bitte gib eine gültige E-Mail-Adresse ein."),
    ("jana@example.org", "correct horse", 422, "email-new_email",
     "Das ist schon deine Adresse."),
    ("", "correct horse", 422, "email-new_email", None),
])
def test_bad_input_is_shown_beside_its_field_and_sends_nothing(client, jana, smtp_server,
                                                               new_email, password, status,
                                                               field, message):
    response = ask_to_change(client, new_email, password)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    if message:
        assert message in page
    assert confirmation_links_sent(smtp_server) == 0
    assert address_of(jana) == "jana@example.org"


def test_control_characters_change_nothing(client, jana, smtp_server):
    response = ask_to_change(client, "jana@example.net\x00")
    assert response.status_code == 422
    assert "„email-new_email“ darf keine Steuerzeichen enthalten." in response.get_data(
        as_text=True)
    assert confirmation_links_sent(smtp_server) == 0
