"""Usage metrics per space and local day, ISO week or month, and the weekday x hour presence
matrix, aggregated by the database (see the codebook for each definition).

Rows are bucketed by the local date of the space (a visit at 00:30 local time belongs to that
day, not to the UTC day before); sql.py keeps the queries the same on SQLite and PostgreSQL.
A handful of grouped queries per granularity, however many rows or periods there are.
"""
from sqlalchemy import and_, case, distinct, func, literal, or_, select, union, union_all

from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit
from coworking.extensions import db
from coworking.research import calendar, sql
from coworking.spaces.models import DESK_KINDS, Resource

COUNTED = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
# Visits are split into the clock hours they cover; none lasts longer than a day.
HOURS_A_VISIT_MAY_COVER = 25


def _in_range(local, scope):
    day = sql.day_of_local(local)
    return and_(day >= sql.day_number(scope.first), day <= sql.day_number(scope.last))


def _visits(scope, zones, granularity):
    """Visits checked in within the range: space, member, period, length in seconds (None
    while still present), whether a booking came first."""
    seconds_in = sql.epoch(Visit.checked_in_at)
    local = sql.local_seconds(seconds_in, Visit.space_id, zones)
    return (select(Visit.space_id, Visit.user_id,
                   sql.period_of_local(local, granularity).label("period"),
                   (sql.epoch(Visit.checked_out_at) - seconds_in).label("length"))
            .where(Visit.space_id.in_(scope.space_ids), Visit.checked_in_at >= scope.start,
                   Visit.checked_in_at < scope.end, _in_range(local, scope))
            .subquery("v"))


def _bookings(scope, zones, granularity):
    """Desk bookings that start within the range, payment holds that never became bookings
    left out: space, member, period, status, booked and cancellation lead seconds."""
    start = sql.epoch(Booking.start_at)
    local = sql.local_seconds(start, Resource.space_id, zones)
    kept_until = case((and_(Booking.status == BookingStatus.COMPLETED,
                            Booking.completed_at.is_not(None),
                            Booking.completed_at < Booking.end_at),
                       sql.epoch(Booking.completed_at)),
                      else_=sql.epoch(Booking.end_at))
    # A desk retired since counts for the days it was in service, as in the open desk time.
    counted_desk = or_(Resource.active.is_(True), Resource.in_service_until.is_not(None))
    booked = case((and_(Booking.status.in_(COUNTED), counted_desk,
                        kept_until > start), kept_until - start), else_=0)
    never_booked = and_(Booking.confirmed_at.is_(None),
                        Booking.status.in_((BookingStatus.PENDING_PAYMENT,
                                            BookingStatus.CANCELLED)))
    cancelled = and_(Booking.status == BookingStatus.CANCELLED,
                     Booking.confirmed_at.is_not(None))
    return (select(Resource.space_id, Booking.user_id,
                   sql.period_of_local(local, granularity).label("period"),
                   booked.label("booked"),
                   case((cancelled, 1), else_=0).label("cancelled"),
                   case((cancelled, start - sql.epoch(Booking.cancelled_at)),
                        else_=None).label("lead"),
                   case((Booking.status == BookingStatus.NO_SHOW, 1), else_=0).label("no_show"))
            .join(Resource, Resource.id == Booking.resource_id)
            .where(Resource.space_id.in_(scope.space_ids), Resource.kind.in_(DESK_KINDS),
                   Booking.start_at >= scope.start, Booking.start_at < scope.end,
                   _in_range(local, scope), ~never_booked)
            .subquery("b"))


