"""Addresses that only look like a taken one are refused: Unicode spellings of the same
address are one address (NFKC, IDNA), letters of two alphabets in one part are refused, and
so is an address whose skeleton another account has."""
import re

import pytest
from sqlalchemy import func, select

from coworking.accounts.lookalikes import skeleton
from coworking.accounts.models import User, normalize_email
from coworking.extensions import db
from tests.factories import csrf_token

EN = {"Accept-Language": "en"}
TAKEN = "memberb@test.example"
MIXED = ("This address mixes letters of different alphabets (such as Latin and Cyrillic) in "
         "one part. Please write each part in one alphabet.")
LOOKALIKE = ("This address can hardly be told apart from the address of another account. "
             "Please use a different one.")
TAKEN_MESSAGE = "An account with this e-mail address already exists."

# The security probe's four look-alikes of memberb@test.example, and what each is told.
PROBES = {
    "fullwidth m": ("\uff4demberb@test.example", 409, TAKEN_MESSAGE),
    "cyrillic e in the local part": ("m\u0435mberb@test.example", 422, MIXED),
    "cyrillic e in the domain": ("memberb@t\u0435st.example", 422, MIXED),
    "combining accent": ("me\u0301mberb@test.example", 422, LOOKALIKE),
}


@pytest.fixture
def taken(make_user):
    return make_user(email=TAKEN)


def accounts():
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("email,status,message", PROBES.values(), ids=PROBES.keys())
def test_the_api_refuses_a_lookalike_of_a_taken_address(client, taken, email, status, message):
    before = accounts()
    response = client.post("/api/v1/auth/register", headers=EN, json={
        "email": email, "password": "long enough", "name": "Mallory"})
    assert response.status_code == status, response.json
    assert response.json["errors"] == {"email": [message]}
    assert accounts() == before


@pytest.mark.parametrize("email,status,message", PROBES.values(), ids=PROBES.keys())
def test_the_registration_form_refuses_it_beside_the_field(client, taken, email, status,
                                                           message):
    before = accounts()
    response = client.post("/register", headers=EN, data={
        "csrf_token": csrf_token(client, "/register"), "name": "Mallory", "email": email,
        "password": "long enough"})
    assert response.status_code == status
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="email-error">([^<]*)</p>', page)
    assert error and error.group(1) == message.replace("'", "&#39;")
    assert accounts() == before


def test_a_change_of_address_to_a_lookalike_is_refused(client, taken, make_user, login):
    make_user(email="mallory@example.org")
    login("mallory@example.org")
    for email, message in (("me\u0301mberb@test.example", LOOKALIKE),
                           ("m\u0435mberb@test.example", MIXED)):
        response = client.post("/account/email", headers=EN, data={
            "email-new_email": email, "email-current_password": "correct horse",
            "csrf_token": csrf_token(client, "/account")})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_unicode_spellings_of_one_address_are_that_address(client, taken):
    assert normalize_email(" \uff2d\uff25\uff2d\uff22\uff25\uff32\uff22@TEST.example ") == TAKEN
    assert normalize_email("anna@M\u00d6LLN.de") == "anna@mölln.de"
    assert normalize_email("anna@xn--mlln-5qa.de") == "anna@mölln.de"
    # Whoever has the address signs in with either spelling.
    response = client.post("/api/v1/auth/tokens", headers=EN, json={
        "email": "\uff4demberb@test.example", "password": "correct horse"})
    assert response.status_code == 201


@pytest.mark.parametrize("email", ["иван@пример.рф", "ελένη@example.org", "anna@mölln.de",
                                   "東京tokyo@example.org", "rené@example.org"])
def test_addresses_in_one_alphabet_are_welcome(client, taken, email):
    response = client.post("/api/v1/auth/register", headers=EN, json={
        "email": email, "password": "long enough", "name": "Someone"})
    assert response.status_code == 201, response.json


def test_a_whole_address_in_lookalike_letters_is_refused_too(client, make_user):
    make_user(email="coco@example.org")
    response = client.post("/api/v1/auth/register", headers=EN, json={
        "email": "\u0441\u043e\u0441\u043e@example.org", "password": "long enough",
        "name": "Mallory"})
    assert response.status_code == 422 and response.json["errors"] == {"email": [LOOKALIKE]}


def test_every_account_keeps_the_skeleton_of_its_address(taken):
    db.session.expire_all()
    assert db.session.get(User, taken.id).email_skeleton == skeleton(TAKEN) == TAKEN
