"""Hosts write what visitors read about their space (intro, amenities, how to get in,
contact, coordinates); a field out of shape is named beside it and nothing changes; each
change is in the space's history; a host of another space cannot."""
import pytest

from coworking.extensions import db
from coworking.spaces.models import Space
from tests.factories import csrf_token
from tests.management.conftest import audit_entries, post_form

TEXTS = {"description": "Ruhig am Markt, nah am Bahnhof.",
         "amenities": "WLAN\r\nKaffee und Tee\r\nDrucker",
         "access": "Eingang im Hof.\r\nParken auf dem Bahnhofsvorplatz.",
         "contact_name": "Katrin Wendt", "contact_email": "katrin@example.org",
         "contact_phone": "+49 3877 40 21-30", "latitude": "52,99925",
         "longitude": "11.75605"}


def texts_of(space):
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    return (space.description, space.amenities, space.access, space.contact_name,
            space.contact_email, space.contact_phone, space.latitude, space.longitude)


def test_a_host_writes_the_texts_and_visitors_read_them(client, space, host):
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert f'href="/manage/{space.slug}/texts"' in page and "Texte & Kontakt" in page
    response = post_form(client, f"/manage/{space.slug}/texts", TEXTS)
    assert response.status_code == 302
    assert texts_of(space) == ("Ruhig am Markt, nah am Bahnhof.", "WLAN\nKaffee und Tee\nDrucker",
                               "Eingang im Hof.\nParken auf dem Bahnhofsvorplatz.",
                               "Katrin Wendt", "katrin@example.org", "+49 3877 40 21-30",
                               52.99925, 11.75605)
    (entry,) = audit_entries("space.texts_changed")
    assert entry.before["contact_email"] is None
    assert entry.after["contact_email"] == "katrin@example.org"
    assert entry.after["latitude"] == 52.99925 and entry.actor_id == host.id
    history = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat die Texte und den Kontakt geändert" in history
    assert "E-Mail-Adresse für Fragen: – <span aria-hidden=\"true\">→</span>" in history
    overview = client.get("/").get_data(as_text=True)
    assert "Ruhig am Markt, nah am Bahnhof." in overview
    assert '<a href="mailto:katrin@example.org">' in overview
    assert "mlat=52.999250&amp;mlon=11.756050" in overview
    # The form shows what is saved; saving it again unchanged writes no second entry.
    form = client.get(f"/manage/{space.slug}/texts").get_data(as_text=True)
    assert 'value="Katrin Wendt"' in form and 'value="52.99925"' in form
    assert post_form(client, f"/manage/{space.slug}/texts",
                     {**TEXTS, "latitude": "52.99925"}).status_code == 302
    assert len(audit_entries("space.texts_changed")) == 1


def test_emptying_a_field_shows_nothing_for_it(client, space, host):
    post_form(client, f"/manage/{space.slug}/texts", TEXTS)
    post_form(client, f"/manage/{space.slug}/texts",
              {**TEXTS, "contact_email": "", "contact_phone": "", "latitude": "",
               "longitude": ""})
    assert texts_of(space)[4:] == ("", "", None, None)
    overview = client.get("/").get_data(as_text=True)
    assert "mailto:" not in overview and "tel:" not in overview
    assert "openstreetmap.org/search?query=" in overview


@pytest.mark.parametrize("field,value,message", [
    ("contact_email", "katrin(at)example.org", "Bitte gib eine gültige E-Mail-Adresse ein."),
    ("contact_email", "katrin@", "Bitte gib eine gültige E-Mail-Adresse ein."),
    ("description", "x" * 501, "500"),
    ("contact_name", "x" * 121, "120"),
    ("contact_phone", "call me maybe", "Bitte nur Ziffern"),
    ("contact_phone", "+49", "Bitte nur Ziffern"),
    ("latitude", "91", "Der Breitengrad liegt zwischen -90 und 90"),
    ("longitude", "-181", "Der Längengrad liegt zwischen -180 und 180"),
    ("latitude", "nördlich", "Gib eine Gradzahl ein"),
    ("longitude", "nan", "Gib eine Gradzahl ein"),
    ("longitude", "", "Gib beide Koordinaten an oder keine."),
])
def test_a_bad_value_is_named_and_nothing_changes(client, space, host, field, value, message):
    before = texts_of(space)
    response = post_form(client, f"/manage/{space.slug}/texts", {**TEXTS, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert texts_of(space) == before and audit_entries() == []


def test_control_characters_are_refused_but_line_breaks_kept(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/texts",
                         {**TEXTS, "contact_name": "Katrin\nWendt"})
    assert response.status_code == 422
    assert texts_of(space)[3] is None
    assert post_form(client, f"/manage/{space.slug}/texts", TEXTS).status_code == 302


def test_a_host_of_another_space_cannot(client, space, make_space, make_user, login):
    other = make_space(slug="elsewhere")
    make_user(email="host2@example.org", role="host", space=other)
    login("host2@example.org")
    assert client.get(f"/manage/{space.slug}/texts").status_code == 403
    token = csrf_token(client, f"/manage/{other.slug}/texts")
    response = client.post(f"/manage/{space.slug}/texts", data={**TEXTS, "csrf_token": token})
    assert response.status_code == 403
    assert texts_of(space)[0] is None and audit_entries() == []


def test_an_admin_may(client, space, make_user, login):
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    assert post_form(client, f"/manage/{space.slug}/texts", TEXTS).status_code == 302
    assert texts_of(space)[3] == "Katrin Wendt"


def test_members_are_refused(client, space, make_user, login):
    make_user(email="m@example.org")
    login("m@example.org")
    assert client.get(f"/manage/{space.slug}/texts").status_code == 403


def test_the_form_speaks_english(client, space, host):
    token = csrf_token(client, "/")
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
    page = client.get(f"/manage/{space.slug}/texts").get_data(as_text=True)
    assert "Texts and contact of" in page and "How to get in" in page
    response = post_form(client, f"/manage/{space.slug}/texts", {**TEXTS, "latitude": "100"})
    assert "The latitude lies between -90 and 90" in response.get_data(as_text=True)
