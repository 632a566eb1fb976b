"""Buying plans and passes, paying for them, and what a member holds: one function per use case."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coworking import audit, clock, permissions
from coworking.accounts.service import locked
from coworking.database import use_case
from coworking.errors import Conflict, EmailUnverified, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.memberships import on_site
from coworking.memberships.models import (
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Plan,
    PlanKind,
    credit_balance,
)
from coworking.spaces.models import Resource

# Stripe's shortest Checkout Session: a desk or a purchase is held this long while the member pays.
CHECKOUT_LIFETIME = timedelta(minutes=30)


def plans_on_sale():
    return db.session.scalars(
        select(Plan).where(Plan.retired_at.is_(None)).order_by(Plan.price_cents, Plan.id)).all()


def plans_for_space(space):
    """The plans on sale split for a visitor who came from `space`: those that cover it (its
    own first, then the network plans), and the rest. A visitor from Mölln should not read
    another town's monthly plan at the top."""
    plans = plans_on_sale()
    if space is None:
        return plans, []

    def rank(plan):
        return 1 if plan.all_spaces else 0 if plan.covers_space(space.id) else 2

    ranked = sorted(plans, key=rank)  # stable: by price within each group
    return ([plan for plan in ranked if rank(plan) < 2],
            [plan for plan in ranked if rank(plan) == 2])


def plan_on_sale(plan_id):
    plan = db.session.get(Plan, plan_id) if isinstance(plan_id, int) and 0 < plan_id < 2**31 else None
    if plan is None or not plan.is_on_sale:
        raise InvalidInput(_l("This plan is not on offer."), field="plan_id")
    return plan


def _free_fixed_desk(plan):
    """A fixed desk in one of the plan's spaces that nobody holds."""
    held = select(Membership.fixed_resource_id).where(
        Membership.fixed_resource_id.is_not(None),
        Membership.status.in_((MembershipStatus.PENDING, MembershipStatus.ACTIVE,
                               MembershipStatus.PAST_DUE)))
    query = select(Resource).where(Resource.kind == "fixed_desk", Resource.active.is_(True),
                                   Resource.id.not_in(held)).order_by(Resource.id)
    if not plan.all_spaces:
        query = query.where(Resource.space_id.in_([space.id for space in plan.spaces]))
    return db.session.scalars(query.limit(1).with_for_update(of=Resource)).first()


def new_payment(user_id, plan, online, now, membership=None, booking_id=None):
    """A payment that is due: through Stripe Checkout (held 30 minutes) or on site."""
    payment = Payment(user_id=user_id, plan=plan, plan_id=plan.id, membership=membership,
                      booking_id=booking_id,
                      method=PaymentMethod.STRIPE if online else PaymentMethod.ON_SITE,
                      status=PaymentStatus.DUE, amount_cents=plan.price_cents,
                      currency=plan.currency, vat_basis_points=plan.vat_basis_points,
                      expires_at=now + CHECKOUT_LIFETIME if online else None, created_at=now)
    db.session.add(payment)
    return payment


def require_verified_email(user):
    if not user.is_email_verified:
        raise EmailUnverified(_l(
            "Please confirm your e-mail address before you buy a plan: follow the link we sent "
            "to %(email)s. Your account page sends a new one if it has not arrived.",
            email=user.email))


@use_case
def buy(user, plan_id, online, usable_from=None):
    """Start buying a plan: active at once when free, otherwise pending with a payment due.

    `online` says whether Stripe is configured; without it the member pays on site: the plan
    covers at once and a host collects the payment at the next visit (one such open purchase
    per member). Only members who confirmed their e-mail address buy (EmailUnverified): a
    receipt, a failed payment and a subscription's end must reach them. `usable_from`: a
    consumer who did not ask for an early start uses it from then on. Returns
    (membership, payment or None).
    """
    require_verified_email(user)
    plan = plan_on_sale(plan_id)
    now = clock.utcnow()
    if plan.once_per_member:
        _check_first_time(user, plan)
    if not online and not plan.is_free:
        on_site.check_none_open(user.id)
    membership = Membership(user_id=user.id, plan=plan, plan_id=plan.id,
                            status=MembershipStatus.PENDING, created_at=now,
                            usable_from=usable_from)
    if plan.kind == PlanKind.FIXED_DESK:
        desk = _free_fixed_desk(plan)
        if desk is None:
            raise Conflict(_l("No fixed desk is free for this plan at the moment."),
                           field="plan_id")
        membership.fixed_resource_id = desk.id
    db.session.add(membership)
    db.session.flush()
    if plan.is_free:
        activate(membership, now)
        return membership, None
    if not online:
        payment = on_site.open_purchase(
            membership, lambda: new_payment(user.id, plan, online, now, membership=membership),
            now, activate)
        return membership, payment
    return membership, new_payment(user.id, plan, online, now, membership=membership)


