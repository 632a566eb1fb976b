"""Booking and cancelling: conflicts, one desk per person, idempotent cancel, who sees what."""
import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2, rooms=1)


def slot(desk, start="09:00", end="10:00", day="2027-03-02"):
    return {"resource_id": desk.id, "start": f"{day}T{start}:00+01:00", "end": f"{day}T{end}:00+01:00"}


def test_an_overlapping_booking_of_the_same_desk_is_a_conflict(space, api):
    desk = resources_of(space)[0]
    assert api().post("/api/v1/bookings", json=slot(desk, "09:00", "11:00")).status_code == 201
    response = api().post("/api/v1/bookings", json=slot(desk, "10:30", "12:00"))
    assert response.status_code == 409
    assert "already booked" in response.json["detail"]
    assert api().post("/api/v1/bookings", json=slot(desk, "11:00", "12:00")).status_code == 201


def test_one_person_holds_one_desk_at_a_time_but_may_add_a_meeting_room(space, api):
    first, second = resources_of(space)
    (room,) = resources_of(space, "meeting_room")
    member = api()
    assert member.post("/api/v1/bookings", json=slot(first, "09:00", "12:00")).status_code == 201
    second_desk = member.post("/api/v1/bookings", json=slot(second, "11:00", "13:00"))
    assert second_desk.status_code == 409 and "one desk" in second_desk.json["detail"]
    assert member.post("/api/v1/bookings", json=slot(room, "10:00", "11:00")).status_code == 201
    assert member.post("/api/v1/bookings", json=slot(second, "12:00", "13:00")).status_code == 201


def test_the_database_itself_refuses_overlaps(space, make_user):
    """Even a write that skips the service cannot double-book (exclusion constraint / trigger)."""
    from datetime import UTC, datetime

    from sqlalchemy.exc import IntegrityError

    desk = resources_of(space)[0]
    alice, bob = make_user(), make_user()
    start, end = datetime(2027, 3, 2, 8, tzinfo=UTC), datetime(2027, 3, 2, 9, tzinfo=UTC)
    db.session.add(Booking(user_id=alice.id, resource_id=desk.id, start_at=start, end_at=end,
                           status="confirmed", holds_desk=True))
    db.session.commit()
    db.session.add(Booking(user_id=bob.id, resource_id=desk.id, start_at=start, end_at=end,
                           status="pending_payment", holds_desk=True))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # A cancelled booking holds nothing, and reviving it over a live one is refused too.
    cancelled = Booking(user_id=bob.id, resource_id=desk.id, start_at=start, end_at=end,
                        status="cancelled", holds_desk=True)
    db.session.add(cancelled)
    db.session.commit()
    cancelled.status = "confirmed"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cancelling_is_idempotent_and_frees_the_desk(space, api):
    desk = resources_of(space)[0]
    member = api()
    booking = member.post("/api/v1/bookings", json=slot(desk)).json
    first = member.post(f"/api/v1/bookings/{booking['id']}/cancel")
    again = member.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert first.status_code == again.status_code == 200
    assert first.json["status"] == again.json["status"] == "cancelled"
    cancelled_at = db.session.scalar(select(Booking.cancelled_at).where(Booking.id == booking["id"]))
    assert cancelled_at is not None
    assert api().post("/api/v1/bookings", json=slot(desk)).status_code == 201


def test_a_booking_that_is_over_cannot_be_cancelled(space, api, frozen):
    desk = resources_of(space)[0]
    member = api()
    booking = member.post("/api/v1/bookings", json=slot(desk)).json
    frozen.set("2027-03-02T10:30:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert response.status_code == 409
    assert member.get(f"/api/v1/bookings/{booking['id']}").json["status"] == "confirmed"


def test_another_members_booking_does_not_exist_for_you(space, api):
    desk = resources_of(space)[0]
    owner, stranger = api(), api()
    booking = owner.post("/api/v1/bookings", json=slot(desk)).json
    assert stranger.get(f"/api/v1/bookings/{booking['id']}").status_code == 404
    cancel = stranger.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert cancel.status_code == 404 and cancel.mimetype == "application/problem+json"
    assert owner.get(f"/api/v1/bookings/{booking['id']}").json["status"] == "confirmed"
    assert stranger.get("/api/v1/bookings").json == []
    assert stranger.get("/api/v1/bookings/999999").status_code == 404
    assert stranger.get("/api/v1/bookings/99999999999999999999").status_code == 404


def test_hosts_see_and_cancel_bookings_of_their_own_space_only(make_space, api, frozen):
    own, other = make_space(), make_space()
    host = api(role="host", space=own)
    member = api()
    mine = member.post("/api/v1/bookings", json=slot(resources_of(own)[0])).json
    theirs = member.post("/api/v1/bookings", json=slot(resources_of(other)[0], day="2027-03-03")).json
    assert host.get(f"/api/v1/bookings/{mine['id']}").status_code == 200
    assert host.get(f"/api/v1/bookings/{theirs['id']}").status_code == 404
    assert host.post(f"/api/v1/bookings/{theirs['id']}/cancel").status_code == 404
    assert [b["id"] for b in host.get(f"/api/v1/bookings?space={own.slug}").json] == [mine["id"]]
    assert host.get(f"/api/v1/bookings?space={other.slug}").status_code == 403
    assert member.get(f"/api/v1/bookings?space={own.slug}").status_code == 403
    assert host.post(f"/api/v1/bookings/{mine['id']}/cancel").json["status"] == "cancelled"


def test_admins_see_every_space(make_space, api, frozen):
    space = make_space()
    booking = api().post("/api/v1/bookings", json=slot(resources_of(space)[0])).json
    admin = api(role="admin")
    assert admin.get(f"/api/v1/bookings/{booking['id']}").status_code == 200
    assert len(admin.get(f"/api/v1/bookings?space={space.slug}").json) == 1


def test_my_bookings_are_listed_in_time_order(space, api):
    desk, other = resources_of(space)
    member = api()
    later = member.post("/api/v1/bookings", json=slot(desk, day="2027-03-04")).json
    earlier = member.post("/api/v1/bookings", json=slot(other, day="2027-03-03")).json
    assert [b["id"] for b in member.get("/api/v1/bookings").json] == [earlier["id"], later["id"]]
