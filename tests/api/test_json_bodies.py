"""JSON bodies are taken as what they say they are: typed fields, a JSON content type,
no nesting deep enough to exhaust the parser, instants with their "T"."""
import json

import pytest
from sqlalchemy import func, select

from coworking import create_app
from coworking.accounts.models import User
from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import make_config, resources_of

START, END = "2027-03-02T09:00:00+01:00", "2027-03-02T10:00:00+01:00"


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space())[0]


def stored(model):
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    if field:
        assert field in response.json["errors"], response.json


def test_a_number_sent_as_a_string_is_refused_naming_the_field(desk, api):
    member = api()
    response = member.post("/api/v1/bookings", json={"resource_id": str(desk.id), "start": START,
                                                     "end": END})
    assert_problem(response, 422, "resource_id")
    assert response.json["errors"]["resource_id"] == ["Must be a number, not text in quotes."]
    assert stored(Booking) == 0


def test_query_strings_still_take_digits_for_numbers(desk, client):
    response = client.get(f"/api/v1/spaces/{desk.space.slug}/availability?date=2027-03-02&days=3")
    assert response.status_code == 200 and len(response.json["days"]) == 3


@pytest.mark.parametrize("query,field", [("days=3x", "days"), ("date=2027-W09-2", "date"),
                                         ("date=20270302xx", "date")])
def test_query_strings_are_still_checked(desk, client, query, field):
    assert_problem(client.get(f"/api/v1/spaces/{desk.space.slug}/availability?{query}"), 422, field)


def booking_body(desk):
    return json.dumps({"resource_id": desk.id, "start": START, "end": END})


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/vnd.api+json",
                                          "application/json; charset=latin-1"])
def test_a_body_that_does_not_say_it_is_json_is_415(desk, api, content_type):
    extra = {"content_type": content_type} if content_type else {}
    response = api().post("/api/v1/bookings", data=booking_body(desk), **extra)
    assert_problem(response, 415)
    assert "application/json" in response.json["detail"]
    assert stored(Booking) == 0


def test_registration_as_a_form_is_415_and_creates_no_one(client):
    response = client.post("/api/v1/auth/register", data={"email": "form@example.org",
                                                           "password": "long enough",
                                                           "name": "Form"})
    assert_problem(response, 415)
    assert stored(User) == 0


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON; charset=UTF-8"])
def test_json_with_or_without_a_utf8_charset_is_fine(desk, api, content_type):
    response = api().post("/api/v1/bookings", data=booking_body(desk), content_type=content_type)
    assert response.status_code == 201, response.json


def test_requests_without_a_body_need_no_content_type(desk, api):
    member = api()
    booked = member.post("/api/v1/bookings", json={"resource_id": desk.id, "start": START, "end": END})
    assert member.post(f"/api/v1/bookings/{booked.json['id']}/cancel").status_code == 200


@pytest.mark.parametrize("body", ["[" * 50_000, '{"a": ' * 10_000, "[" * 2_000 + "]" * 2_000])
def test_deeply_nested_json_is_a_400_problem(api, body):
    response = api().post("/api/v1/bookings", data=body, content_type="application/json")
    assert_problem(response, 400)


def test_a_hundred_thousand_brackets_within_the_size_limit_are_a_400_problem(database_url, make_user):
    app = create_app(make_config(database_url, MAX_CONTENT_LENGTH=1024 * 1024))
    response = app.test_client().post("/api/v1/auth/tokens", data="[" * 100_000,
                                      content_type="application/json")
    assert_problem(response, 400)
    assert "nested" in response.json["detail"] or "verschachtelt" in response.json["detail"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_refused(desk, api, constant):
    body = f'{{"resource_id": {constant}, "start": "{START}", "end": "{END}"}}'
    assert_problem(api().post("/api/v1/bookings", data=body, content_type="application/json"), 400)


@pytest.mark.parametrize("start", ["2027-03-02 09:00:00+01:00", "2027-03-02t09:00:00+01:00",
                                   "2027-03-02_09:00:00+01:00"])
def test_an_instant_without_its_t_is_refused_naming_the_field(desk, api, start):
    response = api().post("/api/v1/bookings", json={"resource_id": desk.id, "start": start,
                                                    "end": END})
    assert_problem(response, 422, "start")
    assert "“T”" in response.json["errors"]["start"][0]
    assert stored(Booking) == 0


@pytest.mark.parametrize("start", ["20270302T090000+0100", "2027-W09-2T09:00:00+01:00",
                                   "2027-061T09:00:00+01:00"])
def test_other_iso_spellings_are_refused_too(desk, api, start):
    response = api().post("/api/v1/bookings", json={"resource_id": desk.id, "start": start,
                                                    "end": END})
    assert_problem(response, 422, "start")
