"""Every booking rule answers with its own message naming the field, and changes nothing."""
from datetime import time

import pytest
from sqlalchemy import func, select

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import resources_of


def booking_count():
    return db.session.scalar(select(func.count()).select_from(Booking))


@pytest.fixture
def desk(make_space, frozen):
    space = make_space(horizon_days=60, max_booking_minutes=240, min_notice_minutes=0)
    return resources_of(space)[0]


@pytest.fixture
def member(api):
    return api()


def book(member, desk, start, end):
    return member.post("/api/v1/bookings", json={"resource_id": desk.id, "start": start, "end": end})


def test_a_valid_booking_is_confirmed_and_shown_in_local_time(member, desk):
    response = book(member, desk, "2027-03-02T09:00:00+01:00", "2027-03-02T11:00:00+01:00")
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "resource_id": desk.id,
                             "space": desk.space.slug, "start": "2027-03-02T09:00:00+01:00",
                             "end": "2027-03-02T11:00:00+01:00", "status": "confirmed",
                             "covered_by": {"membership_id": response.json["covered_by"][
                                 "membership_id"]},
                             "payment": None, "change": None}


def test_an_instant_given_in_utc_is_accepted_and_answered_in_local_time(member, desk):
    response = book(member, desk, "2027-03-02T08:00:00Z", "2027-03-02T09:00:00+00:00")
    assert response.status_code == 201
    assert response.json["start"] == "2027-03-02T09:00:00+01:00"


@pytest.mark.parametrize("start,end,field,message", [
    ("2027-03-02T11:00:00+01:00", "2027-03-02T10:00:00+01:00", "end", "end must be after the start"),
    ("2027-03-02T10:00:00+01:00", "2027-03-02T10:00:00+01:00", "end", "end must be after the start"),
    ("2027-02-26T10:00:00+01:00", "2027-02-26T11:00:00+01:00", "start", "in the past"),
    ("2027-03-01T06:00:00+01:00", "2027-03-01T06:30:00+01:00", "start", "in the past"),
    ("2027-05-03T10:00:00+02:00", "2027-05-03T11:00:00+02:00", "start", "60 days ahead"),
    ("2027-03-02T08:00:00+01:00", "2027-03-02T12:30:00+01:00", "end", "at most 4:00 hours"),
    ("2027-03-02T07:00:00+01:00", "2027-03-02T08:30:00+01:00", "start", "not open at 07:00"),
    ("2027-03-02T17:00:00+01:00", "2027-03-02T18:30:00+01:00", "end", "closes at 18:00"),
    ("2027-03-02T19:00:00+01:00", "2027-03-02T19:30:00+01:00", "start", "not open at 19:00"),
    ("2027-03-02T09:15:00+01:00", "2027-03-02T10:00:00+01:00", "start", "30-minute slot grid"),
    ("2027-03-02T09:00:00+01:00", "2027-03-02T10:10:00+01:00", "end", "30-minute slot grid"),
    ("2027-03-26T10:00:00+01:00", "2027-03-26T11:00:00+01:00", "start", "closed on Mar 26, 2027 (Karfreitag)"),
])
def test_each_broken_rule_has_its_own_message(member, desk, start, end, field, message):
    response = book(member, desk, start, end)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert message in response.json["detail"]
    assert message in " ".join(response.json["errors"][field])
    assert booking_count() == 0


def test_dates_and_times_in_rule_messages_follow_the_language(member, desk, client):
    body = {"resource_id": desk.id, "start": "2027-03-26T10:00:00+01:00",
            "end": "2027-03-26T11:00:00+01:00"}
    german = client.post("/api/v1/bookings", json=body,
                         headers={**member.headers, "Accept-Language": "de"})
    assert "am 26.03.2027 geschlossen (Karfreitag)" in german.json["detail"]
    body["start"], body["end"] = "2027-05-03T10:00:00+02:00", "2027-05-03T11:00:00+02:00"
    assert "bis zum 30.04.2027" in client.post("/api/v1/bookings", json=body, headers={
        **member.headers, "Accept-Language": "de"}).json["detail"]
    assert "up to Apr 30, 2027" in book(member, desk, body["start"], body["end"]).json["detail"]


def test_a_closure_of_the_space_is_refused_with_its_reason(member, desk):
    from datetime import date

    from coworking.spaces.models import Closure

    db.session.add(Closure(space_id=desk.space_id, start_date=date(2027, 3, 10),
                           end_date=date(2027, 3, 12), reason="Renovierung"))
    db.session.commit()
    response = book(member, desk, "2027-03-11T10:00:00+01:00", "2027-03-11T11:00:00+01:00")
    assert response.status_code == 422
    assert "Renovierung" in response.json["errors"]["start"][0]
    assert book(member, desk, "2027-03-13T10:00:00+01:00",
                "2027-03-13T11:00:00+01:00").status_code == 201


