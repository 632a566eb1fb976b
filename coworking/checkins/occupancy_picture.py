"""The occupancy picture hosts see: a week as a weekday × hour heatmap and the weeks before it
as a line, laid out here for server-rendered SVG (templates/checkins/_occupancy.html draws it).

`picture(space, day)` is all a page needs: the host's day page and the occupancy page both
include the same partial with it.
"""
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from coworking.checkins import occupancy
from coworking.spaces.hours import hours_on, local_midnight, open_day
from coworking.spaces.service import WEEKDAYS, closures_between

TREND_WEEKS = 8

# The heatmap: a column per weekday, a row per hour, a label column and a header row.
CELL_WIDTH, CELL_HEIGHT = 48, 28
LABEL_WIDTH, HEADER_HEIGHT = 44, 40

# The line: the plot area inside margins for the axis labels.
TREND_WIDTH, TREND_HEIGHT = 380, 200
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 44, 24, 12, 36
GRID_RATES = (0, 0.25, 0.5, 0.75, 1)


def level(rate):
    """The colour class of a rate: closed, none booked, or one of four quarters."""
    if rate is None:
        return "closed"
    if rate <= 0:
        return "l0"
    return f"l{min(4, math.ceil(rate * 4))}"  # (0, .25] is l1, (.25, .5] is l2, ...


@dataclass
class HeatCell:
    hour: int
    day: date
    period: occupancy.DeskTime
    x: int
    y: int

    @property
    def rate(self):
        return self.period.rate

    @property
    def level(self):
        return level(self.rate)


@dataclass
class HeatDay:
    day: date
    closed_reason: str | None  # a closure or holiday; "regular" when it has no hours that day
    x: int
    total: occupancy.DeskTime

    @property
    def name(self):
        return WEEKDAYS[self.day.weekday()]


@dataclass
class Heatmap:
    monday: date
    days: list
    hours: list
    rows: list  # [(hour, y, [HeatCell per day])]
    total: occupancy.DeskTime
    width: int
    height: int
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT


@dataclass
class TrendPoint:
    monday: date
    period: occupancy.DeskTime
    x: float
    y: float | None

    @property
    def rate(self):
        return self.period.rate

    @property
    def week(self):
        return self.monday.isocalendar().week

    @property
    def sunday(self):
        return self.monday + timedelta(days=6)


@dataclass
class Trend:
    points: list
    segments: list  # "x,y x,y ..." for each run of weeks with open time
    grid: list  # [(rate, y)]
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    left: int = TREND_LEFT
    right: int = TREND_WIDTH - TREND_RIGHT
    bottom: int = TREND_HEIGHT - TREND_BOTTOM


@dataclass
class Picture:
    space: object
    monday: date
    heatmap: Heatmap
    trend: Trend
    ids: dict = field(default_factory=dict)  # element ids, unique per space on a page


def monday_of(day: date):
    return day - timedelta(days=day.weekday())


def _shown_hours(space, periods_by_day, monday):
    """The local hours with open time on any day of the week; the usual opening hours when
    the whole week is closed."""
    hours = sorted({hour for day in periods_by_day for hour, period in enumerate(day)
                    if period.open_seconds})
    if hours:
        return hours
    return sorted({hour for h in hours_on(space, monday)
                   for hour in range(h.opens.hour, h.closes.hour + (1 if h.closes.minute else 0))})


def heatmap(space, monday, periods, closures):
    """Lay out one week of hourly periods (7 × 24, Monday 00:00 first) as a grid."""
    by_day = [periods[n * 24:(n + 1) * 24] for n in range(7)]
    hours = _shown_hours(space, by_day, monday)
    days = []
    for n, day_periods in enumerate(by_day):
        day = monday + timedelta(days=n)
        reason = open_day(space, day, closures).closed_reason
        days.append(HeatDay(day, reason, LABEL_WIDTH + n * CELL_WIDTH,
                            occupancy.total(day_periods)))
    rows = []
    for row, hour in enumerate(hours):
        y = HEADER_HEIGHT + row * CELL_HEIGHT
        rows.append((hour, y, [HeatCell(hour, days[n].day, by_day[n][hour], days[n].x, y)
                               for n in range(7)]))
    return Heatmap(monday, days, hours, rows, occupancy.total(periods),
                   LABEL_WIDTH + 7 * CELL_WIDTH, HEADER_HEIGHT + len(hours) * CELL_HEIGHT)


def _y(rate):
    plot = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    return round(TREND_TOP + (1 - min(rate, 1)) * plot, 1)


def trend(first_monday, periods):
    """Lay out weekly periods as a line; a week without open time breaks it."""
    plot = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    step = plot / max(len(periods) - 1, 1)
    points = [TrendPoint(first_monday + timedelta(weeks=n), period,
                         round(TREND_LEFT + n * step, 1),
                         None if period.rate is None else _y(period.rate))
              for n, period in enumerate(periods)]
    segments, run = [], []
    for point in points + [None]:
        if point is not None and point.y is not None:
            run.append(f"{point.x},{point.y}")
        elif run:
            segments.append(" ".join(run))
            run = []
    return Trend(points, segments, [(rate, _y(rate)) for rate in GRID_RATES])


def picture(space, day: date, weeks=TREND_WEEKS):
    """The week of `day` by weekday and hour, and the `weeks` weeks before it week by week:
    one pass over their bookings. `space.opening_hours` must be loaded."""
    monday = monday_of(day)
    first_monday = monday - timedelta(weeks=weeks)
    edges = occupancy.week_edges(space, first_monday, weeks)[:-1]
    for n in range(7):
        edges += occupancy.hour_edges(space, monday + timedelta(days=n))[:-1]
    edges.append(local_midnight(space, monday + timedelta(days=7)))
    periods = occupancy.desk_time(space, edges)
    closures = closures_between(space, monday, monday + timedelta(days=6))
    return Picture(space, monday, heatmap(space, monday, periods[weeks:], closures),
                   trend(first_monday, periods[:weeks]),
                   ids={name: f"occupancy-{name}-{space.slug}"
                        for name in ("heat-title", "heat-desc", "trend-title", "trend-desc")})
