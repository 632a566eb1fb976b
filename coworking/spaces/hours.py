"""When a space is open: weekly hours, closures, and its state's public holidays."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from flask_babel import lazy_gettext as _l

from coworking.clock import lenient_local_to_utc


@lru_cache(maxsize=256)
def public_holidays(state, year):
    """The state's public holidays of one year, named in German: {date: name}."""
    return dict(holidays.Germany(subdiv=state, years=year, language="de"))


@dataclass
class OpenDay:
    """One local date of a space: its opening intervals in UTC, or why it is closed."""

    day: date
    intervals: list = field(default_factory=list)
    closed_reason: str | None = None

    @property
    def is_open(self):
        return bool(self.intervals)


def closure_reason(space, day, closures):
    """Why `space` is closed all day on `day`, or None. `closures` may cover other days too."""
    for closure in closures:
        if closure.start_date <= day <= closure.end_date:
            return closure.reason or str(_l("closed"))
    if space.public_holidays_closed:
        name = public_holidays(space.town.state, day.year).get(day)
        if name:
            return name
    return None


def open_day(space, day, closures):
    """Opening intervals of `space` on local date `day`, honouring closures and holidays.

    `space.opening_hours` and `closures` must already be loaded: callers fetch them for a
    whole range at once, so this never queries.
    """
    reason = closure_reason(space, day, closures)
    if reason:
        return OpenDay(day, [], reason)
    zone = space.zone
    intervals = [
        (
            lenient_local_to_utc(datetime.combine(day, hours.opens), zone),
            lenient_local_to_utc(datetime.combine(day, hours.closes), zone),
        )
        for hours in space.opening_hours
        if hours.weekday == day.weekday()
    ]
    return OpenDay(day, sorted(intervals), None if intervals else "regular")


def days_from(first_day, count):
    return [first_day + timedelta(days=offset) for offset in range(count)]
