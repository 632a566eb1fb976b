"""The self check-in code of a space changes at local midnight, also on the nights the clocks
change: the host's API tells today's code, and the self check-in page accepts that one only."""
from datetime import date

import pytest

from coworking.checkins.codes import daily_code


@pytest.fixture
def host_api(space, host, api):
    return api(host)


def code_now(host_api, space):
    response = host_api.get(f"/api/v1/spaces/{space.slug}/checkin-code")
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def member_page(space, make_user, login, client):
    make_user(email="door@example.org")

    def status(code):
        response = client.get(f"/checkin/{space.slug}", query_string={"code": code})
        if response.status_code == 302:  # months later the session has run out
            login("door@example.org")
            response = client.get(f"/checkin/{space.slug}", query_string={"code": code})
        return response.status_code

    return status


@pytest.mark.parametrize("before, after, day_before, day_after", [
    # A winter night.
    ("2027-03-01T23:59:59+01:00", "2027-03-02T00:00:00+01:00", "2027-03-01", "2027-03-02"),
    # Clocks go forward at 02:00 on 28 March: the day has 23 hours, midnights stay midnights.
    ("2027-03-27T23:59:59+01:00", "2027-03-28T00:00:00+01:00", "2027-03-27", "2027-03-28"),
    ("2027-03-28T23:59:59+02:00", "2027-03-29T00:00:00+02:00", "2027-03-28", "2027-03-29"),
    # Clocks go back at 03:00 on 31 October: a 25-hour day.
    ("2027-10-31T23:59:59+01:00", "2027-11-01T00:00:00+01:00", "2027-10-31", "2027-11-01"),
])
def test_the_code_changes_at_local_midnight(space, host_api, member_page, frozen, before, after,
                                            day_before, day_after):
    old, new = (daily_code(space, date.fromisoformat(d)) for d in (day_before, day_after))
    assert old != new

    frozen.set(before)
    shown = code_now(host_api, space)
    assert shown["code"] == old and shown["valid_on"] == day_before
    assert member_page(old) == 200 and member_page(new) == 422

    frozen.set(after)
    shown = code_now(host_api, space)
    assert shown["code"] == new and shown["valid_on"] == day_after
    assert member_page(new) == 200 and member_page(old) == 422


def test_the_dst_day_keeps_one_code_from_midnight_to_midnight(space, host_api, frozen):
    codes = set()
    for instant in ("2027-03-28T00:00:00+01:00", "2027-03-28T01:59:59+01:00",
                    "2027-03-28T03:00:00+02:00", "2027-03-28T23:59:59+02:00"):
        frozen.set(instant)
        codes.add(code_now(host_api, space)["code"])
    assert codes == {daily_code(space, date(2027, 3, 28))}


def test_the_code_and_its_link_for_the_poster(space, host_api, app, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    shown = code_now(host_api, space)
    code = daily_code(space, date(2027, 3, 2))
    assert shown == {"code": code, "valid_on": "2027-03-02",
                     "url": f"{app.config['BASE_URL']}/checkin/{space.slug}?code={code}"}


def test_codes_of_two_spaces_differ_on_the_same_day(space, make_space):
    other = make_space(desks=1)
    assert daily_code(space, date(2027, 3, 2)) != daily_code(other, date(2027, 3, 2))
