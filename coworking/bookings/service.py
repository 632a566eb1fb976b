"""Booking and cancelling: the one place where every booking rule is applied."""
from datetime import UTC, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, insert, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, joinedload, make_transient_to_detached

from coworking import clock, permissions
from coworking.accounts.models import User
from coworking.bookings import day_pass, payers
from coworking.bookings.availability import free_desks
from coworking.bookings.limits import check_member_limits
from coworking.bookings.lookup import visible_booking
from coworking.bookings.models import (
    CANCELLED,
    CONFIRMED,
    MAX_BOOKING_LENGTH,
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
from coworking.errors import Conflict, Forbidden, InvalidInput
from coworking.extensions import db
from coworking.formatting import local_time, place_name
from coworking.memberships import cover
from coworking.memberships.holdings import cancel_due_payment
from coworking.memberships.models import Membership, Plan
from coworking.spaces.models import Closure, Resource, ResourceKind, Space
from coworking.spaces.service import closures_between, schedule_at
from coworking.waitlist.models import check_not_held, held_until_sql

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
         purchase=None, bill_to=None):
    """Book `resource_id` for `user` over [start, end); returns the booking.

    Rules are checked for clear messages first; the database's overlap guards then decide
    any race, and a lost race is a Conflict, never a double booking. The member's cover pays
    for it; without cover, its day pass (`day_pass`: `pay`, `online`) pays for this booking
    alone, or PaymentRequired lists the offers that would cover it. A `walk_in` starts in
    the slot under way (`start` is its beginning), without notice. A day pass ordered online (`purchase`, how the buyer
    ordered it) passes the order's checks first and keeps its order with the payment.
    `bill_to` names another payer (`payers`: a company) whose cover is used instead.
    """
    if not isinstance(resource_id, int) or not 0 < resource_id < 2**31:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    now = clock.utcnow()
    found = _read_for_booking(user, resource_id, start, end, now)
    if found is None:
        raise InvalidInput(_l("There is no resource with this id."), field="resource_id")
    resource, schedule, closures, candidates, held_until, to_release = found
    space = resource.space
    local_day = start.astimezone(space.zone).date()
    if walk_in:
        check_walk_in_window(space, start, end, now, closures, schedule)
    else:
        check_booking_window(space, start, end, now, closures, schedule)
    check_member_limits(user, resource, start, now)
    kind = cover_kind(resource)
    minutes = int((end - start).total_seconds() // 60)
    billed = (payers.cover_by(bill_to, payers.Request(user, resource, kind, local_day, now))
              if bill_to is not None else None)
    # A walk-in's slot began a few minutes ago: a plan bought since then covers it too.
    membership, takes_credit = (None, False) if billed else cover.choose(
        user.id, space.id, kind, resource.id, local_day, minutes,
        max(start, now) if walk_in else start, candidates=candidates)
    check_resource_bookable(resource, holds_it=membership is not None
                            and membership.fixed_resource_id == resource.id, day=local_day)
    paid_alone = (None if membership is not None or billed
                  else day_pass.required(user, space, kind, pay, online, purchase, now,
                                         begins=start))
    if to_release:
        _release_lapsed_holds(user, resource, start, end, now)
        _release_overdue(resource, start, end, now)
    if held_until is not None:
        check_not_held(user, resource, start, end, now, held_until=held_until)

    hold_until = paid_alone.hold_until(now) if paid_alone is not None else None
    try:
        with savepoint():
            booking = Booking.new(user.id, resource, start, end, source, now,
                                  hold_until=hold_until,
                                  membership_id=membership.id if membership else None)
            _insert(booking)
    except IntegrityError as error:
        if any(is_constraint_violation(error, guard) for guard in OVERLAP_GUARDS):
            raise _conflict_for(user, resource, start, end) from None
        raise
    if membership is not None:
        cover.use(membership, booking.id, local_day, kind, minutes, takes_credit, now)
    elif billed:
        billed(booking.id)
    else:
        paid_alone.record(user, booking.id, now)
    return booking


def _insert(booking):
    """Write a new booking with one Core INSERT and keep it in the session as stored: the
    ORM's flush of one new object costs more than the statement itself, and so does
    building the statement with its values, so it is built once and its values bound."""
    values = {}
    for attribute in _BOOKING_COLUMNS:
        if attribute not in booking.__dict__:
            setattr(booking, attribute, None)  # so that reading it costs no query
        values[attribute] = getattr(booking, attribute)
    booking.id = db.session.execute(_INSERT_BOOKING, values).scalar_one()
    make_transient_to_detached(booking)
    db.session.add(booking)


_BOOKING_COLUMNS = [attribute.key for attribute in inspect(Booking).column_attrs
                    if attribute.key != "id"]
_INSERT_BOOKING = (insert(Booking.__table__)
                   .values({key: bindparam(key) for key in _BOOKING_COLUMNS})
                   .returning(Booking.__table__.c.id))


def _read_for_booking(user, resource_id, start, end, now):
    """What a booking is checked against, in one statement: (resource with its space and
    town; the Schedule of the space's opening hours, kept from an earlier booking while the
    space's settings version is the same (`schedule_at`: else read by one more statement,
    not joined here, where it multiplied the rows); the closures of its space touching the
    UTC date of `start` or a day either side; the member's memberships that may cover it
    (`cover.choose`); until when a waiting-list offer to someone else holds the resource
    (or None); whether a payment hold that ran out or a booking begun without check-in may
    stand in the way, to be released first). None when there is no such resource.

    On PostgreSQL it locks: the resource's row, so that bookings of one resource take turns
    (racing inserts would otherwise wait on one another inside the overlap guard and
    deadlock, a second apart each); the member's, so that one member's bookings do too (two
    at once must not both spend the last credit; what a membership has used is read after
    this, so afresh); and a share of the space's, so that a change of its hours or closures
    and the bookings under way wait for each other. A statement that waited sees the rows
    it locked as committed meanwhile, but the rest as they were when it began: when the
    space's settings version shows a change committed in between, the closures are read
    again, and the hours are those of the newer version. SQLite's writers take turns anyway.
    """
    locking = db.session.get_bind().dialect.name == "postgresql"
    day = start.astimezone(UTC).date()
    params = {"resource_id": resource_id, "resource_ids": [resource_id], "user_id": user.id,
              "start": start, "end": end,
              "now": now, "earliest": start - MAX_BOOKING_LENGTH,
              "day_before": day - timedelta(days=1), "day_after": day + timedelta(days=1)}
    rows = db.session.execute(_booking_facts(locking), params).unique().all()
    if not rows:
        return None
    version = rows[0][7]
    # Also when the session held the space from earlier in this transaction, as it was then.
    if version != rows[0][6] or rows[0][0].space.settings_version != version:
        rows = db.session.execute(_booking_facts(False).execution_options(populate_existing=True),
                                  params).unique().all()
    closures = list({closure.id: closure for _r, closure, *_rest in rows
                     if closure is not None}.values())
    candidates = list({membership.id: (membership, listed)
                       for _r, _c, membership, listed, *_rest in rows
                       if membership is not None}.values())
    first = rows[0]
    return (first[0], schedule_at(first[0].space_id, version), closures, candidates, first[4],
            bool(first[5]))


@cache
def _booking_facts(locking):
    """The statement of `_read_for_booking`, built once (building it costs more than running
    it); its parameters are bound at each call."""
    resource_id, user_id = bindparam("resource_id"), bindparam("user_id")
    start, end, now = bindparam("start"), bindparam("end"), bindparam("now")
    touching = and_(Closure.space_id == Resource.space_id,
                    Closure.start_date <= bindparam("day_after"),
                    Closure.end_date >= bindparam("day_before"))
    held_until = held_until_sql(bindparam("resource_ids", expanding=True), start, end, now,
                                user_id)
    # Broader than what is released (a booking begun but not yet overdue counts too): the
    # release itself locks and decides.
    in_the_way = exists(
        select(Booking.id)
        .where(*Booking.overlapping(start, end, earliest=bindparam("earliest")),
               or_(and_(Booking.status == PENDING_PAYMENT, Booking.hold_until <= now,
                        or_(Booking.resource_id == resource_id,
                            and_(Booking.user_id == user_id, Booking.holds_desk.is_(True)))),
                   and_(Booking.resource_id == resource_id, Booking.status == CONFIRMED,
                        Booking.start_at <= now))))
    as_begun = aliased(Space)
    version_as_begun = (select(as_begun.settings_version)
                        .where(as_begun.id == Resource.space_id).scalar_subquery())
    query = (
        select(Resource, Closure, Membership, cover.lists_space(Resource.space_id),
               held_until, in_the_way, version_as_begun, Space.settings_version)
        .join(Space, Space.id == Resource.space_id)
        .outerjoin(Closure, touching)
        .outerjoin(Membership, cover.candidates_join(user_id))
        .where(Resource.id == resource_id)
        .options(contains_eager(Resource.space),
                 # Outer: a member without memberships still gets the resource.
                 joinedload(Membership.plan, innerjoin=False).lazyload(Plan.spaces))
    )
    if locking:
        query = (query.join(User, User.id == user_id)
                 .with_for_update(of=(Resource, User), key_share=True)
                 .suffix_with("FOR SHARE OF space", dialect="postgresql"))
    return query


# The kinds "any free one" books; a fixed desk belongs to its member and is never chosen for one.
ANY_KINDS = (ResourceKind.HOT_DESK, ResourceKind.MEETING_ROOM, ResourceKind.PHONE_BOOTH)


@use_case(race_message=TAKEN_MESSAGE)
def book_any(user, space, kind, start, end, source="web", pay=None, online=False,
             purchase=None, bill_to=None):
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
                           source=source, pay=pay, online=online, purchase=purchase,
                           bill_to=bill_to)


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


def _release_lapsed_holds(user, resource, start, end, now):
    """Payment holds that ran out free their desk now, even before the job has run."""
    lapsed = db.session.scalars(
        _overlapping(select(Booking), start, end)
        .where(Booking.status == PENDING_PAYMENT, Booking.hold_until <= now,
               or_(Booking.resource_id == resource.id,
                   and_(Booking.user_id == user.id, Booking.holds_desk.is_(True))))
        .with_for_update(of=Booking)
    ).all()
    day_pass.expire_holds(lapsed, now)


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
    day_pass.expire_holds(lapsed, now)
    return len(lapsed)


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
