"""What members hold and owe, read for pages and the API: a list's payments, credits and
ledgers come in one query each, never one per membership or booking."""
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from coworking import permissions
from coworking.extensions import db
from coworking.memberships.models import (
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Plan,
    plan_space,
)
from coworking.memberships.on_site import on_site_payments_of
from coworking.memberships.service import memberships_of


@dataclass
class Holding:
    """A membership with its newest payment, its credits left (passes) and its ledger."""

    membership: Membership
    payment: Payment | None
    credits_left: int | None
    ledger: list = field(default_factory=list)


def _newest_payments(column, ids):
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    payments = db.session.scalars(select(Payment).where(column.in_(ids)).order_by(Payment.id))
    return {getattr(p, column.key): p for p in payments}  # the newest one wins


def payments_of_memberships(membership_ids):
    """{membership id: its newest payment}."""
    return _newest_payments(Payment.membership_id, membership_ids)


def payments_of_bookings(booking_ids):
    """{booking id: its newest payment}: the day passes paying for single bookings."""
    return _newest_payments(Payment.booking_id, booking_ids)


def payments_shown_for_bookings(bookings):
    """{booking id: the payment to show with it}: its own day pass, or else the purchase on
    site of the plan that covers it while that is open ("Zahlung vor Ort offen"), and once
    paid for the bookings made before (so the host's confirmation shows on them). Two queries
    for the whole list."""
    shown = payments_of_bookings([b.id for b in bookings])
    covered = [b for b in bookings if b.id not in shown and b.membership_id is not None]
    purchases = on_site_payments_of([b.membership_id for b in covered])
    for booking in covered:
        payment = purchases.get(booking.membership_id)
        if payment is not None and (
                payment.status == PaymentStatus.DUE
                or (payment.status == PaymentStatus.PAID and payment.paid_at is not None
                    and payment.paid_at >= booking.created_at)):
            shown[booking.id] = payment
    return shown


def credit_balances(memberships):
    """{membership id: credits left} for the passes among `memberships`."""
    ids = [m.id for m in memberships if m.plan.kind.uses_credits]
    if not ids:
        return {}
    sums = db.session.execute(
        select(CreditEntry.membership_id, func.sum(CreditEntry.delta))
        .where(CreditEntry.membership_id.in_(ids)).group_by(CreditEntry.membership_id))
    return {**dict.fromkeys(ids, 0), **dict(sums.all())}


def ledgers(memberships):
    """{membership id: its credit entries, oldest first}."""
    entries = defaultdict(list)
    ids = [m.id for m in memberships]
    if ids:
        for entry in db.session.scalars(
                select(CreditEntry).where(CreditEntry.membership_id.in_(ids))
                .order_by(CreditEntry.created_at, CreditEntry.id)):
            entries[entry.membership_id].append(entry)
    return entries


def holdings(memberships, with_ledger=False):
    payments = payments_of_memberships([m.id for m in memberships])
    credits = credit_balances(memberships)
    history = ledgers(memberships) if with_ledger else {}
    return [Holding(m, payments.get(m.id), credits.get(m.id), history.get(m.id, []))
            for m in memberships]


def holdings_of(user, with_ledger=False):
    """The member's memberships and passes, newest first."""
    return holdings(memberships_of(user), with_ledger)


def memberships_by_id(ids):
    """{id: membership with its plan}, e.g. for the memberships covering a list of bookings."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Membership).where(Membership.id.in_(ids)))}


def receipts_of(user):
    """Payments the member has made, newest first: what their receipts list."""
    return db.session.scalars(
        select(Payment).where(Payment.user_id == user.id, Payment.status == PaymentStatus.PAID)
        .order_by(Payment.paid_at.desc(), Payment.id.desc())).all()


def membership_payments_to_collect(actor):
    """Plans bought to be paid on site whose payment `actor` may confirm: purchases still
    running (they cover from the start) on plans covering a space they host (admins: all),
    oldest first."""
    if not permissions.hosts_any_space(actor):
        return []
    query = (select(Payment).join(Payment.membership).join(Membership.plan)
             .where(Payment.method == PaymentMethod.ON_SITE, Payment.status == PaymentStatus.DUE,
                    Payment.booking_id.is_(None),
                    Membership.status.not_in((MembershipStatus.CANCELLED,
                                              MembershipStatus.EXPIRED)))
             .options(selectinload(Payment.membership).joinedload(Membership.user))
             .order_by(Payment.created_at, Payment.id))
    if not permissions.is_admin(actor):
        hosted = actor.hosted_space_ids()
        query = query.where(or_(
            Plan.all_spaces.is_(True),
            Plan.id.in_(select(plan_space.c.plan_id).where(plan_space.c.space_id.in_(hosted)))))
    return db.session.scalars(query).all()


def cancel_due_payment(booking_id, now):
    """A day pass for a booking that was cancelled is no longer owed on site."""
    for payment in db.session.scalars(
            select(Payment).where(Payment.booking_id == booking_id,
                                  Payment.method == PaymentMethod.ON_SITE,
                                  Payment.status == PaymentStatus.DUE).with_for_update()):
        payment.status = PaymentStatus.EXPIRED
