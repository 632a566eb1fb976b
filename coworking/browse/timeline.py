"""A day as one timeline per resource (free, taken, the member's own, over), and a week as the
free time per day and resource: what the space's page shows, computed from `availability`.

Positions are percentages of the day's span from first opening to last closing, in real
elapsed time (a day with a clock change is an hour shorter or longer). Pages place stretches
with the classes `at-N` (left edge) and `w-N` (width), N in half percent steps (0..200): CSP
forbids inline styles, and half a percent is under two pixels on a phone and four on a laptop.
Both edges are rounded, not the width, so neighbouring stretches meet without gaps.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from coworking import clock
from coworking.bookings.availability import free_slots

FREE, TAKEN, MINE, PAST, CLOSED = "free", "taken", "mine", "past", "closed"
STEPS = 200  # classes at-0..at-200 and w-0..w-200 in app.css: half a percent each


def _step_of(percent):
    return round(percent * STEPS / 100)


@dataclass
class Stretch:
    """[start, end) of one resource in one state; `booking` is the member's own for MINE."""

    start: datetime
    end: datetime
    state: str
    booking: object = None
    at: float = 0.0  # percent of the day's span where it starts
    width: float = 0.0  # percent of the day's span it covers

    @property
    def css(self):
        """`at-N w-M`: the position as classes, edges rounded to the same half percents as
        the neighbours' edges."""
        left = _step_of(self.at)
        return f"at-{left} w-{_step_of(self.at + self.width) - left}"


@dataclass
class Tick:
    """An hour label on the time axis."""

    instant: datetime
    at: float

    @property
    def css(self):
        return f"at-{_step_of(self.at)}"


@dataclass
class Timeline:
    opens: datetime | None
    closes: datetime | None
    ticks: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(resource, [Stretch])]


def _slot_state(start, end, free, own, taken, now):
    """The state of the slot [start, end) and the member's booking in it, if any."""
    if start in free:
        return FREE, None
    booking = next((b for b in own if b.start_at < end and start < b.end_at), None)
    if booking is not None:
        return MINE, booking
    if start < now or not any(a < end and start < b for a, b in taken):
        # Begun, or no longer bookable (notice): over either way, whoever had it.
        return PAST, None
    return TAKEN, None


def _merge(slots):
    """Neighbouring slots in one state (and of one booking) become one stretch; a gap between
    them (a lunch break, the rest of an interval shorter than a slot) is CLOSED."""
    stretches = []
    for start, end, state, booking in slots:
        last = stretches[-1] if stretches else None
        if last is not None and last.end < start:
            stretches.append(Stretch(last.end, start, CLOSED))
            last = stretches[-1]
        if last is not None and last.state == state and last.booking is booking:
            last.end = end
        else:
            stretches.append(Stretch(start, end, state, booking))
    return stretches


def _hour_ticks(opens, closes, zone, span):
    """Every full local hour inside (opens, closes), stepped in real time, so the day of a
    clock change shows the hour it skips or repeats as it is."""
    local = opens.astimezone(zone)
    first = local.replace(minute=0, second=0, microsecond=0)
    instant = clock.ceil_to(opens, first.astimezone(opens.tzinfo), timedelta(hours=1))
    ticks = []
    while instant < closes:
        ticks.append(Tick(instant, (instant - opens) / span * 100))
        instant += timedelta(hours=1)
    return ticks


