"""Each operator's Impressum and privacy notice: the template filled from its data, linked
from every page that shows one of its spaces (the portal's everywhere else), marked as a
draft to admins while "[…]" placeholders are left, and published with placeholders only
when the admin confirms."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.site.models import SitePage
from tests.factories import csrf_token, resources_of

BOOKED = ("2027-03-02T09:00:00+01:00", "2027-03-02T10:00:00+01:00")


def footer(response):
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:300]
    return html[html.index("<footer"):html.index("</footer>")]


def legal_links(response):
    return re.findall(r'href="(/(?:impressum|datenschutz)[^"#]*)"', footer(response))


@pytest.fixture
def portal(make_operator):
    return make_operator("programmbuero", runs_portal=True, legal_name="Programmbüro gGmbH")


@pytest.fixture
def moelln(make_operator, make_space, portal, frozen):
    operator = make_operator("moelln", legal_name="Wirtschaftsförderung Mölln GmbH",
                             street="Hauptstraße 1", postcode="23879", city="Mölln",
                             representative="Jan Muster, Geschäftsführer",
                             register="Amtsgericht Lübeck, HRB 1234",
                             phone="+49 4542 803-0", email="info@wfm.example.org",
                             vat_id="DE243104824")
    space = make_space(slug="moelln", operator=operator)
    return operator, space


@pytest.fixture
def admin(make_user, login):
    user = make_user(email="admin@example.org", name="Ada Admin", role="admin")
    login("admin@example.org")
    return user


def test_an_operators_impressum_is_the_template_filled_from_its_data(client, moelln):
    html = client.get("/impressum/moelln").get_data(as_text=True)
    for fact in ("Wirtschaftsförderung Mölln GmbH", "Hauptstraße 1", "23879 Mölln",
                 "Jan Muster, Geschäftsführer", "+49 4542 803-0", "info@wfm.example.org",
                 "DE243104824", "<h2>Registereintrag</h2>", "Amtsgericht Lübeck, HRB 1234"):
        assert fact in html, fact
    for placeholder in ("[Stadt/Gemeinde …]", "[+49 …]", "[Postleitzahl] [Ort]", "[DE …]"):
        assert placeholder not in html
    assert "[Kommunalaufsicht" in html  # what the data cannot tell stays a placeholder
    privacy = client.get("/datenschutz/moelln").get_data(as_text=True)
    assert "Wirtschaftsförderung Mölln GmbH, vertreten durch Jan Muster, Geschäftsführer" \
        in privacy
    assert client.get("/impressum/nowhere").status_code == 404
    assert client.get("/datenschutz/nowhere").status_code == 404


def test_the_portal_pages_stay_at_impressum_and_datenschutz(client, moelln):
    html = client.get("/impressum").get_data(as_text=True)
    assert "Programmbüro gGmbH" in html and "Wirtschaftsförderung Mölln" not in html


def test_every_page_that_shows_a_space_links_its_operators_pages(
        client, moelln, make_user, login):
    operator, space = moelln
    member = make_user(email="member@example.org")
    desk = resources_of(space)[0]
    booking = book(member, desk.id, *map(datetime.fromisoformat, BOOKED))
    ours = ["/impressum/moelln", "/datenschutz/moelln"]
    assert legal_links(client.get("/spaces/moelln?date=2027-03-02")) == ours
    assert "Diesen Standort betreibt Wirtschaftsförderung Mölln GmbH." in footer(
        client.get("/spaces/moelln"))
    assert legal_links(client.get("/spaces/moelln?date=2027-03-02&view=week")) == ours
    assert legal_links(client.get("/impressum/moelln")) == ours
    portals = ["/impressum", "/datenschutz"]
    assert legal_links(client.get("/")) == portals
    assert legal_links(client.get("/plans")) == portals
    assert legal_links(client.get("/impressum")) == portals
    login("member@example.org")
    start = BOOKED[0].replace("+", "%2B")
    assert legal_links(client.get(f"/spaces/moelln/book?resource={desk.id}&start={start}")) \
        == ours
    assert legal_links(client.get("/spaces/moelln/series")) == ours
    assert legal_links(client.get("/checkin/moelln")) == ours
    assert legal_links(client.get("/bookings")) == portals
    assert booking.id


def test_host_pages_of_a_space_link_its_operators_pages(client, moelln, make_user, login):
    _operator, space = moelln
    make_user(email="host@example.org", role="host", space=space)
    login("host@example.org")
    ours = ["/impressum/moelln", "/datenschutz/moelln"]
    for path in ("/host/moelln", "/host/moelln/occupancy", "/manage/moelln",
                 "/manage/moelln/hours", "/manage/moelln/texts"):
        assert legal_links(client.get(path)) == ours, path
    assert legal_links(client.get("/manage")) == ["/impressum", "/datenschutz"]


def test_a_space_the_portals_operator_runs_links_the_portals_pages(client, portal,
                                                                    make_space):
    make_space(slug="netzwerk", operator=portal)
    assert legal_links(client.get("/spaces/netzwerk")) == ["/impressum", "/datenschutz"]


def test_admins_see_a_page_with_placeholders_marked_as_a_draft(client, moelln, make_user,
                                                               login):
    assert "draft-marker" not in client.get("/impressum/moelln").get_data(as_text=True)
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    html = client.get("/impressum/moelln").get_data(as_text=True)
    marker = html[html.index("draft-marker"):html.index("</div>", html.index("draft-marker"))]
    assert "Entwurf" in marker and "[Kommunalaufsicht" in marker
    assert 'href="/admin/site/moelln/impressum/de"' in marker
    overview = client.get("/admin/site").get_data(as_text=True)
    assert 'data-page="moelln/impressum"' in overview
    card = overview[overview.index('data-page="moelln/impressum"'):]
    assert 'class="badge draft">Entwurf' in card[:card.index("</h3>")]


def publish(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_text_with_placeholders_asks_for_confirmation_before_it_is_published(
        client, moelln, admin):
    path = "/admin/site/moelln/impressum/de"
    editor = client.get(path).get_data(as_text=True)
    assert "Wirtschaftsförderung Mölln GmbH" in editor  # the template comes filled in
    body = "## Angaben gemäß § 5 DDG\n\nWirtschaftsförderung Mölln GmbH\n\n[Aufsichtsbehörde …]"
    asked = publish(client, path, title="Impressum", body=body)
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Noch nicht veröffentlicht: Der Text enthält noch 1 Platzhalter" in html
    assert "<li>[Aufsichtsbehörde …]</li>" in html
    assert 'name="publish_anyway"' in html and "Trotzdem veröffentlichen" in html
    assert "Wirtschaftsförderung Mölln GmbH\n\n[Aufsichtsbehörde …]" in html  # kept in the form
    assert db.session.scalars(select(SitePage)).all() == []

    confirmed = publish(client, path, title="Impressum", body=body,
                        publish_anyway="Trotzdem veröffentlichen, als Entwurf markiert")
    assert confirmed.status_code == 302
    assert confirmed.location.endswith("/admin/site#moelln")
    page = db.session.scalars(select(SitePage)).one()
    assert (page.operator_id, page.slug, page.language) == (moelln[0].id, "impressum", "de")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "site_page.updated")).one()
    assert entry.after["operator"] == "moelln"
    assert entry.after["placeholders"] == ["[Aufsichtsbehörde …]"]
    assert "Entwurf" in client.get("/impressum/moelln").get_data(as_text=True)

    done = publish(client, path, title="Impressum", body="Wirtschaftsförderung Mölln GmbH")
    assert done.status_code == 302
    assert "draft-marker" not in client.get("/impressum/moelln").get_data(as_text=True)
    # Another operator's pages are untouched.
    assert "[Stadt/Gemeinde …]" not in client.get("/impressum").get_data(as_text=True)
    assert "Programmbüro gGmbH" in client.get("/impressum").get_data(as_text=True)


def test_the_portal_editor_under_its_old_address_edits_the_portals_pages(client, moelln,
                                                                        admin):
    assert publish(client, "/admin/site/impressum/de", title="Impressum",
                   body="Programmbüro gGmbH, Berlin").status_code == 302
    assert "Programmbüro gGmbH, Berlin" in client.get("/impressum").get_data(as_text=True)
    assert "Programmbüro gGmbH, Berlin" not in client.get("/impressum/moelln").get_data(
        as_text=True)
    assert client.get("/admin/site/nowhere/impressum/de").status_code == 404


def test_existing_pages_become_the_portals_when_migrating(app, make_user):
    """Pages written while the site had one pair belong to the programme office."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    author = make_user(role="admin")
    db.session.remove()
    downgrade(revision="20261207_0900")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO site_page (slug, language, title, body, updated_at, updated_by_id) "
            "VALUES ('impressum', 'de', 'Impressum', 'Stadt Mölln', '2026-12-01 10:00:00', "
            ":author)"), {"author": author.id})
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT operator.slug, operator.runs_portal, site_page.body FROM site_page "
            "JOIN operator ON operator.id = site_page.operator_id")).all()
    assert [tuple(row) for row in rows] == [("programmbuero", True, "Stadt Mölln")]
