"""One JSON line per request with its id, method, URL rule, status, duration and user; the id
comes back in X-Request-ID and on error pages and problem details, so a member's complaint
leads to the line."""
import json
import logging

import pytest

REQUESTS_LOG = logging.getLogger("coworking.requests")


@pytest.fixture
def lines(caplog):
    """The request log's lines as dicts (it writes to stderr only, not to the root logger)."""
    REQUESTS_LOG.addHandler(caplog.handler)
    yield lambda: [json.loads(record.getMessage()) for record in caplog.records
                   if record.name == REQUESTS_LOG.name]
    REQUESTS_LOG.removeHandler(caplog.handler)


def test_a_request_is_one_line_with_the_callers_request_id(client, lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.42"
    [line] = lines()
    assert line.pop("duration_ms") >= 0
    assert line == {"request_id": "lb-7f3a.42", "method": "GET", "rule": "/healthz",
                    "status": 200, "user_id": None}


@pytest.mark.parametrize("given", ["", "two words", "x" * 129, "line\u2028break", "<script>"])
def test_an_unfit_request_id_is_replaced(client, lines, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    generated = response.headers["X-Request-ID"]
    assert generated != given and len(generated) == 32
    assert lines()[0]["request_id"] == generated


def test_the_line_names_the_url_rule_and_the_signed_in_member(client, lines, login, make_user,
                                                              make_space):
    space = make_space(slug="moelln")
    member = make_user()
    login(member.email)
    client.get(f"/spaces/{space.slug}")
    line = lines()[-1]
    assert line["rule"] == "/spaces/<slug>"
    assert line["user_id"] == member.id


def test_an_error_page_shows_the_request_id(client, lines):
    response = client.get("/no-such-page", headers={"X-Request-ID": "complaint-123"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "complaint-123" in page
    assert "nenne bitte diese Kennung" in page  # German by default
    assert lines()[-1] | {"duration_ms": 0} == {
        "request_id": "complaint-123", "method": "GET", "rule": "unmatched", "status": 404,
        "user_id": None, "duration_ms": 0}


def test_problem_details_carry_the_request_id(api, lines):
    caller = api()
    response = caller.get("/api/v1/bookings/999999")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]
    line = lines()[-1]
    assert (line["rule"], line["user_id"]) == ("/api/v1/bookings/<int:booking_id>",
                                               caller.user.id)
