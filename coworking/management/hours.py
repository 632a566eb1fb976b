"""Weekly opening hours, written per weekday as "08:00–12:00, 13:00–18:00". A change that
closes a time with bookings lists them first and cancels them only once confirmed."""
import re
from datetime import time

from flask_babel import lazy_gettext as _l

from coworking import audit, clock
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.management.access import space_to_manage
from coworking.management.affected import (
    cancel_for_space, checked_reason, outside_hours, require_confirmation, upcoming,
)
from coworking.spaces.models import OpeningHours
from coworking.spaces.service import WEEKDAYS

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


@use_case
def set_opening_hours(actor, slug, texts, reason="", confirmed=()):
    """Replace the weekly hours. Bookings still to come that the new hours no longer hold
    whole are listed (ConfirmationNeeded, nothing changed) until the host confirms exactly
    them; then they are cancelled for the space, their members told why."""
    reason = checked_reason(reason)
    space = space_to_manage(actor, slug, lock=True)
    week = parse_week(texts, space.slot_minutes)
    before, after = week_texts(space.opening_hours), described(week)
    if before == after:
        return space, []
    affected = outside_hours(upcoming(space, clock.utcnow(), lock=True), space, week)
    require_confirmation(affected, confirmed)
    space.opening_hours = [OpeningHours(weekday=day, opens=opens, closes=closes)
                           for day, intervals in sorted(week.items())
                           for opens, closes in intervals]
    cancelled = cancel_for_space(actor, affected, reason)
    changed = [name for name in WEEKDAYS if before[name] != after[name]]
    audit.record(actor.id, "space.hours_changed", "space", space.id, space_id=space.id,
                 before={name: before[name] for name in changed},
                 after={name: after[name] for name in changed}
                 | ({"cancelled": cancelled, "reason": reason} if cancelled else {}))
    return space, cancelled
