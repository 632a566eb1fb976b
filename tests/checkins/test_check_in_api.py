"""Checking in and out over the API: a host without a code, the member with today's code of the
space; what is refused (cancelled, finished, someone else's, too early, a wrong code) changes
nothing. Every check-in writes a visit in the same unit; a check-out closes it."""
import pytest

from coworking.bookings.service import book, cancel
from coworking.checkins.codes import daily_code
from tests.checkins.helpers import at, audit_entries, booking_of, visits
from tests.factories import resources_of


@pytest.fixture
def desk(space):
    return resources_of(space)[0]


@pytest.fixture
def member(api):
    return api(name="Mara Member")


@pytest.fixture
def booking(desk, member):
    return book(member.user, desk.id, at("09:00"), at("12:00"))


def code_of(space, day="2027-03-02"):
    from datetime import date

    return daily_code(space, date.fromisoformat(day))


def check_in(caller, booking, **body):
    return caller.post(f"/api/v1/bookings/{booking.id}/check-in", json=body)


def test_the_member_checks_in_with_todays_code_and_a_visit_begins(space, booking, member,
                                                                  frozen):
    now = frozen.set("2027-03-02T08:55:00+01:00")
    response = check_in(member, booking, code=code_of(space).lower())  # as typed
    assert response.status_code == 200, response.json
    assert response.json["status"] == "checked_in" and response.json["id"] == booking.id
    (visit,) = visits(booking_id=booking.id)
    assert (visit.user_id, visit.space_id, visit.check_in_method, visit.checked_in_by_id) == \
        (member.user.id, space.id, "self", None)
    assert visit.checked_in_at == now and visit.checked_out_at is None
    assert audit_entries() == []  # a member's own check-in is no host action

    again = check_in(member, booking, code=code_of(space))
    assert again.status_code == 200 and again.json["status"] == "checked_in"
    assert len(visits()) == 1


def test_a_host_checks_in_without_a_code_and_it_is_audited(space, booking, host, api, frozen):
    frozen.set("2027-03-02T09:10:00+01:00")
    response = check_in(api(host), booking)
    assert response.status_code == 200 and response.json["status"] == "checked_in"
    (visit,) = visits(booking_id=booking.id)
    assert (visit.check_in_method, visit.checked_in_by_id) == ("host", host.id)
    (entry,) = audit_entries(action="booking.checked_in")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.space_id) == \
        (host.id, "booking", booking.id, space.id)
    assert entry.before == {"status": "confirmed"} and entry.after == {"status": "checked_in"}


def test_a_host_may_check_in_with_an_empty_body(space, booking, host, api, client, frozen):
    frozen.set("2027-03-02T09:10:00+01:00")
    caller = api(host)
    response = client.post(f"/api/v1/bookings/{booking.id}/check-in", headers=caller.headers)
    assert response.status_code == 200 and response.json["status"] == "checked_in"


@pytest.mark.parametrize("now, allowed", [
    ("2027-03-02T08:29:00+01:00", False),
    ("2027-03-02T08:30:00+01:00", True),
    ("2027-03-02T11:59:00+01:00", True),
    ("2027-03-02T12:00:00+01:00", False),
])
def test_check_in_opens_30_minutes_before_the_start_and_ends_with_the_booking(
        space, booking, member, frozen, now, allowed):
    frozen.set(now)
    response = check_in(member, booking, code=code_of(space))
    if allowed:
        assert response.status_code == 200, response.json
    else:
        assert response.status_code == 409
        assert booking_of(booking.id).status == "confirmed" and visits() == []
    if now.endswith("08:29:00+01:00"):
        assert "30 minutes before the start, at 08:30" in response.json["detail"]


