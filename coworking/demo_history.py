"""Plausible past use of the pilot spaces, so the dashboards and the research export show
something on a fresh installation: `seed-demo --history DAYS`.

A few dozen history members (accounts nobody can sign in to) and the demo members, each with a
home space, a rhythm of days a week and favourite weekdays, book desks more often mid-week and in
winter than on Fridays and in August, and more as the pilot grows. Most come and are checked in;
some cancel ahead, some do not come, some walk in. A member who consented to the research has
profile answers.

Everything follows from a fixed seed per member and day, and a day a member already has any
booking on is left alone: running it again adds nothing, and a longer history adds only the
days before."""
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coworking import clock
from coworking.accounts.models import User, UserRole
from coworking.accounts.research_profile import (
    COMMUTE_BANDS,
    EMPLOYMENT,
    RESIDENCE,
    WORK_MODES,
    ResearchProfile,
)
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit, VisitMethod
from coworking.database import use_case
from coworking.extensions import db
from coworking.spaces.hours import open_day
from coworking.spaces.models import Resource, ResourceKind, Space
from coworking.spaces.service import closures_between

HISTORY_MEMBERS = 80
FIRST_NAMES = ["Anke", "Bernd", "Carla", "Dirk", "Elif", "Frank", "Greta", "Hannes", "Ilse",
               "Jonas", "Katrin", "Lars", "Maren", "Nils", "Olga", "Paul", "Rieke", "Sven",
               "Tanja", "Uwe"]
LAST_NAMES = ["Albrecht", "Brandt", "Claussen", "Dietrich", "Engel", "Fuchs", "Graf", "Hahn",
              "Iversen", "Jansen", "Kraus", "Lorenz", "Möller", "Nowak", "Otto", "Petersen"]
# Relative chance of coming in, Monday first, and by month (January first).
WEEKDAY_WEIGHT = [0.8, 1.0, 1.1, 1.0, 0.6, 0.3, 0.1]
MONTH_WEIGHT = [1.1, 1.1, 1.05, 1.0, 0.95, 0.85, 0.7, 0.6, 0.95, 1.0, 1.05, 0.9]


def _member_rng(user_id, salt=""):
    return random.Random(f"history:{user_id}:{salt}")


def _history_members(today):
    """The history members, made when missing: (user, home space index, days a week)."""
    emails = [f"verlauf{n:02d}@example.org" for n in range(1, HISTORY_MEMBERS + 1)]
    existing = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.in_(emails)))}
    made = 0
    for number, email in enumerate(emails, start=1):
        if email in existing:
            continue
        rng = _member_rng(email)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        # Nobody signs in as a history member: the password matches nothing.
        user = User(email=email, name=name, password_hash="!", email_verified_at=None,
                    reminders=False)
        user.roles = [UserRole(role="member")]
        db.session.add(user)
        existing[email] = user
        made += 1
    db.session.flush()
    return [existing[email] for email in emails], made


def _profile(user, now):
    """Three in five consent to the research; their answers follow from their id."""
    rng = _member_rng(user.id, "profile")
    if rng.random() >= 0.6 or db.session.get(ResearchProfile, user.id) is not None:
        return 0
    db.session.add(ResearchProfile(
        user_id=user.id, consent=True, consented_at=now, updated_at=now,
        work_mode=rng.choices(list(WORK_MODES), weights=[6, 3, 1])[0],
        commute_km_band=rng.choices(list(COMMUTE_BANDS), weights=[1, 3, 4, 3, 1])[0],
        employment=rng.choices(list(EMPLOYMENT), weights=[5, 3, 3, 1, 1])[0],
        residence=rng.choices(list(RESIDENCE), weights=[6, 3, 1])[0]))
    return 1


def _taken_days(user_ids, first, last):
    """(user id, local date) of every booking the members already have in the range."""
    rows = db.session.execute(
        select(Booking.user_id, Booking.start_at, Space.timezone)
        .join(Booking.resource).join(Resource.space)
        .where(Booking.user_id.in_(user_ids),
               Booking.start_at >= datetime.combine(first, datetime.min.time(),
                                                    UTC) - timedelta(days=1),
               Booking.start_at < datetime.combine(last, datetime.min.time(),
                                                   UTC) + timedelta(days=2)))
    return {(user_id, start.astimezone(ZoneInfo(timezone)).date())
            for user_id, start, timezone in rows}


class _Desks:
    """Which hot desks of a space are still free when, on one day."""

    def __init__(self, desks, booked):
        self.busy = {desk.id: list(booked.get(desk.id, ())) for desk in desks}
        self.desks = desks

    def take(self, start, end):
        for desk in self.desks:
            if all(end <= s or start >= e for s, e in self.busy[desk.id]):
                self.busy[desk.id].append((start, end))
                return desk
        return None


def _booked_by_day(space, desks, first, last):
    """{local date: {desk id: [(start, end)]}} of the bookings the desks already have."""
    booked = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(
        select(Booking.resource_id, Booking.start_at, Booking.end_at)
        .where(Booking.resource_id.in_([desk.id for desk in desks]),
               Booking.status != BookingStatus.CANCELLED,
               Booking.start_at >= datetime.combine(first, datetime.min.time(), UTC)
               - timedelta(days=1),
               Booking.start_at < datetime.combine(last, datetime.min.time(), UTC)
               + timedelta(days=2)))
    for resource_id, start, end in rows:
        booked[start.astimezone(space.zone).date()][resource_id].append((start, end))
    return booked


