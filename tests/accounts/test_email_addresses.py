"""E-mail addresses are checked strictly by their syntax, and only by it: no DNS lookups, so
the app works offline and example.org addresses are fine."""
import socket

import pytest
from sqlalchemy import select

from coworking.accounts.models import User
from coworking.extensions import db
from tests.factories import csrf_token

EN = {"Accept-Language": "en"}


def register(client, email):
    return client.post("/api/v1/auth/register", headers=EN,
                       json={"email": email, "password": "long enough", "name": "Anna"})


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Any attempt to resolve a name fails the way it would without a network."""
    def no_network(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)


@pytest.mark.parametrize("email", [
    "anna@example..org", "anna@example", "anna@@example.org", "anna@.example.org",
    "anna.@example.org", ".anna@example.org", "an..na@example.org", "anna@-example.org",
    "anna@example.org.", "an na@example.org", "anna@exa_mple.org", '"anna"@example.org',
    "anna@[127.0.0.1]", "anna@localhost", "anna@example.invalid", "a" * 65 + "@example.org",
    "anna@", "@example.org", "anna(comment)@example.org",
])
def test_an_address_that_is_not_one_is_refused_naming_the_field(client, email):
    response = register(client, email)
    assert response.status_code == 422
    assert response.json["errors"] == {"email": ["Please enter a valid e-mail address."]}
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("email,stored", [
    ("anna@example.org", "anna@example.org"),
    ("Anna.Berger+coworking@Example.ORG", "anna.berger+coworking@example.org"),
    ("o'brien@example.org", "o'brien@example.org"),
    ("anna@team.example.org", "anna@team.example.org"),
    ("anna@mölln.de", "anna@mölln.de"),
])
def test_real_addresses_are_accepted_without_any_lookup(client, email, stored):
    response = register(client, email)
    assert response.status_code == 201, response.json
    assert db.session.scalar(select(User.email)) == stored


def test_the_registration_form_refuses_a_double_dot(client):
    response = client.post("/register", data={
        "csrf_token": csrf_token(client, "/register"), "name": "Anna",
        "email": "anna@example..org", "password": "long enough"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_the_command_line_refuses_it_too(runner):
    result = runner.invoke(args=["users", "create", "anna@example..org", "--name", "Anna",
                                 "--password", "long enough"])
    assert result.exit_code != 0 and "email" in result.output
    assert db.session.scalar(select(User)) is None
