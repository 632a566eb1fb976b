"""What covers a booking: the member's memberships and passes, with their quotas and credits.

The booking service asks `choose` before it books, `use` when it has booked and `release`
when a booking is cancelled; it passes plain values, so nothing here knows bookings.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, distinct, exists, func, insert, select
from sqlalchemy.orm import defaultload, joinedload

from coworking.extensions import db
from coworking.memberships.models import (
    CoverUse,
    CreditEntry,
    Membership,
    MembershipStatus,
    Plan,
    PlanKind,
    credit_balance,
    plan_space,
)
from coworking.operators.service import portal_operator
from coworking.spaces.models import Space

DESK, FIXED_DESK, MEETING_ROOM, PHONE_BOOTH = "desk", "fixed_desk", "meeting_room", "phone_booth"

# Which membership pays for a booking when several could: the ones that cost nothing more
# first, then quota days, then credits that run out soonest.
_PREFERENCE = {PlanKind.FIXED_DESK: 0, PlanKind.MONTHLY: 1, PlanKind.MULTI_PASS: 2,
               PlanKind.DAY_PASS: 3}


def _month(day):
    first = day.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


USABLE = (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)


def candidates_join(user_id):
    """SQL: the condition that joins a member's memberships that may cover a booking, for
    a read that brings them along with the booking's other facts (see `choose`)."""
    return and_(Membership.user_id == user_id, Membership.status.in_(USABLE))


def lists_space(space_id):
    """SQL: whether the joined membership's plan names the space `space_id` (a column or a
    value); a plan for all spaces covers it whatever this says."""
    return exists().where(plan_space.c.plan_id == Membership.plan_id,
                          plan_space.c.space_id == space_id)


def _read_candidates(user_id, space_id):
    """[(membership, its plan lists the space)], rows locked (PostgreSQL): two bookings at
    once must not both spend the last credit."""
    return db.session.execute(
        select(Membership, lists_space(space_id))
        .where(candidates_join(user_id))
        .options(defaultload(Membership.plan).lazyload(Plan.spaces))
        .with_for_update(of=Membership)
    ).all()


def _usable_memberships(candidates, instant):
    """The memberships among `candidates` that cover the space at `instant`, in the order
    they pay: the ones that cost nothing more first, then those ending soonest."""
    found = [m for m, listed in candidates
             if (m.plan.all_spaces or listed) and m.covers_instant(instant)]
    found.sort(key=lambda m: (_PREFERENCE[m.plan.kind], m.current_period_end is None,
                              m.current_period_end or instant, m.id))
    return found


def _days_used(membership_id, first, following):
    return set(db.session.scalars(
        select(distinct(CoverUse.local_day)).where(
            CoverUse.membership_id == membership_id, CoverUse.is_desk.is_(True),
            CoverUse.released_at.is_(None), CoverUse.local_day >= first,
            CoverUse.local_day < following)
    ))


def _room_minutes_used(membership_id, first, following):
    return db.session.scalar(
        select(func.coalesce(func.sum(CoverUse.minutes), 0)).where(
            CoverUse.membership_id == membership_id, CoverUse.is_desk.is_(False),
            CoverUse.released_at.is_(None), CoverUse.local_day >= first,
            CoverUse.local_day < following))


class _Recorded:
    """What the memberships have used as the database holds it now: a booking's cover reads
    it afresh, after the member's row was locked."""

    def days(self, membership_id, first, following):
        return _days_used(membership_id, first, following)

    def room_minutes(self, membership_id, first, following):
        return _room_minutes_used(membership_id, first, following)

    def credits(self, membership_id):
        return credit_balance(membership_id)


_RECORDED = _Recorded()