def test_closures_count_by_the_spaces_local_date_also_just_after_midnight(make_space, api,
                                                                          frozen):
    from datetime import date

    from coworking.spaces.models import Closure

    night = make_space(hours={d: [(time(0), time(6))] for d in range(7)},
                       public_holidays_closed=False)
    desk = resources_of(night)[0]
    db.session.add_all([
        Closure(space_id=night.id, start_date=date(2027, 3, 10), end_date=date(2027, 3, 10),
                reason="Inventur"),
        Closure(space_id=night.id, start_date=date(2027, 3, 11), end_date=date(2027, 3, 12),
                reason="Renovierung"),
    ])
    db.session.commit()
    member = api()
    # 00:30 in Berlin is still the day before in UTC.
    refused = book(member, desk, "2027-03-11T00:30:00+01:00", "2027-03-11T01:00:00+01:00")
    assert refused.status_code == 422 and "Renovierung" in refused.json["detail"]
    refused = book(member, desk, "2027-03-10T05:00:00+01:00", "2027-03-10T05:30:00+01:00")
    assert refused.status_code == 422 and "Inventur" in refused.json["detail"]
    assert book(member, desk, "2027-03-13T00:30:00+01:00",
                "2027-03-13T01:00:00+01:00").status_code == 201


def test_public_holidays_follow_the_spaces_state(make_space, api, frozen):
    """Reformation Day (31 Oct) is a holiday in Brandenburg, not in Bavaria."""
    frozen.set("2027-10-01T07:00:00+02:00")
    member = api()
    brandenburg = resources_of(make_space(state="BB"))[0]
    bavaria = resources_of(make_space(state="BY"))[0]
    body = {"start": "2027-10-31T10:00:00+01:00", "end": "2027-10-31T11:00:00+01:00"}
    refused = member.post("/api/v1/bookings", json={"resource_id": brandenburg.id, **body})
    assert refused.status_code == 422 and "Reformationstag" in refused.json["detail"]
    assert member.post("/api/v1/bookings", json={"resource_id": bavaria.id, **body}).status_code == 201


def test_minimum_notice_is_enforced(make_space, api, frozen):
    desk = resources_of(make_space(min_notice_minutes=120))[0]
    frozen.set("2027-03-02T08:10:00+01:00")
    too_soon = api().post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T09:30:00+01:00", "end": "2027-03-02T10:00:00+01:00"})
    assert too_soon.status_code == 422 and "120 minutes' notice" in too_soon.json["errors"]["start"][0]


def test_a_resource_that_is_inactive_or_fixed_is_not_bookable(member, desk):
    desk.active = False
    db.session.commit()
    response = book(member, desk, "2027-03-02T09:00:00+01:00", "2027-03-02T10:00:00+01:00")
    assert response.status_code == 422 and "resource_id" in response.json["errors"]
    desk.active, desk.kind = True, "fixed_desk"
    db.session.commit()
    response = book(member, desk, "2027-03-02T09:00:00+01:00", "2027-03-02T10:00:00+01:00")
    assert response.status_code == 422 and "fixed desk" in response.json["errors"]["resource_id"][0]


def test_split_opening_hours_refuse_the_lunch_break(make_space, api, frozen):
    space = make_space(hours={d: [(time(8), time(12)), (time(13), time(17))] for d in range(7)})
    desk = resources_of(space)[0]
    member = api()
    lunch = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T11:00:00+01:00", "end": "2027-03-02T13:30:00+01:00"})
    assert lunch.status_code == 422 and "closes at 12:00" in lunch.json["errors"]["end"][0]
    afternoon = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T13:00:00+01:00", "end": "2027-03-02T14:00:00+01:00"})
    assert afternoon.status_code == 201


def test_slot_grid_starts_at_opening_time(make_space, api, frozen):
    """Opening at 08:15 with 30-minute slots: 08:15, 08:45 … are the grid, not 08:30."""
    desk = resources_of(make_space(hours={d: [(time(8, 15), time(18))] for d in range(7)}))[0]
    member = api()
    off_grid = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T08:30:00+01:00", "end": "2027-03-02T09:00:00+01:00"})
    assert off_grid.status_code == 422
    on_grid = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T08:45:00+01:00", "end": "2027-03-02T09:15:00+01:00"})
    assert on_grid.status_code == 201
