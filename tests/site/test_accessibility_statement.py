"""The accessibility statement (BITV 2.0): every footer links it, it says how far the site
conforms to WCAG 2.1 AA, what is not yet accessible and where to turn, admins edit it like
the legal pages, and its form reaches the admins by e-mail."""
import re

import pytest

from tests.accounts.mailbox import html_of, mails_to, text_of
from tests.factories import csrf_token


def words(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def admins(make_user):
    return [make_user(email="ada@example.org", name="Ada Admin", role="admin", covered=False),
            make_user(email="bo@example.org", name="Bo Admin", role="admin", covered=False)]


def report(client, path="/barrierefreiheit", **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data},
                       headers={"Referer": "http://localhost/spaces/moelln"})


def test_the_statement_says_what_bitv_asks(client):
    response = client.get("/barrierefreiheit")
    assert response.status_code == 200
    page = words(response)
    for asked in ("Erklärung zur Barrierefreiheit", "BITV 2.0", "WCAG", "2.1", "AA",
                  "teilweise vereinbar", "Was noch nicht barrierefrei ist",
                  "Feedback und Kontakt", "Durchsetzungsverfahren", "Durchsetzungsstelle",
                  "Barriere melden"):
        assert asked in page, asked


def test_every_footer_links_the_statement_of_the_operator_it_speaks_for(client, make_space):
    space = make_space()
    assert 'href="/barrierefreiheit" id="accessibility-statement"' in \
        client.get("/login").get_data(as_text=True)
    page = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert f'href="/barrierefreiheit/{space.operator.slug}"' in page
    assert client.get(f"/barrierefreiheit/{space.operator.slug}").status_code == 200
    assert client.get("/barrierefreiheit/nobody").status_code == 404


def test_admins_edit_it_like_the_legal_pages(client, admins, login, make_space):
    space = make_space()
    login("ada@example.org")
    path = "/admin/site/barrierefreiheit/en"
    assert f"/admin/site/{space.operator.slug}/barrierefreiheit/de" in \
        client.get("/admin/site").get_data(as_text=True)
    response = client.post(path, data={
        "csrf_token": csrf_token(client, path), "title": "Accessibility statement",
        "body": "## Compliance\n\nThis site is partially compliant with WCAG 2.1 AA."})
    assert response.status_code == 302
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})
    page = words(client.get("/barrierefreiheit"))
    assert "Accessibility statement" in page and "partially compliant" in page
    # The form stays below the admin's text.
    assert "Report a barrier" in page


def test_a_report_reaches_every_admin_by_mail(client, admins, smtp_server):
    response = report(client, message="Der Kalender-Link lässt sich nicht\nmit der Tastatur "
                      "kopieren.", name="Uwe Blind", email="uwe@example.org")
    assert response.status_code == 303 and response.headers["Location"].endswith("#report")
    assert "Danke" in words(client.get(response.headers["Location"]))
    for admin in admins:
        (mail,) = mails_to(smtp_server, admin.email)
        assert mail["Reply-To"] == "uwe@example.org"
        assert "Barriere" in mail["Subject"]
        body = text_of(mail).replace("\r\n", "\n")
        assert "Der Kalender-Link lässt sich nicht\nmit der Tastatur kopieren." in body
        assert "Uwe Blind" in body and "/spaces/moelln" in body
        assert "<br>" in html_of(mail)


def test_a_report_without_an_address_still_arrives_and_says_nobody_can_be_answered(
        client, admins, smtp_server):
    assert report(client, message="Zu wenig Kontrast.").status_code == 303
    (mail,) = mails_to(smtp_server, "ada@example.org")
    assert mail["Reply-To"] is None
    assert "niemandem antworten" in text_of(mail)
    assert "Zu wenig Kontrast." in text_of(mail)


@pytest.mark.parametrize("data, field, says", [
    ({"message": ""}, "message", "Bitte beschreibe"),
    ({"message": "x" * 4001}, "message", "höchstens 4000 Zeichen"),
    ({"message": "Kontrast", "email": "not-an-address"}, "email", "gültige E-Mail-Adresse"),
    ({"message": "Kontrast", "name": "n" * 121}, "name", "höchstens 120 Zeichen"),
])
def test_a_bad_report_is_shown_back_with_the_reason_beside_the_field(
        client, admins, smtp_server, data, field, says):
    response = report(client, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and says in words(response)
    assert mails_to(smtp_server, "ada@example.org") == []
