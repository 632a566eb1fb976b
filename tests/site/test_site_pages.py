"""The operator's pages: everyone reads them, admins write them (audit-logged), the text is
plain and shown safely, English visitors read German with a note until English is written;
the footer and the registration page link to them."""
import re

import pytest
from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.site.models import SitePage
from coworking.site.service import blocks
from tests.factories import csrf_token


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def switch_to_english(client):
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})


@pytest.fixture
def admin(make_user, login):
    # Not covered: a plan for every space would make a complete programme office, and these
    # pages start from the template with nothing filled in.
    user = make_user(email="admin@example.org", name="Ada Admin", role="admin", covered=False)
    login("admin@example.org")
    return user


def publish(client, slug="impressum", language="de", **data):
    return client.post(f"/admin/site/{slug}/{language}", data={
        "csrf_token": csrf_token(client, f"/admin/site/{slug}/{language}"), **data})


def test_the_template_impressum_names_a_municipal_operator_with_placeholders(client):
    response = client.get("/impressum")
    assert response.status_code == 200
    page = text_of(response)
    assert "<h1>Impressum</h1>" in response.get_data(as_text=True)
    for words in ("§ 5 DDG", "Vertreten durch", "Bürgermeister", "§ 18 Abs. 2 MStV",
                  "Umsatzsteuer-Identifikationsnummer", "Verbraucherschlichtungsstelle",
                  "[Stadt/Gemeinde …]"):
        assert words in page


def test_the_template_privacy_notice_covers_what_the_app_does(client):
    page = text_of(client.get("/datenschutz"))
    for words in ("Verantwortlicher", "Datenschutzbeauftragte", "Art. 6 Abs. 1 lit. b",
                  "Art. 6 Abs. 1 lit. c", "Art. 6 Abs. 1 lit. e", "lit. f", "Stripe",
                  "Data Privacy Framework", "Standardvertragsklauseln", "E-Mail-Versand",
                  "Server-Protokolle", "Speicherdauer", "Art. 15", "Art. 21", "Art. 77",
                  "Einwilligung", "pseudonymisiert", "§ 25 Abs. 2 Nr. 2 TDDDG",
                  "Cookie-Banner"):
        assert words in page, words


def test_every_page_links_the_legal_pages_and_says_which_cookie_it_sets(client):
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index("<footer"):html.index("</footer>")]
    assert 'href="/impressum"' in footer and 'href="/datenschutz"' in footer
    assert "technisch notwendiges Sitzungs-Cookie" in footer
    assert "/admin/site" not in footer  # only admins are offered the editor


def test_registration_links_the_privacy_notice_beside_the_button(client):
    html = client.get("/register").get_data(as_text=True)
    start = html.index('<form method="post" class="stack"')
    form = html[start:html.index("</form>", start)]
    assert ('Mit der Registrierung gilt unsere <a href="/datenschutz">Datenschutzerklärung</a>.'
            in form)


def test_an_admin_publishes_the_impressum_and_the_audit_log_keeps_it(client, admin):
    editor = client.get("/admin/site/impressum/de")
    assert editor.status_code == 200
    assert "[Stadt/Gemeinde …]" in editor.get_data(as_text=True)  # starts from the template
    assert "Diese Seiten bearbeiten" in text_of(client.get("/"))

    response = publish(client, title="Impressum der Stadt Mölln",
                       body="## Angaben gemäß § 5 DDG\r\n\r\nStadt Mölln\r\nAm Markt 12\r\n\r\n"
                            "- Telefon: 04542 8030\r\n- E-Mail: info@moelln.example")
    assert response.status_code == 302 and response.location.endswith("/admin/site")
    html = client.get("/impressum").get_data(as_text=True)
    assert "<h1>Impressum der Stadt Mölln</h1>" in html
    assert "<h2>Angaben gemäß § 5 DDG</h2>" in html
    assert "<p>Stadt Mölln<br>Am Markt 12</p>" in html
    assert "<li>Telefon: 04542 8030</li>" in html
    assert "[Stadt/Gemeinde …]" not in html

    page = db.session.scalars(select(SitePage)).one()
    assert (page.slug, page.language, page.updated_by_id) == ("impressum", "de", admin.id)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "site_page.updated")).one()
    assert (entry.actor_id, entry.target_id, entry.before) == (admin.id, page.id, None)
    assert entry.after["title"] == "Impressum der Stadt Mölln"

    publish(client, title="Impressum", body="Neu")
    second = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site_page.updated")
                                .order_by(AuditEntry.id.desc())).first()
    assert second.before["title"] == "Impressum der Stadt Mölln"


