"""The research dashboard, laid out for server-rendered SVG: occupancy per town and month as
lines, visits and members per month of one town as bars, and the weekday x hour presence of
that town as a heatmap. Only published (disclosure-controlled) figures are drawn; the same
numbers follow as tables (templates/research/dashboard.html)."""
import math
from dataclasses import dataclass
from datetime import date

from coworking.research import calendar, stats, tally

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 28, 16, 44  # room for "100 %" and the last month on a phone
GRID_RATES = (0, 0.25, 0.5, 0.75, 1)
# Colour classes series-0 .. series-7: the Okabe-Ito palette, told apart with any colour
# vision (app.css). Beyond eight spaces a dash pattern (dash-1, dash-2) keeps each distinct.
COLOURS = 8
DASHES = 3
# Room one month label needs on the axis, in chart units: 12-unit text on a wide screen,
# 20-unit text on a phone (app.css), where the chart is drawn at about half its size.
LABEL_ROOM = {"wide": 44, "phone": 64}
# Label every n-th month, n a divisor of 12, so that Januaries (which carry the year) stay.
STEPS = (1, 2, 3, 4, 6, 12)
HEAT_HOURS = range(6, 23)
CELL_WIDTH, CELL_HEIGHT, LABEL_WIDTH, HEADER_HEIGHT = 64, 24, 52, 28


@dataclass
class Point:
    x: float
    y: float | None
    value: object
    row: dict


@dataclass
class Line:
    space: object
    series: str
    points: list
    segments: list  # "x,y x,y ..." runs without a gap


def _x(index, count):
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (span * (index + 0.5) / count), 1)


def _y(fraction):
    return round(HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM), 1)


def _runs(points):
    runs, current = [], []
    for point in points:
        if point.y is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(f"{point.x},{point.y}")
    if current:
        runs.append(current)
    return [" ".join(run) for run in runs]


