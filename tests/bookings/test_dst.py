"""Daylight-saving days in Europe/Berlin: 2027-03-28 (02:00 → 03:00) and 2027-10-31 (03:00 → 02:00)."""
from datetime import time

import pytest

from tests.factories import resources_of

NIGHT = {d: [(time(0), time(6))] for d in range(7)}


@pytest.fixture
def night_desk(make_space, frozen):
    """A space open 00:00–06:00 every night, so the DST hour lies inside opening hours."""
    space = make_space(hours=NIGHT, public_holidays_closed=False)
    return resources_of(space)[0]


def post(member, desk, start, end):
    return member.post("/api/v1/bookings", json={"resource_id": desk.id, "start": start, "end": end})


@pytest.mark.parametrize("start,end,field", [
    ("2027-03-28T02:00:00+01:00", "2027-03-28T03:30:00+02:00", "start"),
    ("2027-03-28T02:30:00+02:00", "2027-03-28T04:00:00+02:00", "start"),
    ("2027-03-28T01:00:00+01:00", "2027-03-28T02:30:00+01:00", "end"),
])
def test_a_local_time_that_does_not_exist_is_refused(night_desk, api, start, end, field):
    response = post(api(), night_desk, start, end)
    assert response.status_code == 422
    assert "does not exist on Mar 28, 2027" in response.json["errors"][field][0]


@pytest.mark.parametrize("start,end,field", [
    ("2027-10-31T02:00:00+02:00", "2027-10-31T04:00:00+01:00", "start"),
    ("2027-10-31T02:30:00+01:00", "2027-10-31T04:00:00+01:00", "start"),
    ("2027-10-31T01:00:00+02:00", "2027-10-31T02:30:00+02:00", "end"),
    ("2027-10-31T00:30:00Z", "2027-10-31T03:00:00Z", "start"),
])
def test_an_ambiguous_local_time_is_refused(night_desk, api, frozen, start, end, field):
    frozen.set("2027-10-01T07:00:00+02:00")
    response = post(api(), night_desk, start, end)
    assert response.status_code == 422
    assert "occurs twice on Oct 31, 2027" in response.json["errors"][field][0]


def test_a_booking_across_the_spring_gap_lasts_one_real_hour(night_desk, api):
    response = post(api(), night_desk, "2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")
    assert response.status_code == 201
    assert response.json["start"] == "2027-03-28T01:30:00+01:00"
    assert response.json["end"] == "2027-03-28T03:30:00+02:00"


def test_a_booking_across_the_autumn_repeat_lasts_three_real_hours(night_desk, api, frozen):
    frozen.set("2027-10-01T07:00:00+02:00")
    response = post(api(), night_desk, "2027-10-31T01:30:00+02:00", "2027-10-31T03:30:00+01:00")
    assert response.status_code == 201
    assert response.json["end"] == "2027-10-31T03:30:00+01:00"


def test_a_wall_clock_time_with_the_wrong_offset_is_refused(night_desk, api):
    """02:30+01:00 on the spring day is written as a time that never shows on a clock there."""
    response = post(api(), night_desk, "2027-03-28T02:30:00+01:00", "2027-03-28T04:00:00+02:00")
    assert response.status_code == 422


def test_availability_on_dst_days_uses_real_durations(night_desk, client, frozen):
    slug = night_desk.space.slug
    spring = client.get(f"/api/v1/spaces/{slug}/availability?date=2027-03-28").json["days"][0]
    free = next(r for r in spring["resources"] if r["id"] == night_desk.id)["free"]
    assert free == [{"start": "2027-03-28T00:00:00+01:00", "end": "2027-03-28T06:00:00+02:00"}]
    frozen.set("2027-10-01T07:00:00+02:00")
    autumn = client.get(f"/api/v1/spaces/{slug}/availability?date=2027-10-31").json["days"][0]
    free = next(r for r in autumn["resources"] if r["id"] == night_desk.id)["free"]
    assert free == [{"start": "2027-10-31T00:00:00+02:00", "end": "2027-10-31T06:00:00+01:00"}]


def test_the_seeded_spaces_are_closed_on_the_dst_sundays_and_easter_monday(client, runner, frozen):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    days = client.get("/api/v1/spaces/wittenberge/availability?date=2027-03-28&days=2").json["days"]
    assert [(d["date"], d["open"]) for d in days] == [("2027-03-28", False), ("2027-03-29", False)]
    assert all(r["free"] == [] for d in days for r in d["resources"])