def _visit(booking, user_id, space_id, rng, walk_in):
    came = booking.start_at + timedelta(minutes=0 if walk_in else rng.randint(-10, 25))
    left = booking.end_at - timedelta(minutes=rng.choice((0, 0, 15, 30, 45, 60)))
    method = VisitMethod.HOST if walk_in or rng.random() < 0.3 else VisitMethod.SELF
    out = VisitMethod.AUTO if left == booking.end_at else VisitMethod.SELF
    booking.checked_in_at, booking.checked_out_at = came, max(left, came + timedelta(minutes=15))
    booking.completed_at = booking.checked_out_at
    return Visit(space_id=space_id, user_id=user_id, booking=booking, checked_in_at=came,
                 checked_out_at=booking.checked_out_at, check_in_method=method,
                 check_out_method=out)


def _day_of(user, space, day, intervals, desks, rng, growth):
    """The booking (and visit) of `user` on `day` in `space`, or None when they stay away."""
    weight = WEEKDAY_WEIGHT[day.weekday()] * MONTH_WEIGHT[day.month - 1] * growth
    rhythm = _member_rng(user.id, "rhythm").choice((1, 2, 2, 3, 3, 4))
    if rng.random() >= rhythm / 5 * weight:
        return None
    opens, closes = intervals[0][0], intervals[-1][1]
    start = opens + timedelta(minutes=30 * rng.randint(0, 4))
    hours = rng.choice((3, 4, 5, 6, 8, 8, 9))
    end = min(start + timedelta(hours=hours), closes)
    if end <= start:
        return None
    desk = desks.take(start, end)
    if desk is None:
        return None
    outcome = rng.choices(("came", "cancelled", "no_show", "walk_in"),
                          weights=(80, 8, 5, 7))[0]
    walk_in = outcome == "walk_in"
    made = start if walk_in else start - timedelta(hours=rng.randint(2, 24 * 10))
    booking = Booking(user_id=user.id, resource_id=desk.id, start_at=start, end_at=end,
                      holds_desk=True, source="walk-in" if walk_in else rng.choice(
                          ("web", "web", "web", "api")),
                      created_at=made, confirmed_at=made, status=BookingStatus.COMPLETED)
    visit = None
    if outcome == "cancelled":
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = made + (start - made) * rng.uniform(0.2, 0.95)
        desks.busy[desk.id].remove((start, end))
    elif outcome == "no_show":
        booking.status = BookingStatus.NO_SHOW
        booking.no_show_at = start + timedelta(minutes=space.no_show_grace_minutes)
    else:
        visit = _visit(booking, user.id, space.id, rng, walk_in)
    return booking, visit


@use_case
def write_history(days, today=None):
    """Write `days` of past use up to yesterday; returns counts of what is new."""
    now = clock.utcnow()
    spaces = db.session.scalars(select(Space).order_by(Space.id)).all()
    if not spaces or days <= 0:
        return {"members": 0, "profiles": 0, "bookings": 0, "visits": 0}
    today = today or now.astimezone(spaces[0].zone).date()
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    members, made = _history_members(today)
    demo = db.session.scalars(select(User).where(User.email.in_(
        ("anna@example.org", "ben@example.org", "cem@example.org")))).all()
    everyone = members + list(demo)
    profiles = sum(_profile(user, now) for user in members)
    home = {user.id: _member_rng(user.id, "home").randrange(len(spaces)) for user in everyone}
    joined = {user.id: first + timedelta(days=int(days * _member_rng(user.id, "join").random()
                                                  ** 2 * 0.8)) for user in everyone}
    taken = _taken_days([user.id for user in everyone], first, last)
    counts = {"members": made, "profiles": profiles, "bookings": 0, "visits": 0}
    for index, space in enumerate(spaces):
        desks = db.session.scalars(
            select(Resource).where(Resource.space_id == space.id, Resource.active.is_(True),
                                   Resource.kind == ResourceKind.HOT_DESK)
            .order_by(Resource.name, Resource.id)).all()
        closures = closures_between(space, first, last)
        booked = _booked_by_day(space, desks, first, last) if desks else {}
        regulars = [user for user in everyone if home[user.id] == index]
        for offset in range(days):
            day = first + timedelta(days=offset)
            intervals = open_day(space, day, closures).intervals
            if not intervals or not desks:
                continue
            free = _Desks(desks, booked.get(day, {}))
            growth = 0.6 + 0.4 * offset / max(days - 1, 1)
            for user in regulars:
                if day < joined[user.id] or (user.id, day) in taken:
                    continue
                rng = _member_rng(user.id, day.isoformat())
                made_today = _day_of(user, space, day, intervals, free, rng, growth)
                if made_today is None:
                    continue
                booking, visit = made_today
                db.session.add(booking)
                counts["bookings"] += 1
                if visit is not None:
                    db.session.add(visit)
                    counts["visits"] += 1
        db.session.flush()
    # A member is new in the month of their first day, as the research counts them.
    for user in members:
        user.created_at = min(user.created_at, datetime.combine(
            joined[user.id], datetime.min.time(), UTC))
    return counts
