"""Booking states: labels in both languages, the transitions each state allows, and who may
cancel until when."""
from datetime import datetime

import pytest
from flask_babel import force_locale

from coworking.bookings import service
from coworking.bookings.models import Booking, BookingSource, BookingStatus
from coworking.errors import Conflict
from coworking.extensions import db
from tests.factories import resources_of

S = BookingStatus


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


def at(text, day="2027-03-02"):
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


def test_every_status_has_a_german_and_an_english_label(app):
    with app.test_request_context():
        with force_locale("de"):
            assert [str(s.label) for s in S] == ["Zahlung ausstehend", "bestätigt", "eingecheckt",
                                                 "abgeschlossen", "storniert", "nicht erschienen"]
        with force_locale("en"):
            assert str(S.NO_SHOW.label) == "no-show"


def test_the_database_refuses_a_status_that_does_not_exist(space, make_user):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError, StatementError

    booking = service.book(make_user(), resources_of(space)[0].id, at("09:00"), at("10:00"))
    with pytest.raises((IntegrityError, StatementError)):
        db.session.execute(text("UPDATE booking SET status = 'lost' WHERE id = :id"),
                           {"id": booking.id})
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_a_source_that_does_not_exist(space, make_user):
    """Where a booking was made is one of four, as the status is one of six: the database
    refuses anything else (a CHECK on PostgreSQL, a trigger on SQLite), whoever writes it."""
    from sqlalchemy import select, text
    from sqlalchemy.exc import IntegrityError

    booking = service.book(make_user(), resources_of(space)[0].id, at("09:00"), at("10:00"),
                           source="api")
    db.session.commit()
    with pytest.raises(IntegrityError, match="ck_booking_source"):
        db.session.execute(text("UPDATE booking SET source = 'fax' WHERE id = :id"),
                           {"id": booking.id})
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(Booking.source).where(Booking.id == booking.id)) == \
        BookingSource.API


def test_every_place_a_booking_comes_from_is_a_source(space, make_user):
    from coworking.bookings.series import SOURCE as SERIES
    from coworking.checkins.walk_ins import SOURCE as WALK_IN

    assert {SERIES, WALK_IN} <= set(BookingSource)
    booking = service.book(make_user(), resources_of(space)[0].id, at("09:00"), at("10:00"),
                           source=WALK_IN)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).source is BookingSource.WALK_IN


@pytest.mark.parametrize("transition, allowed_from, ends_in", [
    ("confirm", {S.PENDING_PAYMENT}, S.CONFIRMED),
    ("expire", {S.PENDING_PAYMENT}, S.CANCELLED),
    ("check_in", {S.CONFIRMED}, S.CHECKED_IN),
    ("check_out", {S.CHECKED_IN}, S.COMPLETED),
    ("mark_no_show", {S.CONFIRMED}, S.NO_SHOW),
    ("cancel", {S.PENDING_PAYMENT, S.CONFIRMED}, S.CANCELLED),
])
def test_each_transition_starts_only_from_its_states(app, transition, allowed_from, ends_in):
    now = at("09:00")
    for status in S:
        booking = Booking(status=status)
        if status in allowed_from:
            getattr(booking, transition)(now)
            assert booking.status == ends_in
        elif transition == "cancel" and status == S.CANCELLED:
            assert booking.cancel(now) is False  # idempotent
        else:
            with pytest.raises(Conflict):
                getattr(booking, transition)(now)
            assert booking.status == status
    from coworking import events

    events.discard(db.session())


def test_a_member_cannot_cancel_after_the_deadline_and_is_told_when_it_was(space, api, frozen):
    desk = resources_of(space)[0]
    member = api()
    booking = member.post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T11:00:00+01:00"}).json
    frozen.set("2027-03-02T08:00:00+01:00")  # exactly two hours before: still allowed
    assert db.session.get(Booking, booking["id"]).can_cancel(member.user, at("08:00"))
    frozen.set("2027-03-02T08:01:00+01:00")
    response = member.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert response.status_code == 409
    assert "120 minutes" in response.json["detail"] and "08:00" in response.json["detail"]
    assert member.get(f"/api/v1/bookings/{booking['id']}").json["status"] == "confirmed"


def test_the_host_may_still_cancel_after_the_deadline(space, api, frozen):
    desk = resources_of(space)[0]
    booking = api().post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T11:00:00+01:00"}).json
    frozen.set("2027-03-02T09:30:00+01:00")
    host = api(role="host", space=space)
    response = host.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert response.status_code == 200 and response.json["status"] == "cancelled"


def test_my_bookings_page_offers_cancelling_only_while_allowed(space, client, make_user, login,
                                                               frozen):
    member = make_user(email="web@example.org")
    login("web@example.org")
    desk = resources_of(space)[0]
    service.book(member, desk.id, at("10:00"), at("11:00"))
    assert "/cancel" in client.get("/bookings").get_data(as_text=True)
    frozen.set("2027-03-02T08:30:00+01:00")
    page = client.get("/bookings").get_data(as_text=True)
    assert "/cancel" not in page and "bestätigt" in page
