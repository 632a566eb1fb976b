"""Declaring a cancellation, confirming it by its e-mailed link, and making it take effect:
a plan paid on site ends at its period's end in our own data; a Stripe subscription is told
to cancel at its period's end, outside any open transaction, and its answer is stored in a
second short unit. A call that fails is made again by the job until Stripe answers."""
import calendar
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import clock, events, online_payments
from coworking.accounts.models import User, hash_token, normalize_email
from coworking.accounts.service import email_problem
from coworking.contracts.models import (
    CancellationConfirmed,
    CancellationKind,
    CancellationReceived,
    CancelledContract,
    ContractCancellation,
)
from coworking.database import use_case
from coworking.errors import DomainError, Gone, InvalidInput
from coworking.extensions import db, limiter
from coworking.memberships.models import Membership, MembershipStatus, Plan
from coworking.text_input import control_characters_problem

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(days=7)
NAME_MAX, REASON_MAX = 200, 1000
RUNNING = (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)
LINK_GONE = _l("This link has been used already or has expired. Please declare the "
               "cancellation again; it counts from when it arrives.")


@dataclass
class Declared:
    """What a declaration led to, for the page and the API: when it arrived, whether it took
    effect at once (signed in) or waits for its e-mailed link, the contracts it ends, and
    the passes named as (name, valid until or None): they end by themselves."""

    received_at: object
    at_once: bool
    cancellation: ContractCancellation | None = None
    passes: list = field(default_factory=list)

    @property
    def contracts(self):
        return self.cancellation.contracts if self.cancellation and self.at_once else []


def is_cancellable(membership):
    """A running subscription not already ending: passes run out on their own."""
    return (membership.plan.kind.is_subscription and membership.status in RUNNING
            and not membership.cancel_at_period_end)


def contracts_of(user):
    """The member's memberships the page offers: running subscriptions (to cancel) and
    passes still valid (which end by themselves), newest first."""
    now = clock.utcnow()
    return [m for m in db.session.scalars(
        select(Membership).where(Membership.user_id == user.id,
                                 Membership.status.in_(RUNNING))
        .order_by(Membership.created_at.desc(), Membership.id.desc()))
        if m.plan.kind.is_subscription or m.current_period_end is None
        or m.current_period_end > now]


def _add_months(instant, months):
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    return instant.replace(year=year, month=month,
                           day=min(instant.day, calendar.monthrange(year, month)[1]))


def period_end(membership, now):
    """The earliest date an ordinary cancellation ends the plan: the end of the period
    running now. Stripe's paid period where it has one; for a plan paid on site, the next
    monthly turn from its start."""
    if membership.current_period_end is not None and membership.current_period_end > now:
        return membership.current_period_end
    if membership.stripe_subscription_id:
        return membership.current_period_end  # Stripe's answer tells the date
    start = membership.current_period_start or membership.activated_at or now
    months = 1
    while _add_months(start, months) <= now:
        months += 1
    return _add_months(start, months)


def _check(email, name, kind, reason):
    errors = {}
    problem = email_problem(email)
    if problem:
        errors["email"] = [problem]
    if not name:
        errors["name"] = [_l("Please enter your name.")]
    elif len(name) > NAME_MAX or control_characters_problem(name, False):
        errors["name"] = [_l("Please enter your name in at most %(n)s characters.",
                             n=NAME_MAX)]
    if kind not in tuple(CancellationKind):
        errors["kind"] = [_l("Choose an ordinary or an extraordinary cancellation.")]
    elif kind == CancellationKind.EXTRAORDINARY and not reason:
        errors["reason"] = [_l("An extraordinary cancellation needs its serious reason.")]
    if len(reason) > REASON_MAX or control_characters_problem(reason, True):
        errors["reason"] = [_l("Please give the reason in at most %(n)s characters.",
                               n=REASON_MAX)]
    if errors:
        raise InvalidInput(_l("Please check the highlighted fields."), errors=errors)


