"""Closures: whole days a space is shut (holidays of its own, a move, a renovation). One over
bookings lists them first and cancels them only once confirmed."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock
from coworking.database import use_case
from coworking.errors import InvalidInput, NotFound
from coworking.extensions import db
from coworking.formatting import medium_date
from coworking.management.access import space_to_manage
from coworking.management.affected import (
    cancel_for_space, checked_reason, on_days, require_confirmation, upcoming,
)
from coworking.spaces.models import Closure

REASON_MAX = 200
LONGEST = timedelta(days=366)


def _checked(space, first, last, reason):
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
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        errors["reason"] = [_l("Say why it is closed (members see it), in at most %(n)s "
                               "characters.", n=REASON_MAX)]
    if not errors:
        clash = db.session.scalar(select(Closure).where(
            Closure.space_id == space.id, Closure.start_date <= last, Closure.end_date >= first)
            .limit(1))
        if clash is not None:
            errors["start_date"] = [_l("%(space)s is already closed from %(first)s to %(last)s "
                                       "(%(reason)s).", space=space.name,
                                       first=medium_date(clash.start_date),
                                       last=medium_date(clash.end_date), reason=clash.reason)]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return reason


def _shown(closure):
    return {"start_date": closure.start_date.isoformat(), "end_date": closure.end_date.isoformat(),
            "reason": closure.reason}


@use_case
def add_closure(actor, slug, first, last, reason, message="", confirmed=()):
    """Close the space from `first` to `last` (local dates, inclusive). Bookings on those
    days are listed (ConfirmationNeeded, nothing changed) until the host confirms exactly
    them; then they are cancelled, and their members told `message` or else the reason."""
    message = checked_reason(message)
    space = space_to_manage(actor, slug, lock=True)
    reason = _checked(space, first, last, reason)
    affected = on_days(upcoming(space, clock.utcnow(), lock=True), space, first, last)
    require_confirmation(affected, confirmed)
    closure = Closure(space_id=space.id, start_date=first, end_date=last, reason=reason)
    db.session.add(closure)
    db.session.flush()
    cancelled = cancel_for_space(actor, affected, message or reason)
    audit.record(actor.id, "closure.added", "closure", closure.id, space_id=space.id,
                 after=_shown(closure) | ({"cancelled": cancelled} if cancelled else {}))
    return closure, cancelled


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
