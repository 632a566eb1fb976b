"""Availability: free and taken intervals per resource and day, in a fixed number of queries."""
from contextlib import contextmanager
from datetime import date, time

import pytest
from sqlalchemy import event

from coworking.bookings.availability import availability
from coworking.extensions import db
from coworking.spaces.service import get_space
from tests.factories import resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3)


def test_a_free_day_is_one_interval_per_resource(space, client):
    body = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02").json
    assert body["slug"] == space.slug and body["slot_minutes"] == 30
    (day,) = body["days"]
    assert day["date"] == "2027-03-02" and day["open"] is True
    assert len(day["resources"]) == 4
    for resource in day["resources"]:
        assert resource["free"] == [{"start": "2027-03-02T08:00:00+01:00", "end": "2027-03-02T18:00:00+01:00"}]
        assert resource["taken"] == []


def test_a_payment_hold_is_taken_until_the_minute_it_runs_out(space, client, make_user, frozen):
    """Availability reads a hold that ran out as free, whether or not the job has run."""
    from datetime import datetime

    from coworking.bookings.service import book
    from tests.factories import make_plan

    desk = resources_of(space)[0]
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    at = lambda hm: datetime.fromisoformat(f"2027-03-02T{hm}:00+01:00")  # noqa: E731
    book(make_user(covered=False), desk.id, at("09:00"), at("10:00"), pay="day_pass",
         online=True)  # held until 07:30 while its member pays

    def taken():
        (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02"
                            ).json["days"]
        return next(r for r in day["resources"] if r["id"] == desk.id)["taken"]

    frozen.set("2027-03-01T07:29:59+01:00")
    assert taken() == [{"start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}]
    frozen.set("2027-03-01T07:30:00+01:00")
    assert taken() == []


def test_bookings_split_free_time_and_show_as_taken(space, client, api):
    desk = resources_of(space)[0]
    member = api()
    for start, end in (("09:00", "10:00"), ("10:00", "11:30"), ("14:00", "15:00")):
        assert member.post("/api/v1/bookings", json={
            "resource_id": desk.id, "start": f"2027-03-02T{start}:00+01:00",
            "end": f"2027-03-02T{end}:00+01:00"}).status_code == 201
        member = api()  # one desk per person at a time, so a new member for each booking
    (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02").json["days"]
    row = next(r for r in day["resources"] if r["id"] == desk.id)
    t = lambda hm: f"2027-03-02T{hm}:00+01:00"  # noqa: E731
    assert row["taken"] == [{"start": t("09:00"), "end": t("11:30")}, {"start": t("14:00"), "end": t("15:00")}]
    assert row["free"] == [{"start": t("08:00"), "end": t("09:00")}, {"start": t("11:30"), "end": t("14:00")},
                           {"start": t("15:00"), "end": t("18:00")}]


def test_a_cancelled_booking_frees_its_time_again(space, client, api):
    desk = resources_of(space)[0]
    member = api()
    booking = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00", "end": "2027-03-02T10:00:00+01:00"}).json
    member.post(f"/api/v1/bookings/{booking['id']}/cancel")
    (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02").json["days"]
    assert next(r for r in day["resources"] if r["id"] == desk.id)["taken"] == []


def test_today_offers_only_slots_that_have_not_started(space, client, frozen):
    frozen.set("2027-03-02T10:10:00+01:00")
    (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability").json["days"]
    assert day["date"] == "2027-03-02"
    assert day["resources"][0]["free"] == [{"start": "2027-03-02T10:30:00+01:00", "end": "2027-03-02T18:00:00+01:00"}]


def test_closed_days_and_days_beyond_the_horizon_offer_nothing(make_space, client, frozen):
    space = make_space(hours={0: [(time(8), time(18))]}, horizon_days=7)
    days = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-01&days=15").json["days"]
    assert [d["date"] for d in days if d["open"]] == ["2027-03-01", "2027-03-08", "2027-03-15"]
    free_days = [d["date"] for d in days if any(r["free"] for r in d["resources"])]
    assert free_days == ["2027-03-01", "2027-03-08"]


@pytest.mark.parametrize("query,field", [
    ("date=2027-13-01", "date"), ("date=tomorrow", "date"), ("date=2027-3-1", "date"),
    ("days=0", "days"), ("days=32", "days"), ("days=two", "days"), ("days=--5", "days"),
    ("days=99999999999999999999", "days"), ("date=0001-01-01", "date"), ("date=9999-12-31", "date"),
])
def test_bad_parameters_are_named(space, client, query, field):
    response = client.get(f"/api/v1/spaces/{space.slug}/availability?{query}")
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_an_unknown_space_is_404(client):
    response = client.get("/api/v1/spaces/atlantis/availability")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@contextmanager
def count_statements():
    statements = []

    def record(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_number_of_queries_does_not_grow_with_desks_days_or_bookings(make_space, api, frozen):
    small = make_space(desks=1)
    large = make_space(desks=12)
    member_desks = resources_of(large)
    for i, desk in enumerate(member_desks):
        api().post("/api/v1/bookings", json={
            "resource_id": desk.id, "start": f"2027-03-0{2 + i % 5}T09:00:00+01:00",
            "end": f"2027-03-0{2 + i % 5}T10:00:00+01:00"})
    counts = []
    for space, days in ((small.slug, 1), (large.slug, 31)):
        db.session.close()
        with count_statements() as statements:
            result = availability(get_space(space), date(2027, 3, 2), days)
            for d in result:
                for rd in d.resources:
                    rd.resource.name  # touching what the views touch must not query
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 5


def _plain_availability(space, days, bookings, now):
    """The rule written out slowly: per day and resource, the active bookings clipped to each
    opening interval and merged are taken (except confirmed ones nobody checked in for by
    start + the grace period); the bookable rest of each interval is free."""
    from datetime import timedelta

    from coworking import clock

    grace = timedelta(minutes=space.no_show_grace_minutes)

    def holds(b):
        return b.is_active and not (b.status == "confirmed" and b.start_at + grace <= now)

    step = timedelta(minutes=space.slot_minutes)
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    last_day = now.astimezone(space.zone).date() + timedelta(days=space.horizon_days)
    expected = []
    for day in days:
        rows = []
        for rd in day.resources:
            taken, free = [], []
            for opens, closes in day.intervals:
                clipped = []
                for start, end in sorted((b.start_at, b.end_at) for b in bookings
                                         if b.resource_id == rd.resource.id and holds(b)
                                         and b.start_at < closes and b.end_at > opens):
                    start, end = max(start, opens), min(end, closes)
                    if clipped and start <= clipped[-1][1]:
                        clipped[-1] = (clipped[-1][0], max(clipped[-1][1], end))
                    else:
                        clipped.append((start, end))
                if rd.resource.kind == "fixed_desk":
                    clipped = [(opens, closes)]
                taken.extend(clipped)
                begin = opens if earliest <= opens else clock.ceil_to(earliest, opens, step)
                if day.day <= last_day and begin < closes:
                    for start, end in clipped:
                        if end > begin and start < closes:
                            if start > begin:
                                free.append((begin, start))
                            begin = max(begin, end)
                    if begin < closes:
                        free.append((begin, closes))
            rows.append((rd.resource.id, free, taken))
        expected.append(rows)
    return expected


def test_availability_agrees_with_the_rule_written_out_on_random_bookings(make_space, make_user,
                                                                          frozen):
    """Bookings across the lunch break, past closing, overnight, cancelled ones under active
    ones, a fixed desk, a DST change, today's notice and the horizon."""
    import random
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select, text

    from coworking.bookings.models import Booking
    from coworking.spaces.models import Resource
    from tests.factories import ENGINE

    space = make_space(hours={d: [(time(8), time(12)), (time(13), time(18))] for d in range(7)},
                       desks=4, rooms=1, horizon_days=8, min_notice_minutes=60,
                       public_holidays_closed=False)
    db.session.add(Resource(space_id=space.id, kind="fixed_desk", name="Fixed"))
    db.session.commit()
    members = [make_user() for _ in range(3)]
    now = frozen.set("2027-03-25T10:10:00+01:00")
    rng = random.Random(20270325)
    rows = []
    for resource in resources_of(space, "hot_desk") + resources_of(space, "meeting_room"):
        at = datetime(2027, 3, 23, 5, tzinfo=UTC)
        while at < datetime(2027, 4, 5, tzinfo=UTC):
            at += timedelta(minutes=30 * rng.randrange(0, 30))
            end = at + timedelta(minutes=30 * rng.randrange(1, 40))
            status = rng.choice(["confirmed", "confirmed", "pending_payment", "checked_in",
                                 "completed"])
            rows.append({"user_id": rng.choice(members).id, "resource_id": resource.id,
                         "start_at": at, "end_at": end, "status": status,
                         "holds_desk": False, "source": "web", "created_at": now})
            if rng.random() < 0.3:  # a cancelled booking lying under the active one
                rows.append(dict(rows[-1], status="cancelled",
                                 start_at=at - timedelta(minutes=30), end_at=end))
            at = end + timedelta(minutes=30 * rng.randrange(0, 3))
    slug = space.slug
    db.session.execute(insert(Booking.__table__), rows)
    db.session.commit()
    bookings = db.session.scalars(select(Booking)).all()
    db.session.close()
    if ENGINE == "postgresql":  # the session's zone must not matter
        db.session.execute(text("SET TIME ZONE 'America/New_York'"))

    space = get_space(slug)
    days = availability(space, date(2027, 3, 24), 10)
    assert any(day.day == date(2027, 3, 28) for day in days)  # clocks go forward
    got = [[(rd.resource.id, rd.free, rd.taken) for rd in day.resources] for day in days]
    assert got == _plain_availability(space, days, bookings, now)
    assert any(taken for day in got for _id, _free, taken in day)
    assert all(t.tzinfo is UTC for day in got for _id, free, taken in day
               for pair in free + taken for t in pair)
