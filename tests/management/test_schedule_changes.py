"""Hours over time and closures of part of a day, through the API: a change applies from a
date and keeps what applied before; the bookings it hits are refused, moved, shortened or
cancelled as asked; each member hears once; their bookings say what the space did and why.
Bad input is a 422 naming the field. The space is open Monday to Friday 08:00–18:00 and the
clock stands on Monday 2027-03-01."""
from datetime import date

import pytest
from sqlalchemy import select

from coworking.accounts.service import issue_api_token
from coworking.bookings.models import Booking, BookingStatus
from coworking.extensions import db
from coworking.memberships.models import CreditEntry
from tests.api.test_api_contract import assert_problem, check
from tests.factories import give_membership, resources_of
from tests.management.conftest import at, forget_mail, mails

WEEK = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
HOURS = "/api/v1/spaces/{slug}/hours"
CLOSURES = "/api/v1/spaces/{slug}/closures"


@pytest.fixture
def token(space, make_user):
    host = make_user(email="hanna@example.org", role="host", space=space)
    return {"Authorization": f"Bearer {issue_api_token(host)}", "Accept-Language": "en"}


def put_hours(client, token, space, **body):
    return client.put(HOURS.format(slug=space.slug), json=body, headers=token)


def close(client, token, space, **body):
    return client.post(CLOSURES.format(slug=space.slug), json=body, headers=token)


def current(booking):
    db.session.expire_all()
    return db.session.get(Booking, booking.id)


def test_new_hours_from_a_date_keep_the_days_before(client, token, space):
    response = put_hours(client, token, space, effective_from="2027-03-04",
                         hours={**WEEK, "thu": [["08:00", "13:00"]]}, on_conflict="refuse")
    check(response, HOURS.replace("{slug}", "{slug}"), "put")
    assert response.json == {"effective_from": "2027-03-04", "affected": []}
    before = client.get(HOURS.format(slug=space.slug) + "?on=2027-03-03")
    check(before, "/api/v1/spaces/{slug}/hours", "get")
    assert before.json["hours"]["thu"] == [["08:00", "18:00"]]
    after = client.get(HOURS.format(slug=space.slug) + "?on=2027-03-11").json
    assert after == {"effective_from": "2027-03-04",
                     "hours": {**WEEK, "thu": [["08:00", "13:00"]], "sat": [], "sun": []}}
    # The list of spaces keeps showing the hours in force today.
    listed = next(s for s in client.get("/api/v1/spaces").json if s["slug"] == space.slug)
    assert {"weekday": "thursday", "opens": "08:00", "closes": "18:00"} \
        in listed["opening_hours"]
    # The host's page shows the hours now and the change to come.
    page = client.get(f"/manage/{space.slug}/hours")
    assert page.status_code in (200, 302)


@pytest.mark.parametrize("body,field", [
    ({"effective_from": "2027-02-28", "hours": WEEK}, "effective_from"),
    ({"effective_from": "2027-03-04", "hours": {**WEEK, "tue": [["09:00", "13:00"],
                                                                ["12:00", "18:00"]]}},
     "hours.tue"),
    ({"effective_from": "2027-03-04", "hours": {**WEEK, "wed": [["18:00", "08:00"]]}},
     "hours.wed"),
    ({"effective_from": "2027-03-04", "hours": {**WEEK, "wed": [["8 Uhr", "18:00"]]}},
     "hours.wed"),
    ({"effective_from": "2027-03-04", "hours": WEEK, "on_conflict": "ignore"}, "on_conflict"),
])
def test_bad_hours_are_refused_naming_the_field(client, token, space, body, field):
    response = put_hours(client, token, space, **body)
    assert_problem(response, 422, field)
    check(response, "/api/v1/spaces/{slug}/hours", "put")


def test_a_member_may_not_change_the_hours(client, space, make_user):
    member = {"Authorization": f"Bearer {issue_api_token(make_user())}"}
    response = put_hours(client, member, space, effective_from="2027-03-04", hours=WEEK)
    assert_problem(response, 403)


def test_refuse_lists_the_bookings_hit_and_changes_nothing(client, token, space, booked):
    desk = resources_of(space)[0]
    hit = booked(desk, "14:00", "16:00", day="2027-03-04")
    response = put_hours(client, token, space, effective_from="2027-03-02",
                         hours={**WEEK, "thu": [["08:00", "13:00"]]}, on_conflict="refuse")
    assert_problem(response, 409)
    assert response.json["bookings"] == [hit.id]
    assert client.get(HOURS.format(slug=space.slug) + "?on=2027-03-04").json["hours"]["thu"] \
        == [["08:00", "18:00"]]


