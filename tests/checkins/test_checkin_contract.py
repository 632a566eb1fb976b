"""The check-in routes answer in the shapes the OpenAPI document gives, errors included."""
from datetime import date

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from tests.api.test_api_contract import check
from tests.checkins.helpers import at
from tests.factories import make_plan, resources_of


def test_check_in_routes_match_the_document(space, host, api, make_user, frozen):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    member = api()
    booking = book(member.user, resources_of(space)[0].id, at("09:00"), at("12:00"))
    other = book(make_user(), resources_of(space)[1].id, at("09:00"), at("12:00"))
    hosting, stranger = api(host), api()
    code = daily_code(space, date(2027, 3, 2))
    frozen.set("2027-03-02T08:00:00+01:00")
    path = "/api/v1/bookings/{booking_id}/"
    check(member.post(f"/api/v1/bookings/{booking.id}/check-in", json={"code": code}),
          path + "check-in", "post")  # 409: too early
    frozen.set("2027-03-02T09:35:00+01:00")
    check(member.post(f"/api/v1/bookings/{booking.id}/check-in", json={"code": "NOPE"}),
          path + "check-in", "post")
    check(member.post(f"/api/v1/bookings/{booking.id}/check-in", json={"code": 7}),
          path + "check-in", "post")
    check(stranger.post(f"/api/v1/bookings/{booking.id}/check-in", json={"code": code}),
          path + "check-in", "post")
    check(member.post(f"/api/v1/bookings/{booking.id}/check-in", json={"code": code}),
          path + "check-in", "post")
    check(member.post(f"/api/v1/bookings/{booking.id}/no-show"), path + "no-show", "post")
    check(hosting.post(f"/api/v1/bookings/{other.id}/no-show"), path + "no-show", "post")
    check(hosting.post(f"/api/v1/bookings/{other.id}/check-out"), path + "check-out", "post")
    check(member.post(f"/api/v1/bookings/{booking.id}/check-out"), path + "check-out", "post")

    slug = space.slug
    check(hosting.get(f"/api/v1/spaces/{slug}/day"), "/api/v1/spaces/{slug}/day", "get")
    check(hosting.get(f"/api/v1/spaces/{slug}/day?date=2027-03-40"),
          "/api/v1/spaces/{slug}/day", "get")
    check(member.get(f"/api/v1/spaces/{slug}/day"), "/api/v1/spaces/{slug}/day", "get")
    check(hosting.get(f"/api/v1/spaces/{slug}/checkin-code"),
          "/api/v1/spaces/{slug}/checkin-code", "get")
    check(member.get(f"/api/v1/spaces/{slug}/checkin-code"),
          "/api/v1/spaces/{slug}/checkin-code", "get")
    walk_ins = "/api/v1/spaces/{slug}/walk-ins"
    body = {"email": "gast@example.org", "name": "Gerd Gast", "end": "2027-03-02T12:00:00+01:00"}
    check(hosting.post(f"/api/v1/spaces/{slug}/walk-ins", json=body), walk_ins, "post")
    check(hosting.post(f"/api/v1/spaces/{slug}/walk-ins", json={**body, "email": "x"}),
          walk_ins, "post")
    for desk in resources_of(space):
        book(make_user(), desk.id, at("12:00"), at("13:00"))
    check(hosting.post(f"/api/v1/spaces/{slug}/walk-ins",
                       json={**body, "email": "neu@example.org",
                             "end": "2027-03-02T12:30:00+01:00"}), walk_ins, "post")
    check(member.post(f"/api/v1/spaces/{slug}/walk-ins", json=body), walk_ins, "post")


def test_the_day_lists_each_booking_with_its_member(space, host, api, make_user, frozen):
    anna = make_user(name="Anna Early")
    booking = book(anna, resources_of(space)[0].id, at("09:00"), at("12:00"))
    book(make_user(name="Tomorrow"), resources_of(space)[0].id, at("09:00", "2027-03-03"),
         at("10:00", "2027-03-03"))
    frozen.set("2027-03-02T09:00:00+01:00")
    hosting = api(host)
    day = hosting.get(f"/api/v1/spaces/{space.slug}/day").json
    assert day["date"] == "2027-03-02" and day["desks"] == 3 and day["present"] == 0
    (shown,) = day["bookings"]
    assert shown["id"] == booking.id and shown["member"] == {"id": anna.id, "name": "Anna Early"}
    assert shown["status"] == "confirmed" and shown["start"] == "2027-03-02T09:00:00+01:00"
    hosting.post(f"/api/v1/bookings/{booking.id}/check-in")
    day = hosting.get(f"/api/v1/spaces/{space.slug}/day").json
    assert day["present"] == 1 and day["bookings"][0]["status"] == "checked_in"
    ahead = hosting.get(f"/api/v1/spaces/{space.slug}/day?date=2027-03-03").json
    assert [b["member"]["name"] for b in ahead["bookings"]] == ["Tomorrow"]
    assert ahead["present"] == 0
