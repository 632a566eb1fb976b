"""The calendar side of the metrics: which local periods a date range holds, and the open
desk time of each space per local day (opening hours times active desks, closures and closed
public holidays left out). Computed from the spaces' settings, never from usage rows."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from coworking.extensions import db
from coworking.research import sql
from coworking.spaces.hours import not_open_yet, open_day, public_holidays, schedule_from
from coworking.spaces.models import DESK_KINDS, Closure, OpeningHours, Resource, Space

GRANULARITIES = ("day", "week", "month")
# The longest range one request or export covers: a few years of a pilot programme.
MAX_DAYS = 3 * 366 + 1


def period_start(day, granularity):
    if granularity == "day":
        return day
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_end(start, granularity):
    """The last local day of the natural period that begins on `start`."""
    if granularity == "day":
        return start
    if granularity == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def whole_periods(first, last, granularity):
    """[first, last] widened outward to whole periods of `granularity`. Published figures
    only ever cover whole periods: a clipped one (a month's days before or after a date)
    would let a reader subtract two windows from a third and recover a suppressed day."""
    return period_start(first, granularity), period_end(period_start(last, granularity),
                                                        granularity)


def disclosure_range(first, last):
    """The days whose figures decide what [first, last] may publish: its whole months,
    widened to whole ISO weeks. Every period a day belongs to is then seen whole, so a day
    is hidden the same way whichever window inside those months asks for it."""
    first, last = whole_periods(first, last, "month")
    return whole_periods(first, last, "week")


def days(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def periods(first, last, granularity):
    """Start dates of the periods that meet [first, last], in order."""
    starts = []
    for day in days(first, last):
        start = period_start(day, granularity)
        if not starts or starts[-1] != start:
            starts.append(start)
    return starts


@dataclass(frozen=True)
class Scope:
    """The spaces and local dates [first, last] a computation covers, and the instants that
    bound them in every zone involved."""

    spaces: tuple
    first: date
    last: date

    @property
    def space_ids(self):
        return [space.id for space in self.spaces]

    @property
    def start(self):
        return min((sql.utc(self.first, space.zone) for space in self.spaces),
                   default=sql.utc(self.first, UTC))

    @property
    def end(self):
        return max((sql.utc(self.last + timedelta(days=1), space.zone) for space in self.spaces),
                   default=sql.utc(self.last + timedelta(days=1), UTC))

    def zones(self):
        """[(space ids, UTC offsets over the range)] per zone, for sql.local_seconds."""
        by_zone = {}
        for space in self.spaces:
            by_zone.setdefault(space.timezone, []).append(space.id)
        start, end = self.start - timedelta(days=1), self.end + timedelta(days=1)
        return [(ids, sql.offsets(ZoneInfo(name), start, end)) for name, ids in by_zone.items()]


def scope(first, last, slug=None):
    """The spaces (all, or the one named); their hours are read by open_desk_seconds."""
    query = select(Space).order_by(Space.slug)
    if slug is not None:
        query = query.where(Space.slug == slug)
    return Scope(tuple(db.session.scalars(query).all()), first, last)


def _desk_counter(desks):
    """A function of a local date giving how many of `desks` were in service that day: the
    desks without service dates count as a constant, the others day by day."""
    always = sum(1 for d in desks if d.in_service_until is None and d.in_service_from is None)
    dated = [d for d in desks if d.in_service_until is not None or d.in_service_from is not None]
    if not dated:
        return lambda _day: always
    return lambda day: always + sum(1 for d in dated if d.in_service_on(day))


def open_desk_seconds(scope):
    """{(space id, local date): open desk seconds} for every day of the scope, each day from
    the hours, desks and closures that applied that day (none before a space opened)."""
    desks = {}
    for desk in db.session.scalars(
            select(Resource).where(Resource.space_id.in_(scope.space_ids),
                                   Resource.kind.in_(DESK_KINDS),
                                   or_(Resource.active.is_(True),
                                       Resource.in_service_until.is_not(None)))):
        desks.setdefault(desk.space_id, []).append(desk)
    closures = {}
    for closure in db.session.scalars(
            select(Closure).where(Closure.space_id.in_(scope.space_ids),
                                  Closure.end_date >= scope.first,
                                  Closure.start_date <= scope.last)):
        closures.setdefault(closure.space_id, []).append(closure)
    # Every week of hours as plain rows: a year of changes is hundreds of them, and the
    # calendar needs their values only.
    rows = {}
    for space_id, *row in db.session.execute(
            select(OpeningHours.space_id, OpeningHours.effective_from, OpeningHours.weekday,
                   OpeningHours.opens, OpeningHours.closes)
            .where(OpeningHours.space_id.in_(scope.space_ids))):
        rows.setdefault(space_id, []).append(row)
    seconds = {}
    every_day = days(scope.first, scope.last)
    for space in scope.spaces:
        count = _desk_counter(desks.get(space.id, []))
        schedule = schedule_from(rows.get(space.id, ()))
        hours = _open_hours(space, every_day, closures.get(space.id, []), schedule)
        for day in every_day:
            seconds[(space.id, day)] = count(day) * hours(day)
    return seconds


def _open_hours(space, every_day, closures, schedule):
    """A function of a local date giving the seconds `space` was open (spaces.hours.open_day
    summed). An ordinary day (no closure, holiday or opening date, the same UTC offset at
    both midnights) is worked out once per week of hours, weekday and offset; every other
    day on its own."""
    special = {day for closure in closures
               for day in days(closure.start_date, closure.end_date)}
    if space.opened_on is not None:
        special.update(day for day in every_day if not_open_yet(space, day))
    if space.public_holidays_closed:
        state = space.town.state
        special.update(day for day in every_day
                       if day in public_holidays(state, day.year))
    zone = space.zone
    known = {}
    offsets = {}

    def offset(day):
        # Each midnight ends one day and begins the next: worked out once.
        found = offsets.get(day)
        if found is None:
            found = offsets[day] = datetime.combine(
                day, datetime.min.time()).replace(tzinfo=zone).utcoffset()
        return found

    def hours(day):
        key = None
        if day not in special:
            starts, ends = offset(day), offset(day + timedelta(days=1))
            if starts == ends:
                key = (schedule.index_on(day), day.weekday(), starts)
                if key in known:
                    return known[key]
        opened = open_day(space, day, closures, schedule)
        found = sum((closes - opens).total_seconds() for opens, closes in opened.intervals)
        if key is not None:
            known[key] = found
        return found

    return hours


def weekday_counts(first, last):
    """How many Mondays, Tuesdays, ... the range holds: {weekday: count}."""
    counts = dict.fromkeys(range(7), 0)
    for day in days(first, last):
        counts[day.weekday()] += 1
    return counts