def test_html_in_the_text_is_shown_as_text_never_run(client, admin):
    publish(client, title="<b>Impressum</b>",
            body='<script>alert(1)</script>\n\n## <img src=x onerror="alert(2)">')
    html = client.get("/impressum").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h1>&lt;b&gt;Impressum&lt;/b&gt;</h1>" in html


@pytest.mark.parametrize("data, field, message", [
    ({"title": "", "body": "Text"}, "title", "Gib einen Titel mit höchstens 120 Zeichen an."),
    ({"title": "   ", "body": "Text"}, "title", "Gib einen Titel mit höchstens 120 Zeichen an."),
    ({"title": "x" * 121, "body": "Text"}, "title", "Gib einen Titel mit höchstens 120 Zeichen an."),
    ({"title": "Impressum", "body": ""}, "body", "Schreib den Text, höchstens 40000 Zeichen."),
    ({"title": "Impressum", "body": "x" * 40001}, "body",
     "Schreib den Text, höchstens 40000 Zeichen."),
])
def test_a_bad_edit_is_refused_beside_its_field_and_nothing_changes(client, admin, data, field,
                                                                    message):
    response = publish(client, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    assert db.session.scalars(select(SitePage)).all() == []
    assert "[Stadt/Gemeinde …]" in text_of(client.get("/impressum"))


def test_control_characters_are_refused_but_line_breaks_and_tabs_kept(client, admin):
    refused = publish(client, title="Impressum", body="Text\x00mit NUL")
    assert refused.status_code == 422
    assert publish(client, title="Impressum", body="Zeile 1\n\tZeile 2").status_code == 302
    refused = publish(client, title="Impres\nsum", body="Text")
    assert refused.status_code == 422


def test_an_unknown_page_or_language_is_not_found(client, admin):
    assert client.get("/admin/site/agb/de").status_code == 404
    assert client.get("/admin/site/impressum/fr").status_code == 404
    assert publish(client, slug="impressum", language="fr", title="T", body="B").status_code == 404


@pytest.mark.parametrize("role", ["member", "host", "researcher"])
def test_only_admins_edit(client, make_user, make_space, login, role):
    space = make_space() if role == "host" else None
    make_user(email="someone@example.org", role=role, space=space)
    login("someone@example.org")
    assert client.get("/admin/site").status_code == 403
    assert client.get("/admin/site/impressum/de").status_code == 403
    response = client.post("/admin/site/impressum/de", data={
        "title": "Gekapert", "body": "Text", "csrf_token": csrf_token(client, "/impressum")})
    assert response.status_code == 403
    assert db.session.scalars(select(SitePage)).all() == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/site/impressum/de")
    assert response.status_code == 302 and "/login" in response.location


def test_english_visitors_read_german_with_a_note_until_english_is_written(client, admin):
    switch_to_english(client)
    html = client.get("/datenschutz").get_data(as_text=True)
    assert "This page is available in German only." in html
    assert '<article class="site-page" lang="de">' in html
    assert "Datenschutzerklärung" in html
    assert 'href="/impressum">Legal notice</a>' in html

    editor = client.get("/admin/site/datenschutz/en").get_data(as_text=True)
    assert "Nothing is written in English yet" in editor
    assert publish(client, slug="datenschutz", language="en", title="Privacy notice",
                   body="## Controller\n\nThe town of Mölln.").status_code == 302
    html = client.get("/datenschutz").get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in html and "<h2>Controller</h2>" in html
    assert "available in German only" not in html
    assert '<article class="site-page">' in html

    # German visitors still read the German text.
    client.post("/language", data={"lang": "de", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})
    assert "Art. 6 Abs. 1 lit. b" in text_of(client.get("/datenschutz"))


def test_the_site_pages_overview_shows_what_each_language_holds(client, admin):
    publish(client, slug="impressum", language="de", title="Impressum", body="Stadt Mölln")
    html = client.get("/admin/site").get_data(as_text=True)
    portal = html[html.index('id="programmbuero"'):]
    portal = text_of_html(portal[:portal.index("</section>")])
    assert "Die Vorlage, noch nicht bearbeitet." in portal  # the privacy notice in German
    assert "Geändert am" in portal
    assert portal.count("Noch nicht geschrieben") == 3


def test_plain_text_becomes_headings_paragraphs_and_lists():
    assert [(b.kind, b.lines) for b in blocks(
        "Einleitung\nzweite Zeile\n\n\n## Kontakt\n- Telefon\n- E-Mail\n\n- gemischt\nText")] == [
        ("paragraph", ("Einleitung", "zweite Zeile")),
        ("heading", ("Kontakt",)),
        ("list", ("Telefon", "E-Mail")),
        ("paragraph", ("- gemischt", "Text")),
    ]
    assert blocks("") == [] and blocks("\r\n\r\n") == []
