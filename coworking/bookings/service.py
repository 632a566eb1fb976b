"""Booking and cancelling: the one place where every booking rule is applied."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coworking import clock, permissions
from coworking.bookings.availability import free_desks
from coworking.bookings.limits import check_member_limits
from coworking.bookings.models import (
    CANCELLED,
    CONFIRMED,
    OVERLAP_GUARDS,
    PENDING_PAYMENT,
    Booking,
)
from coworking.bookings.rules import (
    check_booking_window,
    check_resource_bookable,
    check_walk_in_window,
)
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound, PaymentRequired
from coworking.extensions import db
from coworking.formatting import local_time, place_name
from coworking.memberships import cover, ordering, payments
from coworking.memberships.holdings import cancel_due_payment
from coworking.memberships.service import CHECKOUT_LIFETIME, new_payment
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import closures_between, resource_with_closures
from coworking.waitlist.models import check_not_held

TAKEN_MESSAGE = _l("This slot has just been booked by someone else. Please choose another one.")


def _overlapping(query, start, end):
    return query.where(*Booking.overlapping(start, end))


def _conflict_for(user, resource, start, end):
    """Say which part is taken, from when to when, once the database's guards have refused a
    booking; a member who holds it already is told so rather than that someone else does."""
    def first(query):
        return db.session.scalar(_overlapping(query, start, end)
                                 .order_by(Booking.start_at).limit(1))

    zone = resource.space.zone
    taken = first(select(Booking).where(Booking.resource_id == resource.id))
    if taken is not None:
        times = {"name": place_name(resource), "start": local_time(taken.start_at, zone),
                 "end": local_time(taken.end_at, zone)}
        if taken.user_id == user.id:
            return Conflict(_l("You have already booked %(name)s from %(start)s to %(end)s.",
                               **times), field="start")
        return Conflict(_l("%(name)s is already booked from %(start)s to %(end)s.", **times),
                        field="start")
    held = resource.is_desk and first(select(Booking).where(Booking.user_id == user.id,
                                                            Booking.holds_desk.is_(True)))
    if held:
        return Conflict(_l("You already have %(name)s booked from %(start)s to %(end)s; one "
                           "person holds one desk at a time.", name=place_name(held.resource),
                           start=local_time(held.start_at, held.resource.space.zone),
                           end=local_time(held.end_at, held.resource.space.zone)), field="start")
    return Conflict(TAKEN_MESSAGE, field="start")


@use_case(race_message=TAKEN_MESSAGE)
def book(user, resource_id, start, end, source="web", pay=None, online=False, walk_in=False,
         purchase=None):
    """Book `resource_id` for `user` over [start, end); returns the booking.

    Rules are checked for clear messages first; the database's overlap guards then decide
    any race, and a lost race is a Conflict, never a double booking. The member's cover pays
    for it; without cover, `pay="day_pass"` pays for this booking alone (held while the member
    pays online when `online`, else confirmed and paid on site), and otherwise PaymentRequired
    lists the offers that would cover it. A `walk_in` starts in the slot under way (`start` is
    its beginning), without notice. A day pass ordered online (`purchase`, how the buyer
    ordered it) passes the order's checks first and keeps its order with the payment.
    """
    if not isinstance(resource_id, int) or not 0 < resource_id < 2**31:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    # Bookings of one resource take turns on PostgreSQL: racing inserts would otherwise wait
    # on one another inside the overlap guard and deadlock, a second apart each.
    resource, closures = resource_with_closures(resource_id, start, lock=True)
    if resource is None:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    space = resource.space
    now = clock.utcnow()
    local_day = start.astimezone(space.zone).date()
    if walk_in:
        check_walk_in_window(space, start, end, now, closures)
    else:
        check_booking_window(space, start, end, now, closures)
    check_member_limits(user, resource, start, now)
    kind = cover_kind(resource)
    minutes = int((end - start).total_seconds() // 60)
    # A walk-in's slot began a few minutes ago: a plan bought since then covers it too.
    membership, takes_credit = cover.choose(user.id, space.id, kind, resource.id, local_day,
                                            minutes, max(start, now) if walk_in else start)
    check_resource_bookable(resource, holds_it=membership is not None
                            and membership.fixed_resource_id == resource.id, day=local_day)
    pass_plan = None if membership is not None else _pay_alone(user, space, kind, pay)
    terms = (ordering.check(user, pass_plan, purchase, now, begins=start)
             if pass_plan is not None and purchase is not None else None)
    _release_lapsed_holds(user, resource, start, end, now)
    _release_overdue(resource, start, end, now)
    check_not_held(user, resource, start, end, now)

    hold_until = now + CHECKOUT_LIFETIME if pass_plan is not None and online else None
    try:
        with savepoint():
            booking = Booking.new(user.id, resource, start, end, source, now,
                                  hold_until=hold_until,
                                  membership_id=membership.id if membership else None)
            db.session.add(booking)
    except IntegrityError as error:
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise _conflict_for(user, resource, start, end) from None
        raise
    if membership is not None:
        cover.use(membership, booking.id, local_day, kind, minutes, takes_credit, now)
    else:
        payment = new_payment(user.id, pass_plan, online, now, booking_id=booking.id)
        if terms is not None:
            ordering.record(user, pass_plan, purchase, terms, now, payment=payment)
    return booking


# The kinds "any free one" books; a fixed desk belongs to its member and is never chosen for one.
ANY_KINDS = (ResourceKind.HOT_DESK, ResourceKind.MEETING_ROOM, ResourceKind.PHONE_BOOTH)


@use_case(race_message=TAKEN_MESSAGE)
def book_any(user, space, kind, start, end, source="web", pay=None, online=False,
             purchase=None):
    """Book any free resource of `kind` in `space` over [start, end): the one the member had
    last time there when it is free, else the first in the order the pages show them. When
    another member takes it at the same moment, the next free one is booked; Conflict only
    when none is left. Everything else is `book`'s: rules, cover, paying alone."""
    if kind not in ANY_KINDS:
        raise InvalidInput(_l("Choose one of: %(kinds)s.", kinds=", ".join(ANY_KINDS)),
                           field="kind")
    now = clock.utcnow()
    local_day = start.astimezone(space.zone).date()
    # The window's rules first, so a time in the past is told as such, not as "none free".
    check_booking_window(space, start, end, now,
                         closures_between(space, local_day, end.astimezone(space.zone).date()))
    free = free_desks(space, start, end, now, kind=ResourceKind(kind))
    if not free:
        raise Conflict(_l("No %(kind)s in %(space)s is free from %(start)s to %(end)s.",
                          kind=ResourceKind(kind).label, space=space.name,
                          start=local_time(start, space.zone), end=local_time(end, space.zone)),
                       field="start")
    last = last_resource_id(user, space, kind, start)
    ordered = sorted(free, key=lambda resource: resource.id != last)
    return book_first_free(user, [resource.id for resource in ordered], start, end,
                           source=source, pay=pay, online=online, purchase=purchase)