def _check_first_time(user, plan):
    """Conflict when the member has had this plan. Their row is locked first: on PostgreSQL
    purchases at the same moment would all find none and all be sold; locked, each waits
    for the one before to commit and then finds it (SQLite's writers take turns anyway)."""
    locked(user)
    if db.session.scalar(select(Membership.id).where(Membership.user_id == user.id,
                                                     Membership.plan_id == plan.id).limit(1)):
        raise Conflict(_l("You have used %(plan)s already; it is offered once per member.",
                          plan=plan.name), field="plan_id")


def activate(membership, now, period_start=None, period_end=None):
    """The membership is paid for: it covers from now on; a pass gets its credits once."""
    first = membership.activate(now, period_end=period_end, period_start=period_start)
    if first and membership.plan.kind.uses_credits:
        db.session.add(CreditEntry(membership_id=membership.id, delta=membership.plan.credits or 1,
                                   reason="purchase", created_at=now))
    return first


def payment_for_membership(membership_id):
    return db.session.scalars(
        select(Payment).where(Payment.membership_id == membership_id)
        .order_by(Payment.id.desc()).limit(1)).first()


@use_case
def confirm_payment_on_site(actor, membership_id):
    """A host of a covered space, or an admin, confirms a plan was paid on site.

    Others learn nothing about the membership (NotFound); its member sees it but does not
    confirm their own payment (Forbidden). Confirming twice changes nothing.
    """
    membership = _membership_for_update(membership_id)
    may_confirm = membership is not None and permissions.can_confirm_plan_payment(
        actor, membership.plan)
    if membership is None or not (may_confirm or membership.user_id == actor.id):
        raise NotFound(_l("There is no membership %(id)s for you.", id=membership_id))
    if not may_confirm:
        raise Forbidden(_l("Only hosts of a space this plan covers, or admins, confirm payments."))
    if membership.status in (MembershipStatus.CANCELLED, MembershipStatus.EXPIRED):
        raise Conflict(_l("This membership has ended."))
    now = clock.utcnow()
    payment = payment_for_membership(membership.id)
    if payment is not None and payment.status == PaymentStatus.DUE:
        if payment.method != PaymentMethod.ON_SITE:
            raise Conflict(_l("This payment is made online; it is confirmed as soon as it "
                              "arrives."))
        payment.mark_paid(now, by=actor.id)
        audit.record(actor.id, "payment.paid_on_site", "payment", payment.id,
                     space_id=_audited_space(actor, membership.plan),
                     before={"status": "due"},
                     after={"status": "paid", "membership_id": membership.id,
                            "amount_cents": payment.amount_cents})
    activate(membership, now)
    return membership


def _audited_space(actor, plan):
    """The space whose history shows a host's confirmation: one the plan covers and the host
    runs (none for an admin's confirmation of a plan for several spaces)."""
    covered = sorted(space_id for space_id in actor.hosted_space_ids()
                     if plan.covers_space(space_id))
    if covered:
        return covered[0]
    return plan.spaces[0].id if not plan.all_spaces and len(plan.spaces) == 1 else None


def _membership_for_update(membership_id):
    if not isinstance(membership_id, int) or not 0 < membership_id < 2**31:
        return None
    return db.session.scalars(
        select(Membership).where(Membership.id == membership_id)
        .with_for_update(of=Membership)
        .execution_options(populate_existing=True)).first()


def memberships_of(user):
    """The member's memberships and passes, newest first, with their plans and spaces."""
    return db.session.scalars(
        select(Membership).where(Membership.user_id == user.id)
        .options(selectinload(Membership.plan).selectinload(Plan.spaces),
                 selectinload(Membership.fixed_resource))
        .order_by(Membership.created_at.desc(), Membership.id.desc())).all()


def credits_left(membership):
    return credit_balance(membership.id) if membership.plan.kind.uses_credits else None


def ledger_of(membership):
    return db.session.scalars(
        select(CreditEntry).where(CreditEntry.membership_id == membership.id)
        .order_by(CreditEntry.created_at, CreditEntry.id)).all()


def own_membership(user, membership_id):
    membership = db.session.get(Membership, membership_id) if 0 < membership_id < 2**31 else None
    if membership is None or membership.user_id != user.id:
        raise NotFound(_l("There is no membership %(id)s for you.", id=membership_id))
    return membership