def day_timeline(space, day_availability, own_bookings=(), now=None):
    """Rows for the day view: for each resource its stretches across the day's opening span,
    free (bookable from their start), taken, the member's own (one of `own_bookings`, named
    with it), over (begun, or too soon to book) and closed (a break between opening hours)."""
    now = now or clock.utcnow()
    intervals = day_availability.intervals
    if not intervals:
        return Timeline(None, None)
    opens, closes = intervals[0][0], intervals[-1][1]
    span = closes - opens
    step = timedelta(minutes=space.slot_minutes)
    rows = []
    for rd in day_availability.resources:
        free = set(free_slots(rd, step))
        own = [b for b in own_bookings if b.resource_id == rd.resource.id]
        slots = []
        for start_of_interval, end_of_interval in intervals:
            start = start_of_interval
            while start + step <= end_of_interval:
                slots.append((start, start + step,
                              *_slot_state(start, start + step, free, own, rd.taken, now)))
                start += step
        stretches = _merge(slots)
        if stretches and stretches[0].start > opens:
            stretches.insert(0, Stretch(opens, stretches[0].start, CLOSED))
        if stretches and stretches[-1].end < closes:
            stretches.append(Stretch(stretches[-1].end, closes, CLOSED))
        for stretch in stretches:
            stretch.at = (stretch.start - opens) / span * 100
            stretch.width = (stretch.end - stretch.start) / span * 100
        rows.append((rd.resource, stretches))
    return Timeline(opens, closes, _hour_ticks(opens, closes, space.zone, span), rows)


# The week: one card per day.
PAST_DAY, CLOSED_DAY, LATER_DAY, OVER_TODAY, OPEN_DAY = "past", "closed", "later", "over", "open"


@dataclass
class WeekDay:
    day: date
    state: str
    closed_reason: str | None = None
    free_from: datetime | None = None  # today: the first bookable instant
    resources: list = field(default_factory=list)  # [(resource, free minutes)]
    # How many are free for all of the bookable hours, and the fullest hour: (start, end,
    # how many are free for all of it), None while every hour has as many free as the day.
    free_all_day: int = 0
    fullest: tuple | None = None

    @property
    def resources_free(self):
        return sum(1 for _resource, minutes in self.resources if minutes)


def _covers(free, start, end):
    return any(a <= start and end <= b for a, b in free)


def _fullness(d, since):
    """(free all day, fullest hour) of an open day from `since` on: what "free: 2 of 10"
    must mean on a day whose desks are all taken from ten to two. The fullest hour is None
    while nothing is taken at all."""
    stretches = [(max(opens, since), closes) for opens, closes in d.intervals if closes > since]
    all_day = sum(1 for rd in d.resources if all(_covers(rd.free, a, b) for a, b in stretches))
    fullest = None
    for a, b in stretches:
        at = a
        while at < b:
            end = min(at + timedelta(hours=1), b)
            free = sum(1 for rd in d.resources if _covers(rd.free, at, end))
            if fullest is None or free < fullest[2]:
                fullest = (at, end, free)
            at = end
    if fullest is not None and fullest[2] == len(d.resources):
        fullest = None
    return all_day, fullest


def _first_bookable(space, intervals, now):
    """The first slot start on the grid that the notice period still allows, or None."""
    step = timedelta(minutes=space.slot_minutes)
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    for opens, closes in intervals:
        start = opens if earliest <= opens else clock.ceil_to(earliest, opens, step)
        if start + step <= closes:
            return start
    return None


def week_days(space, days, today, now=None):
    """Per day of `days` (from `availability`) what is true of it: over (a past day, or today
    once nothing is left to book), closed (with its reason), not bookable yet (beyond the
    horizon), or open with the bookable minutes left per resource (zero: booked up)."""
    now = now or clock.utcnow()
    step = timedelta(minutes=space.slot_minutes)
    last = today + timedelta(days=space.horizon_days)
    week = []
    for d in days:
        if d.day < today:
            week.append(WeekDay(d.day, PAST_DAY))
        elif not d.is_open:
            week.append(WeekDay(d.day, CLOSED_DAY, d.closed_reason))
        elif d.day > last:
            week.append(WeekDay(d.day, LATER_DAY))
        else:
            free_from = None
            if d.day == today:
                free_from = _first_bookable(space, d.intervals, now)
                if free_from is None:
                    week.append(WeekDay(d.day, OVER_TODAY))
                    continue
                if free_from <= d.intervals[0][0]:
                    free_from = None  # the whole day is still ahead
            minutes = [(rd.resource, len(free_slots(rd, step)) * space.slot_minutes)
                       for rd in d.resources]
            all_day, fullest = _fullness(d, free_from or d.intervals[0][0])
            week.append(WeekDay(d.day, OPEN_DAY, free_from=free_from, resources=minutes,
                                free_all_day=all_day, fullest=fullest))
    return week
