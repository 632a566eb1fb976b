"""Weekly opening hours, written per weekday as "08:00–12:00, 13:00–18:00", each week valid
from a date. A change that closes a time with bookings lists them first and settles them
(moved, shortened or cancelled) only once confirmed."""
import re
from datetime import time

from flask_babel import lazy_gettext as _l

from coworking import audit, clock
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.management.access import ConfirmationNeeded, space_to_manage
from coworking.management.affected import (
    checked_reason,
    outside_hours,
    require_confirmation,
    upcoming,
)
from coworking.management.hour_changes import (
    checked_choices,
    checked_on_conflict,
    resolve,
    settled,
)
from coworking.spaces.hours import open_day, schedule_of
from coworking.spaces.models import OpeningHours
from coworking.spaces.service import WEEKDAYS, closures_between, local_today

# Monday to Friday, 08:00 to 18:00: what a new space opens with unless told otherwise.
DEFAULT_HOURS = {day: [(time(8), time(18))] for day in range(5)}
MAX_INTERVALS = 6

_TIME = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?"
_INTERVAL = re.compile(rf"^\s*{_TIME}\s*(?:-|–|—|bis|to)\s*{_TIME}\s*(?:uhr)?\s*$", re.I)
FORMAT_MESSAGE = _l("Write the hours as 08:00–12:00, several separated by commas; leave the "
                    "field empty on a closed day.")