def _new_members(scope, zones, granularity):
    """Members whose first visit to the space ever falls in the period."""
    first = (select(Visit.space_id, Visit.user_id,
                    func.min(Visit.checked_in_at).label("first_at"))
             .where(Visit.space_id.in_(scope.space_ids))
             .group_by(Visit.space_id, Visit.user_id).subquery("f"))
    local = sql.local_seconds(sql.epoch(first.c.first_at), first.c.space_id, zones)
    firsts = (select(first.c.space_id, sql.period_of_local(local, granularity).label("period"))
              .where(first.c.first_at >= scope.start, first.c.first_at < scope.end,
                     _in_range(local, scope)).subquery("n"))
    return select(firsts.c.space_id, firsts.c.period, func.count()) \
        .group_by(firsts.c.space_id, firsts.c.period)


def _median_lengths(visits):
    """The median visit length per space and period: the middle one (or the mean of the two
    middle ones) in order of length, by window functions both engines have."""
    finished = visits.c.length.is_not(None)
    ranked = (select(visits.c.space_id, visits.c.period, visits.c.length,
                     func.row_number().over(partition_by=(visits.c.space_id, visits.c.period),
                                            order_by=visits.c.length).label("n"),
                     func.count().over(partition_by=(visits.c.space_id, visits.c.period))
                     .label("total"))
              .where(finished).subquery("r"))
    middle = or_(ranked.c.n == (ranked.c.total + 1) // 2, ranked.c.n == (ranked.c.total + 2) // 2)
    return (select(ranked.c.space_id, ranked.c.period, func.avg(ranked.c.length))
            .where(middle).group_by(ranked.c.space_id, ranked.c.period))


def _grouped(query):
    return {(space_id, int(period)): rest for space_id, period, *rest in db.session.execute(query)}


def usage(scope, granularity):
    """{(space id, period day number): {metric: value}} of the usage side, from the database."""
    zones = scope.zones()
    visits = _visits(scope, zones, granularity)
    bookings = _bookings(scope, zones, granularity)
    visit_rows = _grouped(
        select(visits.c.space_id, visits.c.period, func.count(), func.sum(visits.c.length))
        .group_by(visits.c.space_id, visits.c.period))
    booking_rows = _grouped(
        select(bookings.c.space_id, bookings.c.period, func.count(), func.sum(bookings.c.booked),
               func.sum(bookings.c.cancelled), func.avg(bookings.c.lead),
               func.sum(bookings.c.no_show))
        .group_by(bookings.c.space_id, bookings.c.period))
    people = union(select(visits.c.space_id, visits.c.period, visits.c.user_id),
                   select(bookings.c.space_id, bookings.c.period, bookings.c.user_id)
                   ).subquery("m")
    member_rows = _grouped(select(people.c.space_id, people.c.period, func.count())
                           .group_by(people.c.space_id, people.c.period))
    new_rows = _grouped(_new_members(scope, zones, granularity))
    medians = _grouped(_median_lengths(visits))
    found = {}
    for key in set(visit_rows) | set(booking_rows) | set(member_rows):
        count, length = visit_rows.get(key, (0, None))
        made, booked, cancelled, lead, no_shows = booking_rows.get(key, (0, 0, 0, None, 0))
        found[key] = {
            "visits": count, "visit_seconds": float(length or 0),
            "bookings": made, "booked_seconds": float(booked or 0),
            "cancellations": int(cancelled or 0),
            "lead_seconds": None if lead is None else float(lead),
            "no_shows": int(no_shows or 0),
            "unique_members": member_rows.get(key, (0,))[0],
            "new_members": new_rows.get(key, (0,))[0],
            "median_seconds": None if key not in medians else float(medians[key][0]),
        }
    return found


def presence(scope):
    """{(space id, weekday 0=Monday, hour): (present seconds, distinct members)} over the
    range: each finished visit split into the local clock hours it covers."""
    zones = scope.zones()
    seconds_in, seconds_out = sql.epoch(Visit.checked_in_at), sql.epoch(Visit.checked_out_at)
    local_in = sql.local_seconds(seconds_in, Visit.space_id, zones)
    # Materialised: each visit's instants are read once, not once per clock hour it is
    # split into.
    visits = (select(Visit.space_id, Visit.user_id, seconds_in.label("came"),
                     seconds_out.label("left"))
              .where(Visit.space_id.in_(scope.space_ids), Visit.checked_in_at >= scope.start,
                     Visit.checked_in_at < scope.end, Visit.checked_out_at.is_not(None),
                     _in_range(local_in, scope))
              .cte("v").prefix_with("MATERIALIZED"))
    steps = union_all(*[select(literal(k).label("k"))
                        for k in range(HOURS_A_VISIT_MAY_COVER)]).subquery("steps")
    first_hour = visits.c.came // sql.HOUR * sql.HOUR
    hour_start = first_hour + steps.c.k * sql.HOUR
    hour_end = hour_start + sql.HOUR
    part = (case((visits.c.left < hour_end, visits.c.left), else_=hour_end)
            - case((visits.c.came > hour_start, visits.c.came), else_=hour_start))
    local = sql.local_seconds(hour_start, visits.c.space_id, zones)
    pieces = (select(visits.c.space_id, visits.c.user_id,
                     ((local // sql.DAY + 3) % 7).label("weekday"),
                     ((local % sql.DAY) // sql.HOUR).label("hour"),
                     part.label("seconds"))
              .select_from(visits)
              .join(steps, steps.c.k * sql.HOUR < visits.c.left - first_hour)
              .subquery("p"))
    rows = db.session.execute(
        select(pieces.c.space_id, pieces.c.weekday, pieces.c.hour, func.sum(pieces.c.seconds),
               func.count(distinct(pieces.c.user_id)))
        .group_by(pieces.c.space_id, pieces.c.weekday, pieces.c.hour))
    return {(space_id, int(weekday), int(hour)): (float(seconds), members)
            for space_id, weekday, hour, seconds, members in rows}


def _hours(seconds):
    return round(seconds / 3600, 2)


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def space_metrics(scope, granularity, open_seconds):
    """Rows of every space and period of the range (also periods without any use), before
    disclosure control; `whole` tells a period the range covers entirely from one it cuts.
    `open_seconds` from calendar.open_desk_seconds(scope)."""
    found = usage(scope, granularity)
    open_per_period = {}
    for (space_id, day), seconds in open_seconds.items():
        key = (space_id, calendar.period_start(day, granularity))
        open_per_period[key] = open_per_period.get(key, 0) + seconds
    rows = []
    for space in scope.spaces:
        for start in calendar.periods(scope.first, scope.last, granularity):
            used = found.get((space.id, sql.day_number(start)), {})
            opened = open_per_period.get((space.id, start), 0)
            booked = used.get("booked_seconds", 0)
            visited = used.get("visit_seconds", 0)
            kept = used.get("bookings", 0) - used.get("cancellations", 0)
            lead = used.get("lead_seconds")
            median = used.get("median_seconds")
            end = calendar.period_end(start, granularity)
            rows.append({
                "space": space.slug, "space_id": space.id, "granularity": granularity,
                # A period cut by the range is labelled with the days it really covers.
                "period_start": max(start, scope.first),
                "period_end": min(end, scope.last),
                "whole": scope.first <= start and end <= scope.last,
                "open_desk_hours": _hours(opened),
                "booked_desk_hours": _hours(booked),
                "occupancy_rate": _share(booked, opened),
                "visits": used.get("visits", 0),
                "visit_hours": _hours(visited),
                "utilisation": _share(visited, opened),
                "unique_members": used.get("unique_members", 0),
                "new_members": used.get("new_members", 0),
                "bookings": used.get("bookings", 0),
                "cancellations": used.get("cancellations", 0),
                "mean_cancellation_lead_hours": None if lead is None else _hours(lead),
                "no_shows": used.get("no_shows", 0),
                "no_show_rate": _share(used.get("no_shows", 0), kept),
                "median_visit_hours": None if median is None else _hours(median),
            })
    return rows