def book_first_free(user, resource_ids, start, end, **book_args):
    """Book the first of `resource_ids` still free when the database decides: a lost race for
    one is a Conflict, and the next one is tried (the last one's Conflict is raised)."""
    for index, resource_id in enumerate(resource_ids):
        try:
            return book(user, resource_id, start, end, **book_args)
        except Conflict:
            if index + 1 == len(resource_ids):
                raise
    raise InvalidInput(_l("There is no resource with this id."), field="resource_id")


def last_resource_id(user, space, kind, before):
    """The resource of `kind` in `space` the member's latest booking before `before` had."""
    return db.session.scalar(
        select(Booking.resource_id).join(Booking.resource)
        .where(Booking.user_id == user.id, Resource.space_id == space.id, Resource.kind == kind,
               Booking.status != CANCELLED, Booking.start_at < before)
        .order_by(Booking.start_at.desc()).limit(1))


def cover_kind(resource):
    return {"meeting_room": cover.MEETING_ROOM, "phone_booth": cover.PHONE_BOOTH,
            "fixed_desk": cover.FIXED_DESK}.get(resource.kind, cover.DESK)


PAY_CHOICES = ("day_pass",)


def offer_json(plan):
    """One of a 402's offers: the plan, who sells it, and whether it can be bought online."""
    return {"plan_id": plan.id, "name": plan.name, "kind": plan.kind.value,
            "price_cents": plan.price_cents, "seller": plan.seller.slug,
            "seller_name": ordering.seller_name(plan.seller),
            "sells_online": plan.seller.is_complete}


