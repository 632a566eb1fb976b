"""German by default, English on request: the web UI, the language switch, API problem details,
and the German catalogue itself.

The rendered-page tests need the compiled catalogue: run `make translations` (or
`.venv/bin/pybabel compile -d coworking/translations`) first; `make test` does.
"""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import csrf_token

TRANSLATIONS = Path(__file__).resolve().parents[1] / "coworking" / "translations"
GERMAN_PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
GERMAN_MO = GERMAN_PO.with_suffix(".mo")

PLACEHOLDER = re.compile(r"%\((\w+)\)[a-zA-Z]")
# The UI says "du"; formal address slipping in reads as a different voice.
FORMAL = re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")


@pytest.fixture
def compiled():
    """The rendered-page tests read the .mo file, which is built, not committed."""
    if not GERMAN_MO.exists() or GERMAN_MO.stat().st_mtime < GERMAN_PO.stat().st_mtime:
        pytest.fail(f"{GERMAN_MO} is missing or older than the .po file: run `make translations`")


def page_of(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def switch_language(client, lang, next_path):
    response = client.post("/language", data={
        "lang": lang, "next": next_path, "csrf_token": csrf_token(client, next_path)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(next_path)


def test_german_is_the_default(compiled, client):
    page = page_of(client.get("/login"))
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page
    assert '<label for="email">E-Mail-Adresse</label>' in page
    assert '<label for="password">Passwort</label>' in page
    assert 'value="Anmelden"' in page  # the submit button, a lazy string from the form
    assert "Registrieren" in page and "Noch kein Konto?" in page
    assert ">English</button>" in page
    assert "Sign in" not in page and "E-mail address" not in page


def test_strings_from_the_template_macros_are_german(compiled, client, make_space, frozen):
    """templates/_macros/ is skipped by pybabel's default --ignore-dirs; its strings must
    still be in the catalogue (kind labels, weekdays, the day navigation)."""
    space = make_space(desks=1, rooms=1)
    overview = page_of(client.get("/"))
    assert "<dt>Mo</dt>" in overview and "<dt>So</dt>" in overview
    assert "Freie Plätze ansehen" in overview
    day = page_of(client.get(f"/spaces/{space.slug}?date=2027-03-02"))
    assert "Flexibler Arbeitsplatz" in day and "Besprechungsraum" in day
    assert "Früher" in day and "Später" in day and ">Woche</a>" in day
    assert "6 Plätze" in day
    closed = page_of(client.get(f"/spaces/{space.slug}?date=2027-03-26"))
    assert "Geschlossen: Karfreitag" in closed


def test_signed_in_navigation_is_german(compiled, client, make_user, login):
    make_user(email="i18n@example.org")
    login("i18n@example.org")
    page = page_of(client.get("/bookings"))
    assert "<h1>Meine Buchungen</h1>" in page and ">Abmelden</button>" in page
    assert "Du hast gerade keine anstehenden Buchungen." in page


def test_the_language_switch_turns_the_ui_english_and_back(compiled, client):
    switch_language(client, "en", "/login")
    page = page_of(client.get("/login"))
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert '<label for="email">E-mail address</label>' in page
    assert ">Deutsch</button>" in page
    assert "Anmelden" not in page
    # The choice sticks for the session, on every page.
    assert "Register" in page_of(client.get("/register"))

    switch_language(client, "de", "/login")
    page = page_of(client.get("/login"))
    assert '<html lang="de">' in page and "<h1>Anmelden</h1>" in page


def test_the_language_switch_ignores_unknown_languages_and_foreign_targets(compiled, client):
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/",
                                              "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert '<html lang="de">' in page_of(client.get("/login"))


def test_a_flash_message_with_a_placeholder_is_german(compiled, client):
    response = client.post("/register", data={
        "name": "Jana", "email": "jana@example.org", "password": "correct horse",
        "csrf_token": csrf_token(client, "/register")}, follow_redirects=True)
    assert "Willkommen, Jana! Dein Konto ist eingerichtet." in page_of(response)


INVALID_REGISTRATION = {"email": "not-an-address", "password": "short", "name": " "}


def test_api_problem_details_are_german_by_default(compiled, client):
    response = client.post("/api/v1/auth/register", json={})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"] == "Die Anfrage enthält ungültige Felder."
    assert body["errors"] == {field: ["Dieses Feld ist erforderlich."]
                              for field in ("email", "password", "name")}

    body = client.post("/api/v1/auth/register", json=INVALID_REGISTRATION).get_json()
    assert body["detail"] == "Bitte überprüfe die markierten Felder."
    assert body["errors"] == {
        "email": ["Bitte gib eine gültige E-Mail-Adresse ein."],
        "password": ["Das Passwort muss mindestens 8 Zeichen lang sein."],
        "name": ["Bitte gib deinen Namen ein."],
    }


def test_api_problem_details_follow_accept_language(compiled, client):
    english = {"Accept-Language": "en"}
    response = client.post("/api/v1/auth/register", json={}, headers=english)
    assert response.status_code == 422
    body = response.get_json()
    assert body["detail"] == "The request has invalid fields."
    assert body["errors"]["email"] == ["This field is required."]

    body = client.post("/api/v1/auth/register", json=INVALID_REGISTRATION,
                       headers=english).get_json()
    assert body["detail"] == "Please check the highlighted fields."
    assert body["errors"]["password"] == ["The password needs at least 8 characters."]

    body = client.post("/api/v1/auth/register", json={},
                       headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_json()
    assert body["detail"] == "Die Anfrage enthält ungültige Felder."


def german_catalogue():
    with GERMAN_PO.open("rb") as f:
        return read_po(f, locale="de")


def test_the_german_catalogue_is_complete_and_keeps_every_placeholder():
    catalogue = german_catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy"
    messages = [m for m in catalogue if m.id]
    assert messages, f"no messages in {GERMAN_PO}"
    problems = []
    for message in messages:
        msgid, msgstr = message.id, message.string
        if isinstance(msgid, tuple):  # plural forms: every form carries the placeholders
            pairs = [(msgid[1 if i else 0], s) for i, s in enumerate(msgstr)]
        else:
            pairs = [(msgid, msgstr)]
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        for source, translation in pairs:
            if not translation or not translation.strip():
                problems.append(f"untranslated: {source!r}")
                continue
            wanted, found = set(PLACEHOLDER.findall(source)), set(PLACEHOLDER.findall(translation))
            if wanted != found:
                problems.append(f"placeholders {sorted(found)} instead of {sorted(wanted)}: "
                                f"{source!r} -> {translation!r}")
                continue
            # Templates format every string (Jinja's newstyle gettext), so a stray % breaks.
            try:
                translation % {name: "x" for name in found}
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"does not format ({error}): {translation!r}")
    assert not problems, "\n".join(problems)


def test_the_german_catalogue_speaks_informally_with_german_quotes():
    problems = []
    for message in german_catalogue():
        if not message.id or not message.string:
            continue
        # Plural forms are checked one by one.
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if FORMAL.search(text):
                problems.append(f"formal address instead of du: {text!r}")
            if '"' in text or ("“" in text and "„" not in text):
                problems.append(f"use German quotes „…“: {text!r}")
    assert not problems, "\n".join(problems)
