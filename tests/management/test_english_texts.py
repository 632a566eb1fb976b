"""What hosts and admins write comes in German and, optionally, in English: English visitors
read the English text where one is written, and the German one, marked "in German only" and
with lang="de", where none is."""
from tests.factories import csrf_token, make_plan
from tests.management.conftest import post_form


def in_english(client):
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})


def test_english_visitors_read_the_hosts_english_texts_and_german_marked_as_such(
        client, space, host):
    response = post_form(client, f"/manage/{space.slug}/texts", {
        "description": "Ruhig am Markt.", "description_en": "Quiet, on the market square.",
        "amenities": "WLAN\r\nKaffee", "amenities_en": "",
        "access": "Eingang im Hof.", "access_en": "Entrance in the courtyard."})
    assert response.status_code == 302
    german = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert "Ruhig am Markt." in german and "nur auf Deutsch" not in german
    in_english(client)
    page = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    assert "Quiet, on the market square." in page and "Ruhig am Markt." not in page
    assert "Entrance in the courtyard." in page
    # No English amenities: the German list, marked and tagged as German for screen readers.
    assert '<ul class="amenities" lang="de"><li>WLAN</li><li>Kaffee</li></ul>' in page
    assert page.count("(in German only)") == 1


def test_an_english_text_too_long_is_refused_beside_its_field(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/texts",
                         {"description": "Kurz.", "description_en": "x" * 501})
    assert response.status_code == 422
    assert 'id="description_en-error"' in response.get_data(as_text=True)


def test_plans_read_in_english_where_an_admin_wrote_it(client, make_user, login, space):
    card = make_plan("10er-Karte", spaces=[space], description="Zehn Tage, ein Jahr gültig.")
    make_plan("Monatstarif", kind="monthly", spaces=[space], price_cents=9900)
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    path = f"/admin/plans/{card.id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'name="name_en"' in page and 'name="description_en"' in page
    form = {name: value for name, value in (
        ("name", "10er-Karte"), ("name_en", "10-day card"), ("description", card.description),
        ("description_en", "Ten days, valid for a year."), ("price_cents", "120,00"),
        ("vat_basis_points", "19"), ("credits", "10"), ("validity_days", "180"),
        ("meeting_room_hours", "0"), ("space_ids", str(space.id)),
        ("seller_id", str(card.seller_id)))}
    response = client.post(path, data={**form, "csrf_token": csrf_token(client, path)})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-2000:]
    in_english(client)
    page = client.get("/plans").get_data(as_text=True)
    assert "<h2>10-day card</h2>" in page and "Ten days, valid for a year." in page
    assert '<h2 lang="de">Monatstarif <span class="hint german-only" lang="en">' \
        '(in German only)</span></h2>' in page