def test_each_booking_is_settled_as_asked_and_its_member_hears_once(client, token, space,
                                                                     booked, make_user):
    desk1, desk2, _desk3 = resources_of(space)[:3]
    mia = make_user(name="Mia Member", email="mia@example.org", covered=False)
    give_membership(mia, kind="multi_pass", all_spaces=True)
    shortened = booked(desk1, "11:00", "15:00", day="2027-03-04", member=mia)
    cancelled = booked(desk1, "14:00", "16:00", day="2027-03-11", member=mia)
    moved = booked(desk2, "14:00", "16:00", day="2027-03-04")
    forget_mail()
    response = put_hours(client, token, space, effective_from="2027-03-02",
                         hours={**WEEK, "thu": [["08:00", "13:00"]]}, on_conflict="shorten",
                         reason="Donnerstags ist nachmittags Gemeinderat.",
                         outcomes={str(cancelled.id): "cancel", str(moved.id): "move"})
    check(response, "/api/v1/spaces/{slug}/hours", "put")
    assert sorted(response.json["affected"], key=lambda a: a["booking_id"]) == sorted([
        {"booking_id": shortened.id, "outcome": "shortened"},
        {"booking_id": cancelled.id, "outcome": "cancelled"},
        {"booking_id": moved.id, "outcome": "moved"}], key=lambda a: a["booking_id"])
    assert (current(shortened).start_at, current(shortened).end_at) == \
        (at("11:00", "2027-03-04"), at("13:00", "2027-03-04"))
    assert current(cancelled).status == BookingStatus.CANCELLED
    assert db.session.scalar(select(CreditEntry).where(
        CreditEntry.booking_id == cancelled.id, CreditEntry.reason == "cancellation")) is not None
    # Moved to the nearest two free hours that Thursday morning.
    assert (current(moved).start_at, current(moved).end_at) == \
        (at("11:00", "2027-03-04"), at("13:00", "2027-03-04"))
    sent = {m["to"]: m for m in mails()}
    assert len(mails()) == 2  # one per member, not one per booking
    text = sent["mia@example.org"]["text"]
    assert "vom Standort gekürzt" in text and "vom Standort abgesagt" in text
    assert "Donnerstags ist nachmittags Gemeinderat." in text
    # The API's booking says who changed it and why.
    mine = {b["id"]: b for b in client.get(
        "/api/v1/bookings", headers={"Authorization": f"Bearer {issue_api_token(mia)}"}).json}
    assert mine[cancelled.id]["change"] == {"by": "space", "outcome": "cancelled",
                                            "reason": "Donnerstags ist nachmittags Gemeinderat."}
    assert mine[shortened.id]["change"]["outcome"] == "shortened"


def test_a_part_day_closure_shortens_or_cancels_as_asked(client, token, space, booked):
    desk1, desk2, _desk3 = resources_of(space)[:3]
    morning = booked(desk1, "09:00", "14:00", day="2027-03-03")
    inside = booked(desk2, "12:00", "13:00", day="2027-03-03")
    response = close(client, token, space, date="2027-03-03", start="12:00", end="15:00",
                     reason="Bürgerversammlung", on_conflict="shorten")
    check(response, "/api/v1/spaces/{slug}/closures", "post")
    assert response.status_code == 201
    outcomes = {a["booking_id"]: a["outcome"] for a in response.json["affected"]}
    assert outcomes == {morning.id: "shortened", inside.id: "cancelled"}
    assert current(morning).end_at == at("12:00", "2027-03-03")
    assert current(inside).status == BookingStatus.CANCELLED
    # Nobody books the closed part; the rest of the day stays open.
    day = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-03").json
    free = {r["id"]: r["free"] for r in day["days"][0]["resources"]}
    assert {"start": "2027-03-03T15:00:00+01:00", "end": "2027-03-03T18:00:00+01:00"} \
        in free[desk2.id]


def test_a_part_day_closure_cancels_when_asked(client, token, space, booked):
    desk = resources_of(space)[0]
    morning = booked(desk, "09:00", "14:00", day="2027-03-03")
    response = close(client, token, space, date="2027-03-03", start="12:00", end="15:00",
                     reason="Bürgerversammlung", on_conflict="cancel")
    assert response.json["affected"] == [{"booking_id": morning.id, "outcome": "cancelled"}]
    assert current(morning).status == BookingStatus.CANCELLED


