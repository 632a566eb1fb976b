"""A small fixed world for the research figures, computed by hand in the tests: one space
with two desks open every day 08:00–18:00 (Brandenburg's holidays closed), members u1..u5,
and a week that ends with the change to summer time (Sunday 2027-03-28, also Easter)."""
from dataclasses import dataclass
from datetime import datetime

import pytest

from coworking.accounts.research_profile import ResearchProfile
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit, VisitMethod
from coworking.extensions import db
from tests.factories import resources_of


def at(iso):
    return datetime.fromisoformat(iso)


@dataclass
class Week:
    space: object
    members: dict
    bookings: list
    visits: list


def add_booking(user, desk, start, end, status, **stamps):
    booking = Booking(user_id=user.id, resource_id=desk.id, start_at=at(start), end_at=at(end),
                      status=status, holds_desk=True, source=stamps.pop("source", "web"),
                      created_at=at("2027-03-01T07:00:00+01:00"), **stamps)
    db.session.add(booking)
    db.session.flush()
    return booking


def add_visit(user, space, came, left, booking=None):
    visit = Visit(space_id=space.id, user_id=user.id, booking_id=booking.id if booking else None,
                  checked_in_at=at(came), checked_out_at=at(left) if left else None,
                  check_in_method=VisitMethod.HOST,
                  check_out_method=VisitMethod.HOST if left else None)
    db.session.add(visit)
    return visit


@pytest.fixture
def dst_week(app, make_space, make_user):
    space = make_space(slug="pendlerhafen", desks=2, rooms=1)
    desk1, desk2 = resources_of(space)
    u = {n: make_user(email=f"u{n}@example.org", name=f"Person Number{n}", covered=False)
         for n in range(1, 6)}
    confirmed = at("2027-03-01T08:00:00+01:00")
    b1 = add_booking(u[1], desk1, "2027-03-22T09:00:00+01:00", "2027-03-22T12:00:00+01:00",
                     BookingStatus.COMPLETED, confirmed_at=confirmed,
                     checked_in_at=at("2027-03-22T09:00:00+01:00"),
                     completed_at=at("2027-03-22T11:00:00+01:00"))
    add_booking(u[2], desk2, "2027-03-22T10:00:00+01:00", "2027-03-22T14:00:00+01:00",
                BookingStatus.CONFIRMED, confirmed_at=confirmed)
    add_booking(u[3], desk2, "2027-03-22T15:00:00+01:00", "2027-03-22T17:00:00+01:00",
                BookingStatus.NO_SHOW, confirmed_at=confirmed,
                no_show_at=at("2027-03-22T15:30:00+01:00"))
    add_booking(u[1], desk1, "2027-03-23T09:00:00+01:00", "2027-03-23T10:00:00+01:00",
                BookingStatus.CANCELLED, confirmed_at=confirmed,
                cancelled_at=at("2027-03-22T09:00:00+01:00"))
    # A payment hold that ran out: never a booking.
    add_booking(u[5], desk1, "2027-03-24T09:00:00+01:00", "2027-03-24T10:00:00+01:00",
                BookingStatus.CANCELLED, hold_until=at("2027-03-01T07:30:00+01:00"),
                cancelled_at=at("2027-03-01T07:30:00+01:00"))
    visits = [
        add_visit(u[1], space, "2027-03-22T09:00:00+01:00", "2027-03-22T11:00:00+01:00", b1),
        add_visit(u[2], space, "2027-03-23T13:00:00+01:00", "2027-03-23T14:30:00+01:00"),
        add_visit(u[4], space, "2027-03-27T23:00:00+01:00", "2027-03-27T23:45:00+01:00"),
        # Half past midnight on Monday in summer time: still Sunday 22:30 in UTC.
        add_visit(u[1], space, "2027-03-29T00:30:00+02:00", "2027-03-29T01:30:00+02:00"),
        # Still present: counted as a visit, not in hours or presence.
        add_visit(u[3], space, "2027-03-30T09:00:00+02:00", None),
    ]
    db.session.add_all([
        ResearchProfile(user_id=u[1].id, consent=True, consented_at=confirmed,
                        work_mode="commute", commute_km_band="10-25", employment="commuter",
                        residence="town"),
        ResearchProfile(user_id=u[2].id, consent=True, consented_at=confirmed,
                        withdrawn_at=at("2027-03-10T08:00:00+01:00"), work_mode="home_office",
                        commute_km_band="50-100"),
    ])
    db.session.commit()
    return Week(space, u, [b1], visits)
