"""VTIMEZONE components built from zoneinfo's own transitions.

icalendar 7.3's generated zone puts the spring-forward onset an hour late (it writes the wall
clock after the change, where RFC 5545 wants the wall clock before it), so the onsets are found
here by scanning zoneinfo and written as yearly rules where they follow one, else as RDATEs.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = timedelta(days=1)  # no zone changes its clocks twice within a day


@dataclass(frozen=True)
class Transition:
    """One change of a zone's offset or abbreviation."""

    at: datetime  # the UTC instant
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the abbreviation from then on, e.g. CEST
    daylight: bool  # summer time from then on

    @property
    def onset(self):
        """The wall clock as it reads just before the change: RFC 5545's DTSTART of an
        observance is local time in TZOFFSETFROM."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(zone, instant):
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname(), local.dst()


def _first_instant_of(zone, before, after, state):
    """The first whole second in (before, after] at which `zone` is in `state`."""
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _state(zone, datetime.fromtimestamp(middle, UTC)) == state:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


@lru_cache(maxsize=64)
def transitions(zone_name, first_year, last_year):
    """Every transition of `zone_name` from the start of `first_year` to the end of
    `last_year`, as zoneinfo knows them."""
    zone = ZoneInfo(zone_name)
    at, end = datetime(first_year, 1, 1, tzinfo=UTC), datetime(last_year + 1, 1, 1, tzinfo=UTC)
    state, found = _state(zone, at), []
    while at < end:
        following = min(at + _STEP, end)
        new_state = _state(zone, following)
        if new_state != state:
            found.append(Transition(_first_instant_of(zone, at, following, new_state),
                                    state[0], new_state[0], new_state[1], bool(new_state[2])))
        at, state = following, new_state
    return tuple(found)


def _rules_followed(onset):
    """The yearly rules (month, BYDAY, time) an onset fits: its weekday counted from the start
    of the month and, when it is the month's last such weekday, from the end."""
    weekday = WEEKDAYS[onset.weekday()]
    rules = {(onset.month, f"{(onset.day - 1) // 7 + 1}{weekday}", onset.time())}
    if (onset + timedelta(days=7)).month != onset.month:
        rules.add((onset.month, f"-1{weekday}", onset.time()))
    return rules


@dataclass
class _Run:
    """Onsets in consecutive years that one yearly rule describes."""

    changes: list
    rules: set

    def takes(self, change, rules):
        return (change.onset.year == self.changes[-1].onset.year + 1
                and bool(self.rules & rules))


def _runs(changes):
    runs = []
    for change in changes:
        rules = _rules_followed(change.onset)
        if runs and runs[-1].takes(change, rules):
            runs[-1].changes.append(change)
            runs[-1].rules &= rules
        else:
            runs.append(_Run([change], rules))
    return runs


def _observance(first, onsets=(), rule=None, until=None):
    component = TimezoneDaylight() if first.daylight else TimezoneStandard()
    component.add("dtstart", first.onset)
    if rule is not None:
        month, byday, _time = rule
        recurrence = {"freq": "YEARLY", "bymonth": month, "byday": byday}
        if until is not None:
            recurrence["until"] = until
        component.add("rrule", recurrence)
    if onsets:
        component.add("rdate", list(onsets))
    component.add("tzname", first.name)
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    return component


def _observances(changes, last_year):
    """Sub-components for `changes`: one per run of two or more years under one rule (open
    ended when it lasts to `last_year`, else until its last onset), and the onsets that
    follow no rule as RDATEs of one component per kind of change."""
    kinds = {}
    for change in changes:
        kinds.setdefault((change.daylight, change.offset_from, change.offset_to, change.name),
                         []).append(change)
    found = []
    for same_kind in kinds.values():
        single = []
        for run in _runs(same_kind):
            if len(run.changes) == 1:
                single.append(run.changes[0])
                continue
            rule = min(run.rules, key=lambda r: (not r[1].startswith("-"), r[1]))
            last = run.changes[-1]
            until = None if last.onset.year >= last_year else last.at
            found.append((run.changes[0].at, _observance(run.changes[0], rule=rule, until=until)))
        if single:
            found.append((single[0].at,
                          _observance(single[0], onsets=[c.onset for c in single[1:]])))
    return [component for _at, component in sorted(found, key=lambda item: item[0])]


def vtimezone(zone_name, first_year, last_year):
    """The VTIMEZONE of `zone_name`, right for every instant from the first transition in
    `first_year` on (choose the year before the first event) through `last_year`."""
    component = Timezone()
    component.add("tzid", zone_name)
    changes = transitions(zone_name, first_year, last_year)
    if changes:
        for observance in _observances(changes, last_year):
            component.add_component(observance)
        return component
    # A zone that keeps one offset throughout: a single observance from 1970 on.
    offset, name, dst = _state(ZoneInfo(zone_name), datetime(first_year, 1, 1, tzinfo=UTC))
    component.add_component(_observance(Transition(
        datetime(1970, 1, 1, tzinfo=UTC) - offset, offset, offset, name, bool(dst))))
    return component
