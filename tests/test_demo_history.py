"""`seed-demo --history DAYS`: past use that looks like a pilot's, written once."""
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.accounts.research_profile import ResearchProfile
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit
from coworking.extensions import db


@pytest.fixture(autouse=True)
def no_demo_password_from_outside(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def history(runner, frozen):
    result = runner.invoke(args=["seed-demo", "--history", "120"])
    assert result.exit_code == 0, result.output
    assert "history of 120 day(s)" in result.output
    return result


def test_it_writes_past_use_once(history, runner):
    before = (count(Booking), count(Visit), count(User), count(ResearchProfile))
    assert before[0] > 300 and before[1] > 200
    again = runner.invoke(args=["seed-demo", "--history", "120"])
    assert "0 new booking(s)" in again.output
    assert (count(Booking), count(Visit), count(User), count(ResearchProfile)) == before


def test_it_is_all_in_the_past_and_consistent(history):
    bookings = db.session.scalars(select(Booking)).all()
    midnight = datetime.fromisoformat("2027-03-01T00:00:00+01:00")  # the frozen today
    assert max(b.end_at for b in bookings) <= midnight
    assert min(b.start_at for b in bookings) >= midnight - timedelta(days=120)
    statuses = Counter(b.status for b in bookings)
    assert statuses[BookingStatus.COMPLETED] > 10 * statuses[BookingStatus.NO_SHOW] / 2
    assert statuses[BookingStatus.CANCELLED] and statuses[BookingStatus.NO_SHOW]
    assert not {BookingStatus.CONFIRMED, BookingStatus.PENDING_PAYMENT} & set(statuses)
    visits = {v.booking_id: v for v in db.session.scalars(select(Visit))}
    for booking in bookings:
        assert (booking.id in visits) == (booking.status == BookingStatus.COMPLETED)
        if booking.status == BookingStatus.CANCELLED:
            assert booking.created_at < booking.cancelled_at < booking.start_at
    # No desk holds two people at once, and nobody sits at two desks at once.
    by_desk, by_member = defaultdict(list), defaultdict(list)
    for b in bookings:
        if b.status != BookingStatus.CANCELLED:
            by_desk[b.resource_id].append((b.start_at, b.end_at))
            by_member[b.user_id].append((b.start_at, b.end_at))
    for intervals in [*by_desk.values(), *by_member.values()]:
        intervals.sort()
        assert all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:]))


def test_mid_week_is_busier_than_saturday_and_some_walk_in(history):
    bookings = db.session.scalars(select(Booking)).all()
    weekdays = Counter(b.start_at.weekday() for b in bookings)
    assert weekdays[2] > 3 * weekdays[5]
    assert any(b.source == "walk-in" for b in bookings)


def test_history_members_cannot_sign_in_and_some_consented(history, client):
    member = db.session.scalar(select(User).where(User.email == "verlauf01@example.org"))
    assert member.password_hash == "!"
    assert client.post("/api/v1/auth/tokens", json={
        "email": "verlauf01@example.org", "password": "!"}).status_code == 401
    consented = db.session.scalars(select(ResearchProfile)).all()
    assert 10 < len(consented) < 80 and all(p.consent and p.residence for p in consented)


def test_a_longer_history_adds_only_the_earlier_days(history, runner, frozen):
    latest_before = db.session.scalar(select(func.min(Booking.start_at)))
    runner.invoke(args=["seed-demo", "--history", "150"])
    assert db.session.scalar(select(func.min(Booking.start_at))) < latest_before
    bad = runner.invoke(args=["seed-demo", "--history", "-3"])
    assert bad.exit_code == 2 and "-3" in bad.output
