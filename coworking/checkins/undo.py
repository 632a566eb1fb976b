"""Undoing a host's tap: check-in, check-out, no-show and "paid on site" are remembered as
host actions, and any host of the booking's space may take the latest one back within
`UNDO_WINDOW`. A no-show taken back restores the booking on its desk, or on another free
one of the same kind when someone has taken it meanwhile."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock, events, permissions
from coworking.bookings import events as booking_events
from coworking.bookings.models import (
    MEMBER_DESK_OVERLAP,
    OVERLAP_GUARDS,
    Booking,
    BookingStatus,
)
from coworking.checkins.models import HostAction, Visit
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, NotFound
from coworking.extensions import db
from coworking.memberships.models import Payment, PaymentMethod, PaymentStatus
from coworking.memberships.payment_undo import undo_paid_on_site
from coworking.spaces.models import Resource

S = BookingStatus
UNDO_WINDOW = timedelta(minutes=15)

CHECK_IN, CHECK_OUT, NO_SHOW, PAID_ON_SITE = "check_in", "check_out", "no_show", "paid_on_site"
# The state each action leaves the booking in; an undo needs the booking still there.
LEAVES = {CHECK_IN: S.CHECKED_IN, CHECK_OUT: S.COMPLETED, NO_SHOW: S.NO_SHOW}

LABELS = {
    CHECK_IN: _l("Undo check-in"),
    CHECK_OUT: _l("Undo check-out"),
    NO_SHOW: _l("Undo “not come”"),
    PAID_ON_SITE: _l("Undo “paid on site”"),
}


def remember(actor, booking, action, before, payment=None):
    """Inside the caller's unit: note a host's action on `booking` (which was in status
    `before`) so it can be undone."""
    db.session.add(HostAction(
        booking_id=booking.id, space_id=booking.resource.space_id, actor_id=actor.id,
        action=action, at=clock.utcnow(), payment_id=payment.id if payment else None,
        restore={"status": before.value, "resource_id": booking.resource_id}))


def remember_collection(event):
    remember(event.actor, event.booking, PAID_ON_SITE, event.before, payment=event.payment)


def _latest(booking_ids, now):
    """{booking id: its latest host action not undone within the window}."""
    if not booking_ids:
        return {}
    rows = db.session.scalars(
        select(HostAction).where(HostAction.booking_id.in_(booking_ids),
                                 HostAction.undone_at.is_(None),
                                 HostAction.at > now - UNDO_WINDOW)
        .order_by(HostAction.at.desc(), HostAction.id.desc()))
    latest = {}
    for action in rows:
        latest.setdefault(action.booking_id, action)
    return latest


def undoable(bookings, now):
    """{booking id: host action} the day page offers to undo: within the window and with the
    booking still as the action left it."""
    by_id = {booking.id: booking for booking in bookings}
    return {booking_id: action for booking_id, action in _latest(list(by_id), now).items()
            if LEAVES.get(action.action, by_id[booking_id].status) == by_id[booking_id].status}


def undo_until(action):
    return action.at + UNDO_WINDOW


def _booking_for_host(actor, booking_id):
    """The booking, locked; Forbidden for a host of another space, NotFound for others."""
    booking = db.session.scalar(
        select(Booking).where(Booking.id == booking_id).with_for_update(of=Booking)
        .execution_options(populate_existing=True)) if 0 < booking_id < 2**31 else None
    if booking is not None and permissions.can_run_space_day(actor, booking.resource.space_id):
        return booking
    if booking is not None and (permissions.hosts_any_space(actor)
                                or booking.user_id == actor.id):
        raise Forbidden(_l("Only the hosts of its space undo what was done on a booking."))
    raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))


def _free_resource_like(booking):
    """The booking's own resource when nothing active overlaps it there, else another active
    one of the same kind in its space that is free then, else None."""
    resource = booking.resource
    candidates = db.session.scalars(
        select(Resource).where(Resource.space_id == resource.space_id,
                               Resource.kind == resource.kind, Resource.active.is_(True))
        .order_by(Resource.id != resource.id, Resource.name, Resource.id)).all()
    taken = set(db.session.scalars(
        select(Booking.resource_id).where(Booking.resource_id.in_([r.id for r in candidates]),
                                          Booking.id != booking.id,
                                          *Booking.overlapping(booking.start_at,
                                                               booking.end_at))))
    return next((r for r in candidates if r.id not in taken), None)


def _undo_no_show(booking, now):
    resource = _free_resource_like(booking)
    if resource is None:
        raise Conflict(_l("The desk has been taken since, and no other one of its kind is "
                          "free for this booking's time."))
    if resource.id != booking.resource_id:
        booking.resource, booking.resource_id = resource, resource.id
    booking.status, booking.no_show_at, booking.no_show_undone_at = S.CONFIRMED, None, now
    # The day pass the no-show let off is due again.
    db.session.execute(
        update(Payment).where(Payment.booking_id == booking.id,
                              Payment.method == PaymentMethod.ON_SITE,
                              Payment.status == PaymentStatus.EXPIRED)
        .values(status=PaymentStatus.DUE))


def _undo_check_in(booking):
    booking.status, booking.checked_in_at = S.CONFIRMED, None
    db.session.execute(delete(Visit).where(Visit.booking_id == booking.id))


def _undo_check_out(booking):
    booking.status, booking.completed_at, booking.checked_out_at = S.CHECKED_IN, None, None
    visit = db.session.scalar(select(Visit).where(Visit.booking_id == booking.id))
    if visit is not None:
        visit.checked_out_at = visit.check_out_method = visit.checked_out_by_id = None


def _undo_payment(action, actor):
    payment = db.session.scalar(select(Payment).where(Payment.id == action.payment_id)
                                .with_for_update(of=Payment)) if action.payment_id else None
    if payment is None or not undo_paid_on_site(payment, actor.id):
        raise Conflict(_l("This payment is no longer one paid on site; there is nothing to "
                          "undo."))
    return payment


@use_case
def undo(actor, booking_id):
    """A host of the booking's space takes back the latest host action on it (by whoever of
    them) within `UNDO_WINDOW`; Conflict when there is none, it is too late, or the booking
    has changed since. Returns the booking."""
    booking = _booking_for_host(actor, booking_id)
    now = clock.utcnow()
    action = db.session.scalar(
        select(HostAction).where(HostAction.booking_id == booking.id,
                                 HostAction.undone_at.is_(None))
        .order_by(HostAction.at.desc(), HostAction.id.desc()).limit(1)
        .with_for_update(of=HostAction))
    if action is None:
        raise Conflict(_l("Nothing done on this booking can be undone."))
    if now >= undo_until(action):
        raise Conflict(_l("Too late to undo: a host's action can be undone for %(minutes)s "
                          "minutes.", minutes=int(UNDO_WINDOW.total_seconds() // 60)))
    if action.action in LEAVES and booking.status != LEAVES[action.action]:
        raise Conflict(_l("This booking has changed since; it is %(status)s now.",
                          status=booking.status.label))
    before = booking.status
    try:
        with savepoint():
            if action.action == PAID_ON_SITE:
                payment = _undo_payment(action, actor)
            elif action.action == NO_SHOW:
                _undo_no_show(booking, now)
            elif action.action == CHECK_IN:
                _undo_check_in(booking)
            else:
                _undo_check_out(booking)
            db.session.flush()
    except IntegrityError as error:
        if is_constraint_violation(error, MEMBER_DESK_OVERLAP):
            raise Conflict(_l("%(name)s has booked another desk for that time since, so this "
                              "cannot be undone.", name=booking.user.name)) from None
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise Conflict(_l("The desk has been booked since, so this cannot be undone.")
                           ) from None
        raise Conflict(_l("This cannot be undone any more.")) from None
    action.undone_at, action.undone_by_id = now, actor.id
    if action.action == PAID_ON_SITE:
        audit.record(actor.id, "payment.paid_on_site_undone", "payment", payment.id,
                     space_id=action.space_id, before={"status": "paid"},
                     after={"status": "due", "booking_id": booking.id,
                            "amount_cents": payment.amount_cents})
    else:
        events.record(booking_events.BookingRestored(booking))
        audit.record(actor.id, f"booking.{action.action}_undone", "booking", booking.id,
                     space_id=action.space_id, before={"status": before.value},
                     after={"status": booking.status.value,
                            "resource_id": booking.resource_id})
    return booking