def series_class(n):
    """One look per space: its own colour, and a dash pattern once the colours run out."""
    dash = (n // COLOURS) % DASHES
    return f"series-{n % COLOURS}" + (f" dash-{dash}" if dash else "")


def _step(count, room, of=1):
    """The smallest step (a multiple of `of`) that leaves `room` between labels."""
    spacing = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return next((step for step in STEPS if step * spacing >= room and step % of == 0),
                STEPS[-1])


def month_labels(starts, xs):
    """Axis labels for the months at `xs`: every month that fits at its screen size, the
    Januaries and the first one with their year. `shown`: "all" (phones too) or "wide"
    (left out on phones, where the text is larger), months fitting neither have none."""
    # The phone's labels are a subset of the wide screen's, so both are evenly spaced.
    wide = _step(len(starts), LABEL_ROOM["wide"])
    phone = _step(len(starts), LABEL_ROOM["phone"], of=wide)
    january = next((i for i, start in enumerate(starts) if start.month == 1), 0)
    labels = []
    for index, (start, x) in enumerate(zip(starts, xs)):
        if (index - january) % phone == 0:
            shown = "all"
        elif (index - january) % wide == 0:
            shown = "wide"
        else:
            continue
        labels.append({"x": x, "month": start, "shown": shown,
                       "year": index == 0 or start.month == 1})
    # The first label shown, on either screen, names its year.
    for first in (labels[:1], [label for label in labels if label["shown"] == "all"][:1]):
        for label in first:
            label["year"] = True
    return labels


def occupancy_lines(scope, months):
    """One line per space: the monthly occupancy rate, broken where a month is suppressed
    or had nothing open."""
    starts = calendar.periods(scope.first, scope.last, "month")
    by_space = {}
    for row in months:
        by_space.setdefault(row["space"], {})[row["period_start"]] = row
    lines = []
    for n, space in enumerate(scope.spaces):
        points = []
        for index, start in enumerate(starts):
            row = by_space.get(space.slug, {}).get(start.isoformat(), {})
            rate = row.get("occupancy_rate")
            points.append(Point(_x(index, len(starts)),
                                None if rate is None else _y(min(rate, 1)), rate, row))
        lines.append(Line(space, series_class(n), points, _runs(points)))
    return {"lines": lines, "months": starts,
            "labels": month_labels(starts, [_x(i, len(starts)) for i in range(len(starts))]),
            "grid": [(rate, _y(rate)) for rate in GRID_RATES],
            "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "bottom": HEIGHT - BOTTOM}


def visit_bars(space, months):
    """Per month of one space two bars: visits, and distinct members (scaled alike)."""
    rows = [row for row in months if row["space"] == space.slug]
    tallest = max([row["visits"] or 0 for row in rows] + [1])
    scale = _nice(tallest)
    slot = (WIDTH - LEFT - RIGHT) / max(len(rows), 1)
    bar = min(slot * 0.38, 28)
    bars = []
    for index, row in enumerate(rows):
        x = LEFT + slot * index + slot / 2
        shown = []
        for offset, name in ((-bar, "visits"), (0, "unique_members")):
            value = row[name]
            height = 0 if value is None else (HEIGHT - TOP - BOTTOM) * value / scale
            shown.append({"name": name, "value": value, "x": round(x + offset, 1),
                          "y": round(HEIGHT - BOTTOM - height, 1), "width": round(bar, 1),
                          "height": round(height, 1)})
        bars.append({"row": row, "x": round(x, 1), "bars": shown})
    labels = month_labels([date.fromisoformat(row["period_start"]) for row in rows],
                          [group["x"] for group in bars])
    return {"groups": bars, "labels": labels, "grid": [(value, _y(value / scale))
                                     for value in _ticks(scale)],
            "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "bottom": HEIGHT - BOTTOM}


def _nice(value):
    """A round top for the axis at or above `value`."""
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ticks(top):
    return [round(top * n / 4) if top >= 4 else top * n / 4 for n in range(5)]


def heatmap(space, presence):
    """Weekday columns, hour rows from 06:00 to 22:00: mean people present, suppressed cells
    marked as such."""
    cells = {(row["weekday"], row["hour"]): row for row in presence
             if row["space"] == space.slug}
    highest = max([row["mean_present"] or 0 for row in cells.values()] + [0])
    rows = []
    for r, hour in enumerate(HEAT_HOURS):
        y = HEADER_HEIGHT + r * CELL_HEIGHT
        shown = []
        for weekday in range(7):
            row = cells.get((weekday, hour))
            value = None if row is None else row["mean_present"]
            if row is not None and row["suppressed"]:
                level = "suppressed"
            elif not value:
                level = "l0"
            else:
                level = f"l{min(4, math.ceil(4 * value / highest))}"
            shown.append({"weekday": weekday, "x": LABEL_WIDTH + weekday * CELL_WIDTH,
                          "value": value, "suppressed": bool(row and row["suppressed"]),
                          "level": level})
        rows.append((hour, y, shown))
    return {"rows": rows, "columns": [(weekday, LABEL_WIDTH + weekday * CELL_WIDTH)
                                      for weekday in range(7)],
            "width": LABEL_WIDTH + 7 * CELL_WIDTH,
            "height": HEADER_HEIGHT + len(HEAT_HOURS) * CELL_HEIGHT,
            "cell_width": CELL_WIDTH, "cell_height": CELL_HEIGHT}


def busiest(spaces, months):
    """The space with the most published visits in the range (then the most members): the
    one worth opening in detail. The first space when none has any."""
    totals = {}
    for row in months:
        visits, members = totals.get(row["space"], (0, 0))
        totals[row["space"]] = (visits + (row["visits"] or 0),
                                members + (row["unique_members"] or 0))
    return max(spaces, key=lambda space: totals.get(space.slug, (0, 0)), default=None)


def picture(scope, chosen=None):
    """Everything the dashboard draws for the range, `chosen` the space shown in detail
    (None: the busiest): the months and the presence from one pass over the rows."""
    found = tally.read(scope, presence=True)
    months = stats.space_metrics(scope, ("month",), tally=found)["month"]
    presence = stats.presence(scope, tally=found)
    chosen = chosen or busiest(scope.spaces, months)
    return {"months": months, "trend": occupancy_lines(scope, months), "chosen": chosen,
            "bars": visit_bars(chosen, months), "heat": heatmap(chosen, presence),
            "min_cell": stats.min_cell()}
