"""The API contract: problem details for every error, and an OpenAPI document that matches."""
import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from coworking.api.openapi import DOCUMENT
from tests.factories import resources_of


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space())[0]


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status
    if field:
        assert field in body["errors"], body


@pytest.mark.parametrize("data,status,field", [
    ("{", 400, None),
    ("not json at all", 400, None),
    (b"\xff\xfe", 400, None),
    ("[1, 2]", 422, None),
    ('"a string"', 422, None),
    ("null", 422, None),
    ("{}", 422, "resource_id"),
    ('{"resource_id": "seven", "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "resource_id"),
    ('{"resource_id": true, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "resource_id"),
    ('{"resource_id": 1.5, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "resource_id"),
    ('{"resource_id": 99999999999999, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "resource_id"),
    ('{"resource_id": 424242, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "resource_id"),
    ('{"resource_id": 1, "start": "2027-03-02T09:00:00", "end": "2027-03-02T10:00:00+01:00"}', 422, "start"),
    ('{"resource_id": 1, "start": "2027-03-02 09:00", "end": "tomorrow"}', 422, "end"),
    ('{"resource_id": 1, "start": 1700000000, "end": "2027-03-02T10:00:00+01:00"}', 422, "start"),
    ('{"resource_id": 1, "start": "0001-01-01T00:00:00+01:00", "end": "0001-01-01T01:00:00+01:00"}', 422, "start"),
    ('{"resource_id": 1, "start": "9999-12-31T23:00:00-12:00", "end": "9999-12-31T23:30:00-12:00"}', 422, "end"),
    ('{"resource_id": 1, "start": "' + "9" * 5000 + '", "end": "2027-03-02T10:00:00+01:00"}', 422, "start"),
])
def test_bad_booking_bodies_get_problem_details_naming_the_field(desk, api, data, status, field):
    member = api()
    if field and '"resource_id": 1,' in data:
        data = data.replace('"resource_id": 1,', f'"resource_id": {desk.id},')
    response = member.post("/api/v1/bookings", data=data, content_type="application/json")
    assert_problem(response, status, field)
    assert member.get("/api/v1/bookings").json == []


def test_a_body_too_large_is_413_problem(api):
    response = api().post("/api/v1/bookings", data="x" * 100_000, content_type="application/json")
    assert_problem(response, 413)


def test_unknown_paths_and_methods_are_problems(client):
    assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert_problem(client.delete("/api/v1/spaces"), 405)
    assert_problem(client.get("/api/v1/bookings/abc"), 404)


def test_booking_without_authentication_is_401(desk, client):
    assert_problem(client.post("/api/v1/bookings", json={}), 401)


def test_session_writes_through_the_api_need_a_csrf_token(desk, client, make_user, login):
    """A signed-in browser session may use the API, but a forged cross-site POST may not."""
    make_user(email="web@example.org")
    login("web@example.org")
    body = {"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}
    assert_problem(client.post("/api/v1/bookings", json=body), 400)
    assert client.get("/api/v1/me").json["email"] == "web@example.org"


def openapi_routes(app):
    """(path, method) of every API route, in OpenAPI's {param} notation."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_openapi_document_is_valid_and_lists_exactly_the_routes(app, client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.1")
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == openapi_routes(app)


def schema_of(path, method, status):
    operation = DOCUMENT["paths"][path][method]
    content = operation["responses"][str(status)]["content"]
    schema = next(iter(content.values()))["schema"]
    return {**schema, "components": DOCUMENT["components"]}


def check(response, path, method):
    assert str(response.status_code) in DOCUMENT["paths"][path][method]["responses"], (
        f"{method.upper()} {path} answered {response.status_code}, which the document does not list")
    schema = schema_of(path, method, response.status_code)
    schema = jsonschema.validators.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker())
    schema.validate(response.json)


def test_responses_match_the_documented_schemas(desk, client, api):
    space = desk.space
    reg = client.post("/api/v1/auth/register", json={"email": "doc@example.org", "password": "long enough", "name": "Doc"})
    check(reg, "/api/v1/auth/register", "post")
    check(client.post("/api/v1/auth/register", json={"email": "doc@example.org", "password": "long enough", "name": "Doc"}),
          "/api/v1/auth/register", "post")
    token = client.post("/api/v1/auth/tokens", json={"email": "doc@example.org", "password": "long enough"})
    check(token, "/api/v1/auth/tokens", "post")
    check(client.post("/api/v1/auth/tokens", json={"email": "doc@example.org", "password": "wrong one"}),
          "/api/v1/auth/tokens", "post")
    member = api()
    check(member.get("/api/v1/me"), "/api/v1/me", "get")
    check(client.get("/api/v1/me"), "/api/v1/me", "get")
    check(client.get("/api/v1/spaces"), "/api/v1/spaces", "get")
    check(client.get(f"/api/v1/spaces/{space.slug}/resources"), "/api/v1/spaces/{slug}/resources", "get")
    check(client.get("/api/v1/spaces/nope/resources"), "/api/v1/spaces/{slug}/resources", "get")
    booked = member.post("/api/v1/bookings", json={"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
                                                   "end": "2027-03-02T10:00:00+01:00"})
    check(booked, "/api/v1/bookings", "post")
    check(api().post("/api/v1/bookings", json={"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
                                                "end": "2027-03-02T10:00:00+01:00"}), "/api/v1/bookings", "post")
    check(member.post("/api/v1/bookings", json={}), "/api/v1/bookings", "post")
    check(client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02&days=3"),
          "/api/v1/spaces/{slug}/availability", "get")
    check(client.get(f"/api/v1/spaces/{space.slug}/availability?days=99"), "/api/v1/spaces/{slug}/availability", "get")
    check(member.get("/api/v1/bookings"), "/api/v1/bookings", "get")
    check(member.get(f"/api/v1/bookings?space={space.slug}"), "/api/v1/bookings", "get")
    check(member.get(f"/api/v1/bookings/{booked.json['id']}"), "/api/v1/bookings/{booking_id}", "get")
    check(api().get(f"/api/v1/bookings/{booked.json['id']}"), "/api/v1/bookings/{booking_id}", "get")
    check(member.post(f"/api/v1/bookings/{booked.json['id']}/cancel"), "/api/v1/bookings/{booking_id}/cancel", "post")


def test_refused_bodies_and_parameters_are_documented(desk, client, api):
    member = api()
    check(member.post("/api/v1/bookings", data="resource_id=1", content_type="text/plain"),
          "/api/v1/bookings", "post")
    check(client.post("/api/v1/auth/register", data="email=a", content_type="text/plain"),
          "/api/v1/auth/register", "post")
    check(client.post("/api/v1/auth/tokens", data="email=a", content_type="text/plain"),
          "/api/v1/auth/tokens", "post")
    check(member.get("/api/v1/bookings?space=%00"), "/api/v1/bookings", "get")
    check(client.get(f"/api/v1/spaces/{desk.space.slug}/availability?date=%00"),
          "/api/v1/spaces/{slug}/availability", "get")


def test_spaces_list_the_contract_fields(client, runner):
    runner.invoke(args=["seed-demo"])
    spaces = client.get("/api/v1/spaces").json
    assert {s["slug"] for s in spaces} == {"wittenberge", "diessen-am-ammersee", "dippoldiswalde",
                                          "moelln", "oestrich-winkel"}
    moelln = next(s for s in spaces if s["slug"] == "moelln")
    assert moelln["town"] == "Mölln" and moelln["timezone"] == "Europe/Berlin"
    assert {"weekday": "monday", "opens": "08:00", "closes": "18:00"} in moelln["opening_hours"]


def test_idempotent_and_limited_booking_answers_match_the_document(desk, api, app):
    app.config["RATELIMIT_BOOKINGS_PER_MEMBER"] = "1 per minute"
    member = api()
    body = {"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}
    key = {"Idempotency-Key": "contract-1"}
    check(member.post("/api/v1/bookings", json=body, headers=key), "/api/v1/bookings", "post")
    replay = member.post("/api/v1/bookings", json=body, headers=key)
    assert replay.headers["Idempotent-Replayed"] == "true"
    check(replay, "/api/v1/bookings", "post")
    check(member.post("/api/v1/bookings", json={**body, "end": "2027-03-02T09:30:00+01:00"}, headers=key),
          "/api/v1/bookings", "post")
    check(member.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": ""}),
          "/api/v1/bookings", "post")
    limited = member.post("/api/v1/bookings", json={**body, "start": "2027-03-02T11:00:00+01:00",
                                                    "end": "2027-03-02T12:00:00+01:00"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    check(limited, "/api/v1/bookings", "post")
