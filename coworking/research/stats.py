"""The published tables: metrics, presence, profile answers and commute, with disclosure
control applied (see disclosure.py), ready for the API, the dashboard and the data package.

Each takes the tally.Tally of its scope when the caller has one (an export or a dashboard
reads the rows once for all its tables), and reads what it needs itself otherwise."""
from flask import current_app

from coworking.research import calendar, disclosure, metrics, records, tally as passes

# Keys and the open desk time (a property of the space, not of its members) stay visible in
# a suppressed row.
METRIC_KEYS = ("space", "granularity", "period_start", "period_end", "open_desk_hours")
PRESENCE_KEYS = ("space", "weekday", "hour")


def min_cell():
    return current_app.config["RESEARCH_MIN_CELL"]


def space_metrics(scope, granularities=calendar.GRANULARITIES, tally=None):
    """{granularity: rows} for the asked granularities: the whole periods within the scope,
    in which calendar.whole_periods has already widened the asked dates.

    Days, weeks and months are computed together over calendar.disclosure_range: whether a
    day must be hidden depends on its whole week and month, never on where a window ends,
    so two windows that both show a day hide it alike."""
    k = min_cell()
    tally = tally or passes.read(scope)
    wide = tally.wide
    open_seconds = calendar.open_desk_seconds(wide)
    rows = {g: metrics.space_metrics(wide, g, open_seconds, tally)
            for g in calendar.GRANULARITIES}
    for found in rows.values():
        disclosure.primary(found, k)
    disclosure.secondary(_day_groups(rows))
    return {g: [_published(row) for row in rows[g] if _within(row, scope)]
            for g in granularities}


def _within(row, scope):
    return row["whole"] and scope.first <= row["period_start"] \
        and row["period_end"] <= scope.last


def _day_groups(rows):
    """The days of each whole published week and month of a space: they add up to it."""
    children = {}
    for day in rows["day"]:
        for parent in ("week", "month"):
            start = calendar.period_start(day["period_start"], parent)
            children.setdefault((day["space_id"], parent, start), []).append(day)
    return [children.get((row["space_id"], parent, row["period_start"]), [])
            for parent in ("week", "month") for row in rows[parent]
            if row["whole"] and not row["suppressed"]]


def _published(row):
    row = dict(row)
    row.pop("space_id")
    row.pop("whole")
    disclosure.blank(row, METRIC_KEYS)
    row["period_start"] = row["period_start"].isoformat()
    row["period_end"] = row["period_end"].isoformat()
    return row


def presence(scope, tally=None):
    """Rows per space, weekday (0 = Monday) and hour: the mean number of people present in
    that hour over the range's days of that weekday, and how many members that rests on."""
    k = min_cell()
    found = metrics.presence(tally or passes.read(scope, presence=True))
    weekdays = calendar.weekday_counts(scope.first, scope.last)
    groups = []
    rows = []
    for space in scope.spaces:
        cells = []
        for weekday in range(7):
            for hour in range(24):
                seconds, members = found.get((space.id, weekday, hour), (0.0, 0))
                if not members:
                    continue
                cells.append({"space": space.slug, "weekday": weekday, "hour": hour,
                              "mean_present": round(seconds / 3600 / weekdays[weekday], 3),
                              "unique_members": members})
        disclosure.primary(cells, k)
        groups.append(cells)
        rows += cells
    disclosure.secondary(groups)
    return [disclosure.blank(row, PRESENCE_KEYS) for row in rows]


def profiles(scope, tally):
    k = min_cell()
    rows = records.profile_counts(scope, tally)
    disclosure.primary(rows, k, members="members")
    groups = {}
    for row in rows:
        groups.setdefault((row["town"], row["question"]), []).append(row)
    disclosure.secondary(list(groups.values()), members="members")
    return [disclosure.blank(row, ("town", "question", "answer")) for row in rows]


def commute(scope, tally):
    k = min_cell()
    rows = records.commute(scope, tally)
    disclosure.primary(rows, k, members="members")
    return [disclosure.blank(row, ("town", "month")) for row in rows]
