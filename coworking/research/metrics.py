"""Usage metrics per space and local day, ISO week or month, and the weekday x hour presence
matrix (see the codebook for each definition), from the sums per space and day of tally.py.

Rows are bucketed by the local date of the space (a visit at 00:30 local time belongs to that
day, not to the UTC day before). Weeks and months add up their days: sums are summed, the
members of the days united and the visit lengths merged before the median is taken.
"""
from coworking.research import calendar, sql
from coworking.research.tally import DayUse


def _median(lengths):
    """The middle length (or the mean of the two middle ones) of a {length: how many}."""
    total = sum(lengths.values())
    if not total:
        return None
    wanted = sorted({(total + 1) // 2, (total + 2) // 2})
    found = []
    seen = 0
    for length in sorted(lengths):
        seen += lengths[length]
        while wanted and wanted[0] <= seen:
            found.append(length)
            wanted.pop(0)
        if not wanted:
            break
    return sum(found) / len(found)


def _period_of(granularity):
    """Day number -> day number of the first day of its period."""
    if granularity == "day":
        return lambda day: day
    if granularity == "week":
        return lambda day: day - (day + 3) % 7
    return lambda day: sql.day_number(sql.day_of(day).replace(day=1))


def _added(uses):
    """The DayUse of a period: the sums summed, the members united, the lengths merged."""
    if len(uses) == 1:
        return uses[0]
    total = DayUse()
    for use in uses:
        total.members |= use.members
        total.visits += use.visits
        total.visit_seconds += use.visit_seconds
        total.lengths.update(use.lengths)
        total.bookings += use.bookings
        total.booked_seconds += use.booked_seconds
        total.cancellations += use.cancellations
        total.lead_seconds += use.lead_seconds
        total.leads += use.leads
        total.no_shows += use.no_shows
        total.new_members += use.new_members
    return total


def usage(tally, granularity):
    """{(space id, period day number): {metric: value}} of the usage side."""
    period_of = _period_of(granularity)
    starts = {}
    periods = {}
    for (space_id, day), use in tally.days.items():
        start = starts.get(day)
        if start is None:
            start = starts[day] = period_of(day)
        periods.setdefault((space_id, start), []).append(use)
    found = {}
    for key, uses in periods.items():
        use = _added(uses)
        if not use.members:
            continue  # only a payment hold or nothing: no row, as no member rests on it
        median = _median(use.lengths)
        found[key] = {
            "visits": use.visits,
            "visit_seconds": float(use.visit_seconds),
            "bookings": use.bookings,
            "booked_seconds": float(use.booked_seconds),
            "cancellations": use.cancellations,
            "lead_seconds": use.lead_seconds / use.leads if use.leads else None,
            "no_shows": use.no_shows,
            "unique_members": use.members.bit_count(),
            "new_members": use.new_members,
            "median_seconds": None if median is None else float(median),
        }
    return found


def presence(tally):
    """{(space id, weekday 0=Monday, hour): (present seconds, distinct members)} over the
    range: each finished visit split into the local clock hours it covers."""
    return {(space_id, cell // 24, cell % 24): (float(seconds), members)
            for (space_id, cell), (seconds, members) in tally.presence.items()}


def _hours(seconds):
    return round(seconds / 3600, 2)


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def space_metrics(scope, granularity, open_seconds, tally):
    """Rows of every space and period of the range (also periods without any use), before
    disclosure control; `whole` tells a period the range covers entirely from one it cuts.
    `open_seconds` from calendar.open_desk_seconds(scope), `tally` from tally.read."""
    found = usage(tally, granularity)
    open_per_period = {}
    starts = {}
    for (space_id, day), seconds in open_seconds.items():
        start = starts.get(day)
        if start is None:
            start = starts[day] = calendar.period_start(day, granularity)
        key = (space_id, start)
        open_per_period[key] = open_per_period.get(key, 0) + seconds
    # The periods, their day numbers and ends are alike for every space.
    periods = [(start, sql.day_number(start), calendar.period_end(start, granularity))
               for start in calendar.periods(scope.first, scope.last, granularity)]
    rows = []
    for space in scope.spaces:
        for start, number, end in periods:
            used = found.get((space.id, number), {})
            opened = open_per_period.get((space.id, start), 0)
            booked = used.get("booked_seconds", 0)
            visited = used.get("visit_seconds", 0)
            kept = used.get("bookings", 0) - used.get("cancellations", 0)
            lead = used.get("lead_seconds")
            median = used.get("median_seconds")
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