def _named(user, membership_id, plan_id):
    """(subscriptions to end, passes named) for what the declaration names, rows locked."""
    query = (select(Membership).where(Membership.user_id == user.id,
                                      Membership.status.in_(RUNNING))
             .order_by(Membership.id).with_for_update(of=Membership)
             .execution_options(populate_existing=True))
    if membership_id is not None:
        query = query.where(Membership.id == membership_id)
    elif plan_id is not None:
        query = query.where(Membership.plan_id == plan_id)
    named = db.session.scalars(query).all()
    now = clock.utcnow()
    # A subscription already ending (cancelled in the portal, say) is confirmed with its date.
    return ([m for m in named if m.plan.kind.is_subscription],
            [m for m in named if not m.plan.kind.is_subscription
             and (m.current_period_end is None or m.current_period_end > now)])


@use_case
def declare(email, name, kind=CancellationKind.ORDINARY, reason="", membership_id=None,
            plan_id=None, actor=None, client_address=None, source="web"):
    """A cancellation arrives. Signed in as the account of `email`, it takes effect at once;
    otherwise a link goes to that address to confirm it (and nothing at all happens for an
    address without an account, which the answer does not tell). Counted like the password
    reset: per address asked for and per client address."""
    email = normalize_email(email or "")
    name, reason = (name or "").strip(), (reason or "").strip()
    _check(email, name, kind, reason)
    plan = db.session.get(Plan, plan_id) if plan_id is not None else None
    if plan_id is not None and plan is None:
        raise InvalidInput(_l("Choose a contract from the list."), field="plan_id")
    config = current_app.config
    limiter.hit(config["RATELIMIT_MAIL_PER_ADDRESS"], "mail-address", client_address or "-")
    limiter.hit(config["RATELIMIT_MAIL_PER_ACCOUNT"], "contract-cancellation", email)
    now = clock.utcnow()
    named_pass = [(plan.name, None)] if plan and not plan.kind.is_subscription else []
    user = db.session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    at_once = actor is not None and user is not None and actor.id == user.id
    if user is None:
        return Declared(now, False, passes=named_pass)
    targets, passes = _named(user, membership_id, plan_id)
    cancellation = ContractCancellation(
        received_at=now, user_id=user.id, name=name, email=email,
        membership_id=membership_id if any(m.id == membership_id for m in targets + passes)
        else None, plan_id=plan.id if plan else None, kind=str(kind), reason=reason,
        source=source,
        contracts=[CancelledContract(membership_id=m.id, membership=m,
                                     ends_at=period_end(m, now)) for m in targets])
    db.session.add(cancellation)
    db.session.flush()
    if not at_once:
        secret = secrets.token_urlsafe(32)
        cancellation.token_hash = hash_token(secret)
        cancellation.link_expires_at = now + LINK_LIFETIME
        events.record(CancellationReceived(cancellation, secret))
        return Declared(now, False, cancellation, named_pass)
    _take_effect(cancellation, now)
    return Declared(now, True, cancellation,
                    [(m.plan.name, m.current_period_end) for m in passes] or named_pass)


def _take_effect(cancellation, now):
    """Plans paid on site end at their period's end from now on; Stripe subscriptions wait
    for Stripe's answer (`complete_at_stripe`). Contracts that ended or were cancelled
    meanwhile have nothing left to do."""
    cancellation.confirmed_at = now
    for contract in cancellation.contracts:
        membership = contract.membership
        if not is_cancellable(membership):
            contract.ends_at = membership.ended_at or membership.current_period_end
            contract.done_at = now
        elif not membership.stripe_subscription_id:
            membership.current_period_end = contract.ends_at
            membership.cancel_at_period_end = True
            contract.done_at = now
    _confirm_if_done(cancellation)


def _confirm_if_done(cancellation):
    if cancellation.is_done:
        events.record(CancellationConfirmed(cancellation))