@pytest.mark.parametrize("body,field", [
    ({"date": "2027-02-26", "reason": "Umzug"}, "date"),
    ({"date": "2027-03-03", "start": "19:00", "end": "21:00", "reason": "Abend"}, "start"),
    ({"date": "2027-03-06", "start": "10:00", "end": "12:00", "reason": "Samstag"}, "start"),
    ({"date": "2027-03-03", "start": "12:00", "end": "11:00", "reason": "Rückwärts"}, "end"),
    ({"date": "2027-03-03", "start": "12:00", "reason": "Halb"}, "end"),
    ({"date": "2027-03-03", "start": "12h", "end": "13:00", "reason": "x"}, "start"),
])
def test_bad_closures_are_refused_naming_the_field(client, token, space, body, field):
    response = close(client, token, space, **body)
    assert_problem(response, 422, field)


def test_the_member_s_page_says_the_space_cancelled_and_why(client, token, space, booked,
                                                           make_user, login):
    desk = resources_of(space)[0]
    member = make_user(email="ria@example.org", name="Ria")
    hit = booked(desk, "09:00", "12:00", day="2027-03-03", member=member)
    close(client, token, space, date="2027-03-03", reason="Wasserschaden",
          on_conflict="cancel")
    login("ria@example.org")
    page = client.get("/bookings").get_data(as_text=True)
    assert "vom Standort abgesagt" in page and "Wasserschaden" in page
    assert current(hit).status == BookingStatus.CANCELLED


def test_the_effective_date_of_a_past_month_change_is_refused(client, token, space):
    response = put_hours(client, token, space, effective_from=str(date(2026, 12, 1)),
                         hours=WEEK)
    assert_problem(response, 422, "effective_from")


def test_the_host_page_lists_the_bookings_hit_with_a_default_and_an_override(
        client, space, host, booked):
    from tests.management.conftest import post_form
    desk1, desk2, _desk3 = resources_of(space)[:3]
    short = booked(desk1, "11:00", "15:00", day="2027-03-11")
    gone = booked(desk2, "14:00", "16:00", day="2027-03-11")
    texts = {"monday": "08:00–18:00", "tuesday": "08:00–18:00", "wednesday": "08:00–18:00",
             "thursday": "08:00–13:00", "friday": "08:00–18:00", "saturday": "",
             "sunday": ""}
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {**texts, "effective_from": "2027-03-04", "on_conflict": "shorten"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Neue Öffnungszeiten bestätigen" in page
    assert f'name="outcome-{gone.id}"' in page and '<option value="shorten" selected>' in page
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {**texts, "effective_from": "2027-03-04", "on_conflict": "shorten",
                          "confirmed": f"{short.id},{gone.id}", f"outcome-{gone.id}": "cancel"},
                         token_from=f"/manage/{space.slug}/hours")
    assert response.status_code == 302
    assert current(short).end_at == at("13:00", "2027-03-11")
    assert current(gone).status == BookingStatus.CANCELLED
    overview = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    # The hours in force today, and the change to come.
    assert "<dt>Do</dt><dd>08:00–18:00</dd>" in overview
    assert "Ab 04.03.2027: Mo 08:00–18:00" in overview and "Do 08:00–13:00" in overview


def test_the_host_page_refuses_a_past_effective_date(client, space, host):
    from tests.management.conftest import post_form
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {"monday": "08:00–18:00", "effective_from": "2027-02-01",
                          "on_conflict": "cancel"})
    assert response.status_code == 422
    assert "nicht rückwirkend" in response.get_data(as_text=True)


def test_the_hosts_day_shows_what_the_space_did_to_a_booking(client, token, space, booked):
    desk = resources_of(space)[0]
    hit = booked(desk, "11:00", "15:00", day="2027-03-04")
    kept = booked(desk, "08:00", "10:00", day="2027-03-04")
    put_hours(client, token, space, effective_from="2027-03-04",
              hours={**WEEK, "thu": [["08:00", "13:00"]]}, on_conflict="shorten",
              reason="Gemeinderat")
    response = client.get(f"/api/v1/spaces/{space.slug}/day?date=2027-03-04", headers=token)
    check(response, "/api/v1/spaces/{slug}/day", "get")
    changes = {b["id"]: b["change"] for b in response.json["bookings"]}
    assert changes[hit.id] == {"by": "space", "outcome": "shortened", "reason": "Gemeinderat"}
    assert changes[kept.id] is None
