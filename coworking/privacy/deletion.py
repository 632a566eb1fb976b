"""Deleting an account: the person is erased, what the spaces need to stay true is kept.

Bookings not yet begun are cancelled so their desks are free; passes and plans end, their
credit left lapsing and anything still to be paid on site no longer owed; past bookings,
visits, payments and invoices (kept as the law requires for accounts) and the statistics
built on them stay, tied to an account row that no longer names anyone. Research consent goes with the profile, so no later
export holds the member's visits under any pseudonym."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coworking import clock, events
from coworking.accounts import research_profile
from coworking.accounts.events import AccountDeleted
from coworking.accounts.service import erase
from coworking.bookings.idempotency import IdempotencyKey
from coworking.bookings.models import CONFIRMED, PENDING_PAYMENT, Booking
from coworking.bookings.service import cancel_all_ahead
from coworking.calendars.models import CalendarToken
from coworking.database import use_case
from coworking.directory.service import forget as forget_directory_profile
from coworking.errors import Conflict, InvalidInput
from coworking.extensions import db
from coworking.memberships.holdings import holdings
from coworking.memberships.models import (
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from coworking.privacy.export import mails_to
from coworking.push.models import PushSubscription
from coworking.waitlist.service import leave_all

RUNNING = (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)
HELD = (MembershipStatus.PENDING, *RUNNING)


@dataclass
class PassLeft:
    """Credit left on a pass: its days, and what they are worth when it was paid for
    (its price shared out over its days), or None when it was free or is still unpaid."""

    membership: Membership
    days: int
    value_cents: int | None
    unpaid: bool


@dataclass
class WhatEnds:
    """What deleting the account ends, listed before the member gives their password."""

    passes: list            # PassLeft
    plans: list             # (membership, unpaid): running monthly plans and fixed desks
    bookings: list          # bookings not yet begun
    open_on_site: list      # payments still due on site, no longer owed


def what_ends(user):
    """The credit left, plans running and bookings to come, in a few queries."""
    now = clock.utcnow()
    held = holdings(db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status.in_(RUNNING))
        .order_by(Membership.created_at, Membership.id)).all())
    passes, plans = [], []
    for holding in held:
        membership, payment = holding.membership, holding.payment
        if membership.plan.kind.is_subscription:
            plans.append((membership, payment is not None and payment.is_open_on_site))
        elif holding.credits_left and (membership.current_period_end is None
                                       or membership.current_period_end > now):
            paid = payment is not None and payment.status == PaymentStatus.PAID
            total = membership.plan.credits or 1
            value = (payment.amount_cents * holding.credits_left // total
                     if paid and payment.amount_cents else None)
            passes.append(PassLeft(membership, holding.credits_left, value,
                                   unpaid=payment is not None and payment.is_open_on_site))
    bookings = db.session.scalars(
        select(Booking).where(Booking.user_id == user.id, Booking.start_at > now,
                              Booking.status.in_((PENDING_PAYMENT, CONFIRMED)))
        .order_by(Booking.start_at)).all()
    return WhatEnds(passes, plans, bookings, _open_on_site(user))


def _open_on_site(user, lock=False):
    query = select(Payment).where(Payment.user_id == user.id,
                                  Payment.method == PaymentMethod.ON_SITE,
                                  Payment.status == PaymentStatus.DUE).order_by(Payment.id)
    if lock:
        query = query.with_for_update(of=Payment)
    return db.session.scalars(query).all()


def _end_memberships(user, now):
    """Passes and plans end with the account; credit left lapses (a ledger entry says so),
    and what was still to be paid on site is no longer owed."""
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status.in_(HELD))
        .with_for_update(of=Membership)).all()
    for held in holdings(memberships):
        if held.credits_left and held.credits_left > 0:
            db.session.add(CreditEntry(membership_id=held.membership.id,
                                       delta=-held.credits_left, reason="account_deleted",
                                       created_at=now))
        held.membership.end(now, MembershipStatus.EXPIRED
                            if not held.membership.plan.kind.is_subscription
                            else MembershipStatus.CANCELLED, reason="account_deleted")
    for payment in _open_on_site(user, lock=True):
        payment.status = PaymentStatus.EXPIRED


def running_subscriptions(user):
    """Subscriptions that would go on charging the member: they end first, in the portal."""
    return db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status.in_(RUNNING),
                                 Membership.stripe_subscription_id.is_not(None),
                                 Membership.cancel_at_period_end.is_(False))
    ).all()


@use_case
def delete_account(user, password):
    """Delete `user`'s account, confirmed with their password; returns how many bookings
    ahead were cancelled."""
    if not password or not user.check_password(password):
        raise InvalidInput(_l("This is not your password."), field="password")
    if running_subscriptions(user):
        raise Conflict(_l("Your subscription still runs. Please cancel it first; you can "
                          "delete your account right after."))
    now = clock.utcnow()
    cancelled = cancel_all_ahead(user, now)
    _end_memberships(user, now)
    leave_all(user)
    for model in (CalendarToken, IdempotencyKey, PushSubscription):
        db.session.execute(delete(model).where(model.user_id == user.id))
    research_profile.forget(user)
    forget_directory_profile(user)
    events.record(AccountDeleted(user))
    for message in mails_to(user):
        db.session.delete(message)
    erase(user, now)
    return cancelled