def cancellation_by_link(secret):
    """The cancellation its e-mailed link confirms, or Gone (used, run out, or unknown)."""
    cancellation = db.session.scalar(
        select(ContractCancellation).where(
            ContractCancellation.token_hash == hash_token(secret or ""))) if secret else None
    if cancellation is None or (cancellation.confirmed_at is None
                                and cancellation.link_expires_at <= clock.utcnow()):
        raise Gone(LINK_GONE)
    return cancellation


@use_case
def confirm_by_link(secret):
    """The member followed the link: the cancellation takes effect now (once; a second
    confirmation changes nothing), still counting from when it arrived."""
    found = cancellation_by_link(secret)
    cancellation = db.session.scalar(
        select(ContractCancellation).where(ContractCancellation.id == found.id)
        .with_for_update(of=ContractCancellation).execution_options(populate_existing=True))
    if cancellation.confirmed_at is None:
        for contract in cancellation.contracts:
            db.session.refresh(contract.membership, with_for_update=True)
        _take_effect(cancellation, clock.utcnow())
    return cancellation


def complete_at_stripe(cancellation_id):
    """Ask Stripe to end each subscription of the cancellation at its period's end; returns
    whether everything is done (a failed call is left for the job)."""
    _call_stripe(_waiting_for_stripe(cancellation_id))
    return db.session.get(ContractCancellation, cancellation_id, populate_existing=True).is_done


def _call_stripe(waiting):
    """Each call outside any open transaction, with an idempotency key from our row, and
    each answer stored in its own short unit. Returns how many were answered."""
    answered = 0
    for contract_id, subscription_id in waiting:
        try:
            ends_at = online_payments.end_subscription_at_period_end(
                subscription_id, idempotency_key=f"contract-cancellation-{contract_id}")
        except DomainError as error:
            log.warning("cancelling subscription %s at Stripe failed: %s; the job tries again",
                        subscription_id, error)
            continue
        _store_stripe_answer(contract_id, ends_at)
        answered += 1
    return answered


@use_case
def _waiting_for_stripe(cancellation_id=None):
    """(contract id, subscription id) of confirmed cancellations Stripe has not answered."""
    query = (select(CancelledContract.id, Membership.stripe_subscription_id)
             .join(Membership, Membership.id == CancelledContract.membership_id)
             .join(ContractCancellation,
                   ContractCancellation.id == CancelledContract.cancellation_id)
             .where(CancelledContract.done_at.is_(None),
                    ContractCancellation.confirmed_at.is_not(None),
                    Membership.stripe_subscription_id.is_not(None))
             .order_by(CancelledContract.id))
    if cancellation_id is not None:
        query = query.where(CancelledContract.cancellation_id == cancellation_id)
    return [tuple(row) for row in db.session.execute(query)]


@use_case
def _store_stripe_answer(contract_id, ends_at):
    """Stripe ended the subscription at its period's end: ours does so too. The declaration's
    row is locked first, so when two runners finish its last two contracts at once, the one
    that comes second sees both done and sends the one confirmation."""
    cancellation_id = db.session.scalar(select(CancelledContract.cancellation_id).where(
        CancelledContract.id == contract_id))
    cancellation = _locked(ContractCancellation, cancellation_id)
    contract = _locked(CancelledContract, contract_id)
    if contract.done_at is not None:
        return
    membership = _locked(Membership, contract.membership_id)
    if membership.status in RUNNING:
        membership.cancel_at_period_end = True
        if ends_at is not None:
            membership.current_period_end = ends_at
    contract.ends_at = ends_at or contract.ends_at or membership.current_period_end
    contract.done_at = clock.utcnow()
    db.session.flush()
    db.session.scalars(select(CancelledContract).where(
        CancelledContract.cancellation_id == cancellation.id)
        .execution_options(populate_existing=True)).all()
    _confirm_if_done(cancellation)


def _locked(model, row_id):
    return db.session.scalar(select(model).where(model.id == row_id)
                             .with_for_update(of=model).execution_options(populate_existing=True))


def finish_cancellations():
    """Cancellations whose Stripe call failed are tried again until Stripe answers."""
    return {"subscriptions cancelled at Stripe": _call_stripe(_waiting_for_stripe())}
