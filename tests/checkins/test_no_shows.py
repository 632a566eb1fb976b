"""No-shows: a confirmed booking nobody checked in for by start + the space's grace period is
released, by a host, by the job, or by the next booking of its desk; its credit is not
returned. Availability shows such a desk as free from that minute, job or no job."""
from datetime import date

import pytest
from sqlalchemy import select

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from coworking.checkins.jobs import mark_no_shows
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import CreditEntry, credit_balance
from tests.checkins.helpers import at, audit_entries, booking_of
from tests.factories import give_membership, resources_of

GRACE_OVER = "2027-03-02T09:30:00+01:00"      # start 09:00 + 30 minutes' grace
ONE_MINUTE_BEFORE = "2027-03-02T09:29:00+01:00"


@pytest.fixture
def desk(space):
    return resources_of(space)[0]


@pytest.fixture
def member(api):
    return api(name="Mara Member")


@pytest.fixture
def booking(desk, member):
    return book(member.user, desk.id, at("09:00"), at("12:00"))


def taken(client, space, desk):
    (day,) = client.get(f"/api/v1/spaces/{space.slug}/availability?date=2027-03-02"
                        ).json["days"]
    return next(r for r in day["resources"] if r["id"] == desk.id)["taken"]


def test_a_host_marks_a_no_show_from_the_minute_the_grace_period_is_over(booking, host, api,
                                                                        frozen):
    hosting = api(host)
    frozen.set(ONE_MINUTE_BEFORE)
    early = hosting.post(f"/api/v1/bookings/{booking.id}/no-show")
    assert early.status_code == 409 and "from 09:30" in early.json["detail"]
    assert booking_of(booking.id).status == "confirmed"

    frozen.set(GRACE_OVER)
    response = hosting.post(f"/api/v1/bookings/{booking.id}/no-show")
    assert response.status_code == 200 and response.json["status"] == "no_show"
    (entry,) = audit_entries(action="booking.no_show")
    assert entry.actor_id == host.id and entry.after == {"status": "no_show"}
    assert hosting.post(f"/api/v1/bookings/{booking.id}/no-show").status_code == 200


def test_the_member_cannot_mark_their_own_no_show_nor_a_host_a_checked_in_one(
        space, booking, member, host, api, frozen):
    frozen.set(GRACE_OVER)
    assert member.post(f"/api/v1/bookings/{booking.id}/no-show").status_code == 403
    assert member.post(f"/api/v1/bookings/{booking.id}/check-in",
                       json={"code": daily_code(space, date(2027, 3, 2))}).status_code == 200
    response = api(host).post(f"/api/v1/bookings/{booking.id}/no-show")
    assert response.status_code == 409 and "checked in" in response.json["detail"]
    assert booking_of(booking.id).status == "checked_in"


def test_the_job_releases_overdue_bookings_at_the_minute_and_is_idempotent(booking, frozen):
    frozen.set(ONE_MINUTE_BEFORE)
    assert mark_no_shows() == 0
    assert booking_of(booking.id).status == "confirmed"
    frozen.set(GRACE_OVER)
    assert run_all()["mark-no-shows"] == {"marked": 1}
    released = booking_of(booking.id)
    assert released.status == "no_show" and released.no_show_at == at("09:30")
    assert run_all()["mark-no-shows"] == {"marked": 0}


def test_each_space_has_its_own_grace_period(make_space, make_user, frozen):
    strict = make_space(desks=1, public_holidays_closed=False)
    strict.no_show_grace_minutes = 10
    db.session.commit()
    lenient = make_space(desks=1, public_holidays_closed=False)
    first = book(make_user(), resources_of(strict)[0].id, at("09:00"), at("10:00"))
    second = book(make_user(), resources_of(lenient)[0].id, at("09:00"), at("10:00"))
    frozen.set("2027-03-02T09:10:00+01:00")
    assert mark_no_shows() == 1
    assert (booking_of(first.id).status, booking_of(second.id).status) == ("no_show", "confirmed")


def test_a_no_show_keeps_its_credit(space, desk, make_user, frozen):
    user = make_user(covered=False)
    card = give_membership(user, kind="multi_pass", spaces=[space], credits=10)
    booking = book(user, desk.id, at("09:00"), at("12:00"))
    assert credit_balance(card.id) == 9
    frozen.set(GRACE_OVER)
    mark_no_shows()
    db.session.commit()
    assert booking_of(booking.id).status == "no_show"
    assert credit_balance(card.id) == 9
    assert db.session.scalars(select(CreditEntry.reason).where(
        CreditEntry.membership_id == card.id).order_by(CreditEntry.id)).all() == \
        ["purchase", "booking"]


def test_availability_shows_an_overdue_desk_free_before_the_job_has_run(space, desk, booking,
                                                                        client, frozen):
    frozen.set(ONE_MINUTE_BEFORE)
    assert taken(client, space, desk) == [{"start": "2027-03-02T09:00:00+01:00",
                                           "end": "2027-03-02T12:00:00+01:00"}]
    frozen.set(GRACE_OVER)
    assert taken(client, space, desk) == []
    assert booking_of(booking.id).status == "confirmed"  # the job has not run


def test_a_booking_over_an_overdue_desk_releases_it_in_the_same_unit(space, desk, booking, api,
                                                                     frozen):
    frozen.set(ONE_MINUTE_BEFORE)
    body = {"resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
            "end": "2027-03-02T11:00:00+01:00"}
    late = api()
    assert late.post("/api/v1/bookings", json=body).status_code == 409
    frozen.set(GRACE_OVER)
    response = late.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.json
    assert booking_of(booking.id).status == "no_show"


def test_the_member_may_still_check_in_late_until_the_booking_is_released(space, booking,
                                                                          member, frozen):
    """Past the grace period but before the job or anyone has released it, the member who
    turns up is checked in: whichever comes first decides."""
    frozen.set("2027-03-02T09:45:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking.id}/check-in",
                           json={"code": daily_code(space, date(2027, 3, 2))})
    assert response.status_code == 200 and response.json["status"] == "checked_in"
    assert mark_no_shows() == 0


def test_a_released_booking_cannot_be_checked_in_any_more(space, booking, member, frozen):
    frozen.set(GRACE_OVER)
    mark_no_shows()
    frozen.set("2027-03-02T09:40:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking.id}/check-in",
                           json={"code": daily_code(space, date(2027, 3, 2))})
    assert response.status_code == 409 and "released at 09:30" in response.json["detail"]