class Forecast:
    """What the memberships would have used once the bookings planned so far were made: what
    is recorded over whole months around `first`..`last`, read once, plus what each planned
    booking adds (`add`). With it `choose` decides one date after another by its own rules,
    and nothing is written."""

    def __init__(self, membership_ids, first, last):
        self.first, self.following = _month(first)[0], _month(last)[1]
        ids = list(membership_ids)
        self._uses = [tuple(row) for row in db.session.execute(
            select(CoverUse.membership_id, CoverUse.local_day, CoverUse.is_desk,
                   CoverUse.minutes)
            .where(CoverUse.membership_id.in_(ids), CoverUse.released_at.is_(None),
                   CoverUse.local_day >= self.first, CoverUse.local_day < self.following))
        ] if ids else []
        self._credits = dict(db.session.execute(
            select(CreditEntry.membership_id, func.sum(CreditEntry.delta))
            .where(CreditEntry.membership_id.in_(ids))
            .group_by(CreditEntry.membership_id)).all()) if ids else {}

    def _within(self, first, following):
        if first < self.first or following > self.following:
            raise ValueError("a forecast answers only for the days it has read")

    def days(self, membership_id, first, following):
        self._within(first, following)
        return {day for m, day, is_desk, _minutes in self._uses
                if m == membership_id and is_desk and first <= day < following}

    def room_minutes(self, membership_id, first, following):
        self._within(first, following)
        return sum(minutes or 0 for m, day, is_desk, minutes in self._uses
                   if m == membership_id and not is_desk and first <= day < following)

    def credits(self, membership_id):
        return self._credits.get(membership_id, 0)

    def add(self, membership, local_day, kind, minutes, takes_credit):
        """A planned booking uses what `use` would record for it."""
        self._uses.append((membership.id, local_day, kind in (DESK, FIXED_DESK), minutes))
        if takes_credit:
            self._credits[membership.id] = self.credits(membership.id) - 1


def _fits(membership, kind, resource_id, local_day, minutes, usage=_RECORDED):
    """Whether this membership can pay for the booking, and whether it takes a credit."""
    plan = membership.plan
    if kind == FIXED_DESK:
        # A fixed desk is its holder's alone: only the plan that hands it out covers it.
        return (plan.kind == PlanKind.FIXED_DESK
                and membership.fixed_resource_id == resource_id, False)
    if plan.kind == PlanKind.FIXED_DESK and kind == DESK:
        return (False, False)
    if kind == PHONE_BOOTH:
        return (True, False)
    if kind == MEETING_ROOM:
        if not plan.meeting_room_hours:
            return (False, False)
        used = usage.room_minutes(membership.id, *_month(local_day))
        return (used + minutes <= plan.meeting_room_hours * 60, False)
    if plan.kind == PlanKind.MONTHLY:
        if plan.days_per_month is None:
            return (True, False)
        days = usage.days(membership.id, *_month(local_day))
        return (local_day in days or len(days) < plan.days_per_month, False)
    if plan.kind.uses_credits:
        if local_day in usage.days(membership.id, local_day, local_day + timedelta(days=1)):
            return (True, False)  # this desk day is paid already
        return (usage.credits(membership.id) > 0, True)
    return (False, False)


def choose(user_id, space_id, kind, resource_id, local_day, minutes, instant, candidates=None,
           usage=None):
    """(membership, takes_credit) that covers the booking, or (None, False).

    `candidates`: [(membership, its plan lists the space)] as the booking's own read brought
    them along (`candidates_join`, `lists_space`), after it locked the member's row; without
    them they are read here. What the memberships have used is read afresh either way, unless
    `usage` is a `Forecast` (see `forecast`)."""
    if candidates is None:
        candidates = _read_candidates(user_id, space_id)
    for membership in _usable_memberships(candidates, instant):
        fits, takes_credit = _fits(membership, kind, resource_id, local_day, minutes,
                                   usage or _RECORDED)
        if fits:
            return membership, takes_credit
    return None, False


@dataclass(frozen=True)
class Planned:
    """What would cover one planned booking: the membership (None: nothing does), whether it
    takes a credit, and which of the plan's days it is (`nth` of `of`: a card's credits, a
    monthly quota's days in that month), when the plan counts days."""

    kind: str
    membership: object = None
    takes_credit: bool = False
    nth: int | None = None
    of: int | None = None