def _time(hours, minutes):
    hours, minutes = int(hours), int(minutes or 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValueError
    return time(hours, minutes)


def _interval_text(opens, closes):
    return f"{opens:%H:%M}–{closes:%H:%M}"


def _one_day(text, slot_minutes):
    """[(opens, closes), ...] in order, or the message saying what is wrong."""
    intervals = []
    for part in filter(str.strip, (text or "").split(",")):
        match = _INTERVAL.match(part)
        try:
            opens, closes = _time(*match.group(1, 2)), _time(*match.group(3, 4))
        except (AttributeError, ValueError):
            return FORMAT_MESSAGE
        if closes <= opens:
            return _l("%(interval)s: the closing time must be after the opening time.",
                      interval=part.strip())
        if (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute) < slot_minutes:
            return _l("%(interval)s is shorter than one booking slot (%(minutes)s minutes).",
                      interval=part.strip(), minutes=slot_minutes)
        intervals.append((opens, closes))
    if len(intervals) > MAX_INTERVALS:
        return _l("At most %(n)s opening intervals a day.", n=MAX_INTERVALS)
    intervals.sort()
    for first, second in zip(intervals, intervals[1:]):
        if second[0] <= first[1]:
            return _l("%(first)s and %(second)s overlap or touch; write them as one interval.",
                      first=_interval_text(*first), second=_interval_text(*second))
    return intervals


def tidied(texts, slot_minutes):
    """The texts with every day that can be read written as the app writes hours ("8-13"
    becomes "08:00–13:00"), so the host sees what was understood; a day that cannot be read
    stays as typed, beside its message."""
    result = {}
    for name, text in texts.items():
        parsed = _one_day(text, slot_minutes)
        result[name] = (", ".join(_interval_text(*interval) for interval in parsed)
                        if isinstance(parsed, list) else text)
    return result


def parse_week(texts, slot_minutes):
    """{weekday number: [(opens, closes), ...]} from {"monday": "08:00–18:00", ...};
    InvalidInput naming each weekday that cannot be read."""
    week, errors = {}, {}
    for number, name in enumerate(WEEKDAYS):
        parsed = _one_day(texts.get(name, ""), slot_minutes)
        if isinstance(parsed, list):
            if parsed:
                week[number] = parsed
        else:
            errors[name] = [parsed]
    if errors:
        raise InvalidInput(_l("Please check the marked days."), errors=errors)
    return week


def week_texts(hours):
    """{"monday": "08:00–18:00", ...} for the form and the audit log ("" when closed)."""
    by_day = {name: [] for name in WEEKDAYS}
    for entry in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        by_day[WEEKDAYS[entry.weekday]].append(_interval_text(entry.opens, entry.closes))
    return {name: ", ".join(parts) for name, parts in by_day.items()}


def described(week):
    """A parsed week as `week_texts` writes it."""
    return week_texts([OpeningHours(weekday=day, opens=a, closes=b)
                       for day, intervals in week.items() for a, b in intervals])


def checked_effective_from(space, effective_from):
    """The first day new hours apply: today unless told, never a day already begun."""
    today = local_today(space)
    if effective_from is None:
        return today
    if effective_from < today:
        raise InvalidInput(_l("New hours apply from today or a later day, not from the past."),
                           field="effective_from")
    return effective_from


def _rows(space, start):
    return [h for h in space.opening_hours if h.effective_from == start]


def hours_ahead(space):
    """(the week in force today with its first day, [(first day, week) of each change to
    come]): what the host pages show, weeks as `week_texts` writes them."""
    today = local_today(space)
    schedule = schedule_of(space)
    current = schedule.effective_from(today)
    ahead = [start for start in schedule.starts if start > today]
    return ((current, week_texts(_rows(space, current)) if current else week_texts([])),
            [(start, week_texts(_rows(space, start))) for start in ahead])


def hit_by_hours(space, week, first, last, now, lock=False):
    """Bookings still to come from local date `first` to `last` (None: open-ended) that no
    interval of `week` holds whole."""
    zone = space.zone
    ahead = [b for b in upcoming(space, now, lock=lock)
             if first <= b.start_at.astimezone(zone).date()
             and (last is None or b.start_at.astimezone(zone).date() <= last)]
    return outside_hours(ahead, space, week)


@use_case
def set_opening_hours(actor, slug, texts, reason="", confirmed=(), effective_from=None,
                      on_conflict="cancel", choices=None):
    """New weekly hours from `effective_from` (today unless told) until the next change
    already planned; the weeks before stay as they were, so past days keep their hours.

    Bookings still to come that the new hours no longer hold whole are listed
    (ConfirmationNeeded, nothing changed) when `on_conflict` is "refuse", or until the host
    confirms exactly them (`confirmed`; None: no confirmation asked, as in the API); then
    each is moved, shortened or cancelled (`choices` per booking id, else `on_conflict`) and
    its member told once. Returns (space, [{"booking_id", "outcome"}])."""
    reason = checked_reason(reason)
    on_conflict = checked_on_conflict(on_conflict)
    choices = checked_choices(choices)
    space = space_to_manage(actor, slug, lock=True)
    first = checked_effective_from(space, effective_from)
    week = parse_week(texts, space.slot_minutes)
    schedule = schedule_of(space)
    replaced = _rows(space, first)
    before, after = week_texts(replaced or _rows(space, schedule.effective_from(first))), \
        described(week)
    if before == after and (replaced or schedule.effective_from(first) is not None):
        return space, []
    last = schedule.until(first)
    affected = hit_by_hours(space, week, first, last, clock.utcnow(), lock=True)
    if affected and on_conflict == "refuse":
        raise ConfirmationNeeded(affected)
    if confirmed is not None:
        require_confirmation(affected, confirmed)
    space.opening_hours = [h for h in space.opening_hours if h.effective_from != first] + [
        OpeningHours(effective_from=first, weekday=day, opens=opens, closes=closes)
        for day, intervals in sorted(week.items()) for opens, closes in intervals]
    db.session.flush()
    resolved = []
    if affected:
        new_schedule = schedule_of(space)
        days = [b.start_at.astimezone(space.zone).date() for b in affected]
        closures = closures_between(space, min(days), max(days))
        resolved = resolve(actor, space, affected, on_conflict, choices, reason,
                           lambda day: open_day(space, day, closures, new_schedule))
    changed = [name for name in WEEKDAYS if before[name] != after[name]]
    audit.record(actor.id, "space.hours_changed", "space", space.id, space_id=space.id,
                 before={name: before[name] for name in changed},
                 after={name: after[name] for name in changed}
                 | ({"effective_from": first.isoformat()} if first != local_today(space) else {})
                 | settled(resolved, reason))
    return space, resolved