def test_the_member_needs_the_code(space, booking, member, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    response = check_in(member, booking)
    assert response.status_code == 422 and "code" in response.json["errors"]
    assert booking_of(booking.id).status == "confirmed"


def test_yesterdays_code_tomorrows_and_another_spaces_are_refused_naming_the_code(
        space, booking, member, make_space, frozen):
    elsewhere = make_space(desks=1)
    frozen.set("2027-03-02T09:00:00+01:00")
    for code, says in ((code_of(space, "2027-03-01"), "not today's"),
                       (code_of(space, "2027-03-03"), "not today's"),
                       (code_of(elsewhere), f"code of {elsewhere.name}, not of {space.name}"),
                       ("ZZZZZZ", "not today's check-in code"),
                       # Was a 500: letters beyond ASCII could not be compared.
                       ("ÄBÇ12É", "not today's check-in code"),
                       ("", "enter the check-in code")):
        response = check_in(member, booking, code=code)
        assert response.status_code == 422, code
        assert says in response.json["errors"]["code"][0], response.json
    assert booking_of(booking.id).status == "confirmed" and visits() == []


def test_many_wrong_codes_in_a_minute_have_to_wait(space, booking, member, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    answers = [check_in(member, booking, code="WRONG1").status_code for _ in range(11)]
    assert answers == [422] * 10 + [429]
    assert check_in(member, booking, code=code_of(space)).status_code == 429


def test_someone_elses_booking_is_not_found_and_another_hosts_too(space, booking, api,
                                                                  make_user, make_space,
                                                                  frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    stranger = api()
    other_host = api(make_user(role="host", space=make_space(desks=1)))
    for caller in (stranger, other_host):
        response = check_in(caller, booking, code=code_of(space))
        assert response.status_code == 404
    assert booking_of(booking.id).status == "confirmed" and visits() == []


def test_cancelled_finished_and_unpaid_bookings_are_refused_with_a_clear_message(
        space, desk, member, host, api, make_user, frozen):
    from tests.factories import make_plan

    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    cancelled = book(member.user, desk.id, at("09:00"), at("10:00"))
    cancel(member.user, cancelled.id)
    gone = book(member.user, desk.id, at("10:00"), at("10:30"))
    done = book(member.user, desk.id, at("11:00"), at("11:30"))
    unpaid = book(make_user(covered=False), resources_of(space)[1].id, at("09:00"), at("10:00"),
                  pay="day_pass", online=True)
    hosting = api(host)
    frozen.set("2027-03-02T11:05:00+01:00")
    assert check_in(hosting, done).status_code == 200
    assert hosting.post(f"/api/v1/bookings/{done.id}/check-out").status_code == 200
    frozen.set("2027-03-02T11:10:00+01:00")
    expected = {cancelled.id: "cancelled", gone.id: "ended at 10:30",
                done.id: "checked out at 11:05", unpaid.id: "payment"}
    for booking in (cancelled, gone, done, unpaid):
        for caller, body in ((member, {"code": code_of(space)}), (hosting, {})):
            if booking is unpaid and caller is member:
                continue
            response = check_in(caller, booking, **body)
            assert response.status_code == 409, (booking.id, response.json)
            assert expected[booking.id] in response.json["detail"]
    assert [b.status for b in map(booking_of, (cancelled.id, gone.id, done.id))] == \
        ["cancelled", "confirmed", "completed"]
    assert len(visits()) == 1


def test_the_member_checks_out_and_the_rest_of_the_time_is_free(space, desk, booking, member,
                                                                client, frozen):
    frozen.set("2027-03-02T08:50:00+01:00")
    check_in(member, booking, code=code_of(space))
    left = frozen.set("2027-03-02T10:15:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking.id}/check-out")
    assert response.status_code == 200 and response.json["status"] == "completed"
    (visit,) = visits()
    assert visit.checked_out_at == left and visit.check_out_method == "self"
    assert member.post(f"/api/v1/bookings/{booking.id}/check-out").json["status"] == "completed"
    (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02"
                        ).json["days"]
    row = next(r for r in day["resources"] if r["id"] == desk.id)
    assert row["taken"] == [] and row["free"][0]["start"] == "2027-03-02T10:30:00+01:00"


def test_a_host_checks_out_and_it_is_audited(space, booking, member, host, api, frozen):
    frozen.set("2027-03-02T08:50:00+01:00")
    check_in(member, booking, code=code_of(space))
    frozen.set("2027-03-02T11:00:00+01:00")
    response = api(host).post(f"/api/v1/bookings/{booking.id}/check-out")
    assert response.status_code == 200
    (visit,) = visits()
    assert (visit.check_out_method, visit.checked_out_by_id) == ("host", host.id)
    assert [e.action for e in audit_entries()] == ["booking.checked_out"]


def test_checking_out_a_booking_not_checked_in_is_a_conflict(booking, member, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking.id}/check-out")
    assert response.status_code == 409 and "not checked in" in response.json["detail"]
    assert booking_of(booking.id).status == "confirmed"