def _pay_alone(user, space, kind, pay):
    """The day-pass plan that pays for one booking without cover, or PaymentRequired."""
    if pay is None:
        offers = cover.offers(space.id, kind, user.id)
        raise PaymentRequired(
            _l("No membership or pass of yours covers this booking. Buy one of the offers, "
               "or pay for this booking with a day pass."),
            offers=[offer_json(p) for p in offers])
    plan = cover.day_pass_plan(space.id) if pay in PAY_CHOICES else None
    if plan is None or kind != cover.DESK:
        raise InvalidInput(_l("This way of paying is not offered for this booking."),
                           field="pay")
    return plan


def _release_lapsed_holds(user, resource, start, end, now):
    """Payment holds that ran out free their desk now, even before the job has run."""
    lapsed = db.session.scalars(
        _overlapping(select(Booking), start, end)
        .where(Booking.status == PENDING_PAYMENT, Booking.hold_until <= now,
               or_(Booking.resource_id == resource.id,
                   and_(Booking.user_id == user.id, Booking.holds_desk.is_(True))))
        .with_for_update(of=Booking)
    ).all()
    _expire_holds(lapsed, now)


def _release_overdue(resource, start, end, now):
    """Bookings of the resource overdue for check-in free it now, even before the no-show
    job has run: they become no-shows in this unit, so the overlap guards let the new one in."""
    overdue = db.session.scalars(
        _overlapping(select(Booking), start, end)
        .where(Booking.resource_id == resource.id,
               Booking.overdue(now, resource.space.no_show_grace_minutes))
        .with_for_update(of=Booking)
    ).all()
    for booking in overdue:
        booking.mark_no_show(now)
    if overdue:
        db.session.flush()


def _expire_holds(bookings, now):
    """The desks are free again; their payments show expired (unless money is on its way)."""
    for booking in bookings:
        booking.expire(now)
    if bookings:
        db.session.flush()
        payments.expire_booking_payments([booking.id for booking in bookings], now)


@use_case
def expire_lapsed_holds(limit=100):
    """Payment holds that ran out are expired (reads treat them as free already). Rows
    another runner holds are skipped, so two runners at once never expire one twice."""
    now = clock.utcnow()
    lapsed = db.session.scalars(
        select(Booking).where(Booking.status == PENDING_PAYMENT, Booking.hold_until <= now)
        .order_by(Booking.hold_until, Booking.id).limit(limit)
        .with_for_update(of=Booking, skip_locked=True)
    ).all()
    _expire_holds(lapsed, now)
    return len(lapsed)


def visible_booking(user, booking_id, for_update=False):
    """The booking if `user` may see it; otherwise NotFound, so ids of others leak nothing.

    `for_update` locks its row (PostgreSQL) so a use case decides on its current state.
    """
    if not 0 < booking_id < 2**31:
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    query = (select(Booking).where(Booking.id == booking_id)
             .options(joinedload(Booking.resource).joinedload(Resource.space))
             .execution_options(populate_existing=True))
    if for_update:
        query = query.with_for_update(of=Booking)
    booking = db.session.scalar(query)
    if booking is None or not permissions.can_see_booking(user, booking):
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    return booking


@use_case
def cancel(user, booking_id, reason=None, for_space=False):
    """Cancel a booking that has not yet ended; cancelling twice changes nothing.

    `for_space`: a host or admin cancels because the space cannot have it (a desk retired,
    hours cut, a closure); the member is not to blame, so the credit returns whatever the
    deadline, and `reason` tells them why.
    """
    booking = visible_booking(user, booking_id, for_update=True)
    if booking.status == CANCELLED:
        return booking
    if for_space and not permissions.cancels_as_host(user, booking):
        raise Forbidden(_l("Only the hosts of its space cancel a booking for the space."))
    now = clock.utcnow()
    refusal = booking.cancel_refusal(user, now)
    if refusal is not None:
        raise Conflict(refusal)
    _cancel(booking, now, refund=for_space or now <= booking.cancel_deadline(), reason=reason)
    return booking


