"""Closures: whole days a space is shut (holidays of its own, a move, a renovation), or part
of one day (a meeting of the town council in the room). One over bookings lists them first
and settles them only once confirmed."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock
from coworking.database import use_case
from coworking.errors import InvalidInput, NotFound
from coworking.extensions import db
from coworking.formatting import medium_date
from coworking.management.access import ConfirmationNeeded, space_to_manage
from coworking.management.affected import (
    checked_reason,
    on_days,
    require_confirmation,
    upcoming,
)
from coworking.management.hour_changes import (
    checked_choices,
    checked_on_conflict,
    local_instant,
    resolve,
    settled,
)
from coworking.spaces.hours import open_day, schedule_of
from coworking.spaces.models import Closure
from coworking.spaces.service import closures_between

REASON_MAX = 200
LONGEST = timedelta(days=366)


def _checked(space, first, last, reason, start_time=None, end_time=None, reason_en=""):
    errors = {}
    today = clock.utcnow().astimezone(space.zone).date()
    if first is None:
        errors["start_date"] = [_l("Choose the first closed day.")]
    elif first < today:
        errors["start_date"] = [_l("A closure cannot begin in the past.")]
    if last is None:
        errors["end_date"] = [_l("Choose the last closed day.")]
    elif first is not None and last < first:
        errors["end_date"] = [_l("The last closed day cannot be before the first.")]
    elif first is not None and last - first >= LONGEST:
        errors["end_date"] = [_l("A closure lasts a year at most.")]
    if (start_time is None) != (end_time is None):
        errors["start" if start_time is None else "end"] = [
            _l("Give both the time it closes and the time it opens again, or neither.")]
    elif start_time is not None:
        if end_time <= start_time:
            errors["end"] = [_l("The end must be after the start.")]
        elif first is not None and last is not None and first != last:
            errors["end_date"] = [_l("A closure of part of a day covers one day.")]
        elif first is not None and not _within_hours(space, first, start_time, end_time):
            errors["start"] = [_l("%(space)s is not open then on that day; a closure of part "
                                  "of a day lies within the opening hours.", space=space.name)]
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        errors["reason"] = [_l("Say why it is closed (members see it), in at most %(n)s "
                               "characters.", n=REASON_MAX)]
    if not isinstance(reason_en, str) or len(reason_en.strip()) > REASON_MAX:
        errors["reason_en"] = [_l("The reason in English is text of at most %(n)s characters, "
                                  "or left out.", n=REASON_MAX)]
    if not errors:
        clash = next((c for c in db.session.scalars(select(Closure).where(
            Closure.space_id == space.id, Closure.start_date <= last, Closure.end_date >= first)
            .order_by(Closure.start_date, Closure.id))
            if c.start_time is None or start_time is None
            or (c.start_time < end_time and start_time < c.end_time)), None)
        if clash is not None:
            errors["start_date"] = [_l("%(space)s is already closed from %(first)s to %(last)s "
                                       "(%(reason)s).", space=space.name,
                                       first=medium_date(clash.start_date),
                                       last=medium_date(clash.end_date), reason=clash.reason)]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return reason, reason_en.strip()


def _within_hours(space, day, start_time, end_time):
    """Whether [start_time, end_time) meets the space's opening hours of local date `day`."""
    start = local_instant(space, day, start_time)
    end = local_instant(space, day, end_time)
    return any(opens < end and start < closes for opens, closes in
               open_day(space, day, closures_between(space, day, day)).intervals)


def _shown(closure):
    return {"start_date": closure.start_date.isoformat(), "end_date": closure.end_date.isoformat(),
            "reason": closure.reason} | ({"reason_en": closure.reason_en}
                                         if closure.reason_en else {}) | (
        {"start_time": f"{closure.start_time:%H:%M}", "end_time": f"{closure.end_time:%H:%M}"}
        if closure.start_time is not None else {})


def hit_by_closure(space, first, last, start_time, end_time, now, lock=False):
    """Bookings still to come on the closed days, or on the day within the closed time."""
    hit = on_days(upcoming(space, now, lock=lock), space, first, last)
    if start_time is None:
        return hit
    start = local_instant(space, first, start_time)
    end = local_instant(space, first, end_time)
    return [b for b in hit if b.start_at < end and start < b.end_at]


@use_case
def add_closure(actor, slug, first, last, reason, message="", confirmed=(), start_time=None,
                end_time=None, on_conflict="cancel", choices=None, reason_en=""):
    """Close the space from `first` to `last` (local dates, inclusive), or on one day from
    `start_time` to `end_time`. Bookings it hits are listed (ConfirmationNeeded, nothing
    changed) when `on_conflict` is "refuse", or until the host confirms exactly them
    (`confirmed`; None: not asked, as in the API); then each is moved, shortened or
    cancelled (`choices` per booking id, else `on_conflict`), and their members told
    `message` or else the reason (in English where `reason_en` gives it and they read
    English), once. Returns (closure, [{"booking_id", "outcome"}])."""
    message = checked_reason(message)
    on_conflict = checked_on_conflict(on_conflict)
    choices = checked_choices(choices)
    space = space_to_manage(actor, slug, lock=True)
    reason, reason_en = _checked(space, first, last, reason, start_time, end_time,
                                 reason_en if reason_en is not None else "")
    affected = hit_by_closure(space, first, last, start_time, end_time, clock.utcnow(),
                              lock=True)
    if affected and on_conflict == "refuse":
        raise ConfirmationNeeded(affected)
    if confirmed is not None:
        require_confirmation(affected, confirmed)
    closure = Closure(space_id=space.id, start_date=first, end_date=last, reason=reason,
                      reason_en=reason_en, start_time=start_time, end_time=end_time)
    db.session.add(closure)
    db.session.flush()
    resolved = []
    if affected:
        closures = closures_between(space, first, last)
        schedule = schedule_of(space)
        resolved = resolve(actor, space, affected, on_conflict, choices, message or reason,
                           lambda day: open_day(space, day, closures, schedule),
                           reason_en=None if message else reason_en)
    audit.record(actor.id, "closure.added", "closure", closure.id, space_id=space.id,
                 after=_shown(closure) | settled(resolved, None))
    return closure, resolved


@use_case
def remove_closure(actor, slug, closure_id):
    """Open those days again (bookings cancelled for it stay cancelled)."""
    space = space_to_manage(actor, slug, lock=True)
    closure = db.session.scalar(
        select(Closure).where(Closure.id == closure_id, Closure.space_id == space.id)
        .with_for_update()) if 0 < closure_id < 2**31 else None
    if closure is None:
        raise NotFound(_l("%(space)s has no closure %(id)s.", space=space.name, id=closure_id))
    audit.record(actor.id, "closure.removed", "closure", closure.id, space_id=space.id,
                 before=_shown(closure))
    db.session.delete(closure)
    return closure


def closures_ahead(space):
    """Closures not yet over, soonest first."""
    today = clock.utcnow().astimezone(space.zone).date()
    return db.session.scalars(
        select(Closure).where(Closure.space_id == space.id, Closure.end_date >= today)
        .order_by(Closure.start_date, Closure.id)).all()
