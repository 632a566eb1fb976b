"""Control characters in any text input are refused naming the field (422), or answered 404 in a
path segment; never a 500 (PostgreSQL refuses NUL in text), never stored (SQLite would keep it)."""
import json

import pytest
from flask import request
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.api.inputs import Fields
from coworking.bookings.models import Booking
from coworking.extensions import csrf, db
from coworking.text_input import allows_line_breaks
from tests.factories import csrf_token, resources_of

EN = {"Accept-Language": "en"}
CONTROL = ["\x00", "\x01", "\x08", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f"]


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=1)


def count(model):
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"], response.json


def registration(**fields):
    return {"email": "jana@example.org", "password": "long enough", "name": "Jana"} | fields


@pytest.mark.parametrize("char", CONTROL)
@pytest.mark.parametrize("field", ["email", "password", "name"])
def test_json_text_with_a_control_character_is_refused_naming_the_field(client, field, char):
    body = registration(**{field: registration()[field][:2] + char + registration()[field][2:]})
    response = client.post("/api/v1/auth/register", json=body, headers=EN)
    assert_problem(response, 422, field)
    assert response.json["errors"][field] == [
        "Must not contain control characters such as tabs or line breaks."]
    assert count(User) == 0


def test_a_lone_surrogate_in_json_is_no_text_either(client):
    body = '{"email": "jana@example.org", "password": "long enough", "name": "Ja\\ud800na"}'
    assert_problem(client.post("/api/v1/auth/register", data=body,
                               content_type="application/json"), 422, "name")
    assert count(User) == 0


def test_signing_in_with_a_nul_in_the_address_is_a_422_not_a_500(client):
    response = client.post("/api/v1/auth/tokens", json={"email": "a\x00@example.org",
                                                        "password": "whatever"})
    assert_problem(response, 422, "email")


def test_a_booking_time_with_a_control_character_is_refused(space, api):
    response = api().post("/api/v1/bookings", json={
        "resource_id": resources_of(space)[0].id, "start": "2027-03-02T09:00:00+01:00\x00",
        "end": "2027-03-02T10:00:00+01:00"})
    assert_problem(response, 422, "start")
    assert count(Booking) == 0


def test_multi_line_json_text_keeps_tabs_and_line_breaks_but_nothing_else():
    fields = Fields({"notes": "line one\r\nline\ttwo", "bad": "line\x00"})
    assert fields.string("notes", 100, multiline=True) == "line one\r\nline\ttwo"
    assert fields.string("bad", 100, multiline=True) is None
    assert list(fields.errors) == ["bad"]


@pytest.mark.parametrize("query,field", [
    ("date=2027-03-02%00", "date"), ("days=1%0A", "days"), ("date=%7F", "date"),
    ("da%00te=2027-03-02", "da\N{REPLACEMENT CHARACTER}te"),
])
def test_query_string_parameters_with_control_characters_are_422_problems(space, client, query, field):
    response = client.get(f"/api/v1/spaces/{space.slug}/availability?{query}", headers=EN)
    assert_problem(response, 422, field)
    assert field in response.json["detail"]


def test_a_query_string_filter_with_a_nul_is_a_422_not_a_500(space, api):
    assert_problem(api().get("/api/v1/bookings?space=%00"), 422, "space")


def test_a_page_refuses_a_query_string_with_control_characters_naming_it(space, client):
    response = client.get(f"/spaces/{space.slug}?date=2027-03-02%00")
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert "„date“ darf keine Steuerzeichen enthalten." in response.get_data(as_text=True)
    assert client.get("/login?next=/%0D%0ASet-Cookie:%20x=1").status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/spaces/%00/resources", "/api/v1/spaces/a%00b/availability",
                                  "/api/v1/spaces/a%7Fb/resources"])
def test_an_api_path_segment_with_control_characters_names_nothing(space, client, path):
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize("path", ["/spaces/a%00b", "/spaces/%1B", "/static/app%00.css"])
def test_a_page_path_segment_with_control_characters_names_nothing(space, client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("char", ["\x00", "\t", "\x7f"])
def test_a_registration_form_with_control_characters_stores_nothing(client, char):
    response = client.post("/register", data={
        "csrf_token": csrf_token(client, "/register"), "name": f"Jana{char}Berger",
        "email": "jana@example.org", "password": "long enough"})
    assert response.status_code == 422
    assert "„name“ darf keine Steuerzeichen enthalten." in response.get_data(as_text=True)
    assert count(User) == 0


def test_sign_in_and_language_forms_refuse_control_characters(client, make_user):
    make_user(email="w@example.org")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "w@example.org\x00",
                                           "password": "correct horse"})
    assert response.status_code == 422 and "„email“" in response.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401
    response = client.post("/language", data={"csrf_token": token, "lang": "en",
                                              "next": "/\r\nSet-Cookie: x=1"})
    assert response.status_code == 422
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


def test_a_booking_form_with_control_characters_books_nothing(space, client, make_user, login):
    make_user(email="web@example.org")
    login("web@example.org")
    desk = resources_of(space)[0]
    token = csrf_token(client, "/login")
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T10:30:00+01:00\x00"})
    assert response.status_code == 422 and "„end“" in response.get_data(as_text=True)
    assert count(Booking) == 0


@pytest.fixture
def notes_page(app):
    """A page with a multi-line text field, as a form with a <textarea> would post to."""
    @allows_line_breaks("notes")
    def save_notes():
        return {"notes": request.form["notes"], "title": request.form.get("title")}

    csrf.exempt(save_notes)
    app.add_url_rule("/test-notes", "test_notes", save_notes, methods=["POST"])
    return "/test-notes"


def test_a_multi_line_form_field_keeps_tabs_and_line_breaks(client, notes_page):
    response = client.post(notes_page, data={"notes": "one\r\n\ttwo", "title": "plain"})
    assert response.status_code == 200 and response.json["notes"] == "one\r\n\ttwo"
    assert client.post(notes_page, data={"notes": "one\x00"}).status_code == 422
    assert client.post(notes_page, data={"notes": "x", "title": "a\nb"}).status_code == 422


def test_json_bodies_are_not_mistaken_for_forms(client):
    """A JSON body is read by the API's field reader, which names the field itself."""
    body = json.dumps(registration(name="Ja\x00na"))
    response = client.post("/api/v1/auth/register", data=body, content_type="application/json",
                           headers=EN)
    assert_problem(response, 422, "name")