def _cancel(booking, now, refund, reason=None):
    booking.cancel(now, reason=reason)
    cover.release(booking.id, refund=refund, now=now)
    cancel_due_payment(booking.id, now)


def cancel_all_ahead(user, now):
    """The member closes their account: every booking not yet begun is cancelled whatever the
    deadline, so its desk is free for others; nothing is refunded to an account that is gone.
    Returns how many."""
    ahead = db.session.scalars(
        select(Booking).where(Booking.user_id == user.id, Booking.start_at > now,
                              Booking.status.in_((PENDING_PAYMENT, CONFIRMED)))
        .order_by(Booking.start_at).with_for_update(of=Booking)
    ).all()
    for booking in ahead:
        _cancel(booking, now, refund=False)
    return len(ahead)


def bookings_of(user):
    return db.session.scalars(
        select(Booking).where(Booking.user_id == user.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


def bookings_in_space(user, space):
    """All bookings of a space, for its hosts and for admins."""
    if not permissions.can_list_space_bookings(user, space):
        raise Forbidden(_l("Only the hosts of %(name)s see its bookings.", name=space.name),
                        field="space")
    return db.session.scalars(
        select(Booking).join(Booking.resource).where(Resource.space_id == space.id)
        .options(joinedload(Booking.resource).joinedload(Resource.space))
        .order_by(Booking.start_at, Booking.id)
    ).all()


# -- What payments change (billing calls these inside its units of work) ----------------------

def _lock_booking(booking_id):
    return db.session.scalars(
        select(Booking).where(Booking.id == booking_id).with_for_update(of=Booking)
        .execution_options(populate_existing=True)).first()


def hold_for_checkout(booking_id, until):
    """The desk stays held while the member pays, as long as the Checkout Session lives.
    Returns whether it is still held (the member may have cancelled it meanwhile)."""
    booking = _lock_booking(booking_id)
    if booking is None or booking.status != PENDING_PAYMENT:
        return False
    booking.hold_until = max(booking.hold_until, until)
    return True


def release_hold(booking_id, now):
    """Its checkout failed, ran out or its payment failed: the held desk is free again."""
    booking = _lock_booking(booking_id)
    if booking is not None and booking.status == PENDING_PAYMENT:
        _expire_holds([booking], now)


@use_case
def _reinstate(booking, now):
    """Composed into the payment's unit, so a lost race rolls back to a savepoint only."""
    with savepoint():
        booking.reinstate(now)
        db.session.flush()


def pay_for_booking(payment, now):
    """The day pass for a held booking is paid: the booking is confirmed. When its hold was
    freed meanwhile it stands again if the desk is still free (the overlap guards decide);
    otherwise, or when it is over, the member gets a day credit instead.

    Returns what happened: "confirmed", "reinstated", "credited" or "already confirmed".
    """
    booking = _lock_booking(payment.booking_id)
    payment.mark_paid(now)
    if booking.status == PENDING_PAYMENT:
        booking.confirm(now)
        return "confirmed"
    if booking.status != CANCELLED:
        return "already confirmed"
    # Freed because its hold ran out (not cancelled by its member while held), not yet over.
    lapsed = booking.hold_until is not None and booking.cancelled_at >= booking.hold_until
    if lapsed and booking.end_at > now and payment.membership_id is None:
        try:
            _reinstate(booking, now)
            return "reinstated"
        except IntegrityError as error:
            if not any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
                raise
    if payment.membership_id is None:
        payments.credit_late_payment(payment, now)
    return "credited"


def cancel_refunded(booking_id, now):
    """The day pass that paid for it was refunded: a booking not yet used is cancelled."""
    booking = _lock_booking(booking_id)
    if booking is not None and booking.status in (PENDING_PAYMENT, CONFIRMED):
        booking.cancel(now)
        return True
    return False


def own_bookings_between(user, space, start, end):
    """The member's active bookings in `space` overlapping [start, end): what the grid and the
    confirm page show as theirs."""
    return db.session.scalars(
        _overlapping(select(Booking).where(
            Booking.user_id == user.id,
            Booking.resource_id.in_(select(Resource.id).where(Resource.space_id == space.id))),
            start, end)
        .order_by(Booking.start_at, Booking.id)
    ).all()