def forecast(user_id, space_id, wanted):
    """[Planned] for each of `wanted` [(kind, resource_id, local_day, minutes, instant)], in
    order, as booking them one after the other would choose (`choose`): each uses up credits
    and quota days for the next. A few statements whatever the number; writes nothing."""
    candidates = db.session.execute(
        select(Membership, lists_space(space_id))
        .where(candidates_join(user_id))
        .options(joinedload(Membership.plan).lazyload(Plan.spaces))).all()
    if not wanted:
        return []
    days = [local_day for _kind, _resource, local_day, _minutes, _instant in wanted]
    usage = Forecast([m.id for m, _listed in candidates], min(days), max(days))
    planned = []
    for kind, resource_id, local_day, minutes, instant in wanted:
        membership, takes_credit = choose(user_id, space_id, kind, resource_id, local_day,
                                          minutes, instant, candidates=candidates, usage=usage)
        nth = of = None
        if membership is not None:
            plan = membership.plan
            if takes_credit:
                left = usage.credits(membership.id)
                of = max(plan.credits or 0, left)
                nth = of - left + 1
            elif (plan.kind == PlanKind.MONTHLY and plan.days_per_month is not None
                  and kind == DESK):
                of = plan.days_per_month
                nth = len(usage.days(membership.id, *_month(local_day)) | {local_day})
            usage.add(membership, local_day, kind, minutes, takes_credit)
        planned.append(Planned(kind, membership, takes_credit, nth, of))
    return planned


def use(membership, booking_id, local_day, kind, minutes, takes_credit, now):
    """Count the booking against the membership; a pass gives one credit for the day.
    Core INSERTs of the tables with the values bound (building the statement with them cost
    more than running it): nothing here is read back as an object in the booking's unit."""
    db.session.execute(insert(CoverUse.__table__), {
        "membership_id": membership.id, "booking_id": booking_id, "local_day": local_day,
        "is_desk": kind in (DESK, FIXED_DESK), "minutes": minutes})
    if takes_credit:
        db.session.execute(insert(CreditEntry.__table__), {
            "membership_id": membership.id, "delta": -1, "reason": "booking",
            "booking_id": booking_id, "created_at": now})


def release(booking_id, refund, now):
    """A cancelled booking no longer counts; before the deadline its credit comes back, unless
    another booking of the same day still uses that day."""
    use_row = db.session.scalar(
        select(CoverUse).where(CoverUse.booking_id == booking_id,
                               CoverUse.released_at.is_(None)).with_for_update())
    if use_row is None:
        return False
    use_row.released_at = now
    db.session.flush()
    if not refund:
        return False
    same_day = select(CoverUse.booking_id).where(
        CoverUse.membership_id == use_row.membership_id, CoverUse.local_day == use_row.local_day,
        CoverUse.is_desk.is_(True))
    if db.session.scalar(same_day.where(CoverUse.released_at.is_(None)).limit(1)) is not None:
        return False  # the day stays used: another booking of it carries the credit from now on
    # What that day cost, net of credits returned already, whichever of its bookings took it.
    charged = db.session.scalar(
        select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(
            CreditEntry.membership_id == use_row.membership_id,
            CreditEntry.booking_id.in_(same_day)))
    if charged >= 0:
        return False
    db.session.add(CreditEntry(membership_id=use_row.membership_id, delta=-charged,
                               reason="cancellation", booking_id=booking_id, created_at=now))
    return True


def _sellers_for(space_id):
    """Who sells cover for a booking in this space: its operator, and the programme office
    (the network plan); another town's card is never offered for it."""
    space = db.session.get(Space, space_id)
    portal = portal_operator()
    return {space.operator_id} | ({portal.id} if portal is not None else set())


def _on_sale_for(space_id, *criteria):
    return db.session.scalars(
        select(Plan).where(Plan.retired_at.is_(None),
                           Plan.seller_id.in_(_sellers_for(space_id)), *criteria)
        .order_by(Plan.price_cents, Plan.id)).all()


def offers(space_id, kind, user_id):
    """Plans on sale that would cover such a booking, cheapest first (the 402's `offers`):
    what the space's operator and the programme office sell."""
    plans = _on_sale_for(space_id)
    used_once = set(db.session.scalars(
        select(Membership.plan_id).where(Membership.user_id == user_id)))
    wanted = []
    for plan in plans:
        if not plan.covers_space(space_id) or (plan.once_per_member and plan.id in used_once):
            continue
        if plan.kind == PlanKind.FIXED_DESK:
            continue  # a named desk is arranged with the host, not bought for one booking
        if kind == MEETING_ROOM and not plan.meeting_room_hours:
            continue
        wanted.append(plan)
    return wanted


def day_pass_plan(space_id):
    """The plan a single booking is paid with (`pay: "day_pass"`): the cheapest paid day pass
    on sale for the space from its operator or the programme office."""
    for plan in _on_sale_for(space_id, Plan.kind == PlanKind.DAY_PASS, Plan.price_cents > 0):
        if plan.covers_space(space_id):
            return plan
    return None
