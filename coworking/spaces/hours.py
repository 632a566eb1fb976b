"""When a space is open: weekly hours as they applied from their dates, closures of whole
days or part of one, its state's public holidays, and the day it opened."""
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from flask_babel import lazy_gettext as _l

from coworking.clock import lenient_local_to_utc


def local_midnight(space, day):
    """The instant local date `day` begins in the space's zone (on a night the clocks change,
    the wall-clock midnight that exists)."""
    return lenient_local_to_utc(datetime.combine(day, time()), space.zone)


@lru_cache(maxsize=256)
def public_holidays(state, year):
    """The state's public holidays of one year, named in German: {date: name}."""
    return dict(holidays.Germany(subdiv=state, years=year, language="de"))


@dataclass
class OpenDay:
    """One local date of a space: its opening intervals in UTC, or why it is closed.
    `closed_parts`: [(start, end, reason)] in UTC that a closure of part of the day took."""

    day: date
    intervals: list = field(default_factory=list)
    closed_reason: str | None = None
    closed_parts: list = field(default_factory=list)

    @property
    def is_open(self):
        return bool(self.intervals)


@dataclass(frozen=True)
class Schedule:
    """A space's weeks of hours in order of the dates they apply from: `starts[i]` is the
    first day of `weeks[i]` ({weekday: [(opens, closes), ...]}, local wall-clock), which
    applies until the next one's first day."""

    starts: tuple
    weeks: tuple

    def index_on(self, day):
        return bisect_right(self.starts, day) - 1

    def week_on(self, day):
        """The week in force on `day` ({} before the first)."""
        index = self.index_on(day)
        return self.weeks[index] if index >= 0 else {}

    def effective_from(self, day):
        index = self.index_on(day)
        return self.starts[index] if index >= 0 else None

    def next_change(self, day):
        """(first day, week) of the week to come after `day`, or None."""
        index = self.index_on(day) + 1
        return (self.starts[index], self.weeks[index]) if index < len(self.starts) else None

    def until(self, start):
        """The last day the week starting `start` applies (None: open-ended)."""
        index = bisect_right(self.starts, start)
        return self.starts[index] - timedelta(days=1) if index < len(self.starts) else None


def schedule_of(space):
    """The Schedule of `space` from its loaded `opening_hours` (every week): computed once by
    the callers that read many days, so a day costs one bisection."""
    return schedule_from((h.effective_from, h.weekday, h.opens, h.closes)
                         for h in space.opening_hours)


def schedule_from(rows):
    """A Schedule from (effective_from, weekday, opens, closes) rows in any order."""
    weeks = {}
    for effective_from, weekday, opens, closes in rows:
        weeks.setdefault(effective_from, {}).setdefault(weekday, []).append((opens, closes))
    starts = sorted(weeks)
    return Schedule(tuple(starts), tuple({day: sorted(intervals)
                                         for day, intervals in weeks[start].items()}
                                        for start in starts))


def hours_on(space, day):
    """The OpeningHours rows of the week in force on `day`, in order."""
    start = schedule_of(space).effective_from(day)
    return [hours for hours in space.opening_hours if hours.effective_from == start]


def not_open_yet(space, day):
    return space.opened_on is not None and day < space.opened_on


def closure_reason(space, day, closures):
    """Why `space` is closed all day on `day`, or None. `closures` may cover other days too.
    A closure's reason is in the visitor's language (`Closure.shown_reason`): a string that
    knows whether it is the German one standing in for a missing English one."""
    if not_open_yet(space, day):
        return str(_l("not open yet"))
    for closure in closures:
        if closure.start_time is None and closure.start_date <= day <= closure.end_date:
            return closure.shown_reason or str(_l("closed"))
    if space.public_holidays_closed:
        name = public_holidays(space.town.state, day.year).get(day)
        if name:
            return name
    return None


def _cut(intervals, start, end):
    """`intervals` without [start, end)."""
    kept = []
    for opens, closes in intervals:
        if end <= opens or start >= closes:
            kept.append((opens, closes))
            continue
        if opens < start:
            kept.append((opens, start))
        if end < closes:
            kept.append((end, closes))
    return kept


def open_day(space, day, closures, schedule=None):
    """Opening intervals of `space` on local date `day`, from the hours that applied that
    day, honouring closures (whole days or part of one), holidays and its opening day.

    `space.opening_hours` and `closures` must already be loaded: callers fetch them for a
    whole range at once, so this never queries; those reading many days pass `schedule`.
    """
    reason = closure_reason(space, day, closures)
    if reason:
        return OpenDay(day, [], reason)
    zone = space.zone
    week = (schedule or schedule_of(space)).week_on(day)
    intervals = [
        (lenient_local_to_utc(datetime.combine(day, opens), zone),
         lenient_local_to_utc(datetime.combine(day, closes), zone))
        for opens, closes in week.get(day.weekday(), ())
    ]
    parts = []
    for closure in closures:
        if closure.start_time is not None and closure.start_date == day:
            start = lenient_local_to_utc(datetime.combine(day, closure.start_time), zone)
            end = lenient_local_to_utc(datetime.combine(day, closure.end_time), zone)
            parts.append((start, end, closure.shown_reason or str(_l("closed"))))
            intervals = _cut(intervals, start, end)
    if parts and not intervals:
        return OpenDay(day, [], parts[0][2], parts)
    return OpenDay(day, intervals, None if intervals else "regular", parts)


def days_from(first_day, count):
    return [first_day + timedelta(days=offset) for offset in range(count)]
