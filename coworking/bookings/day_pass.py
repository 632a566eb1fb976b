"""A booking's day pass: the one place that decides and records it.

A member whose memberships do not cover a booking (and whom no other payer covers) pays for
that booking alone with the space's day pass when they ask for it (`pay="day_pass"`, desks
only); otherwise the answer is PaymentRequired with the offers that would cover it. With
online payments on, the booking is held (`pending_payment`) while the member pays through
Stripe Checkout, which opens after the booking's own unit has committed (Stripe is never
called inside a transaction); a paid Checkout confirms it, a failed or lapsed one frees the
desk. Without them the booking is confirmed at once and a host collects the day pass on site.

`book()` asks `required` and records the returned `DayPass`; the booking pages and the API
open its Checkout (`checkout`) and confirm it on site (`confirm_on_site`); billing reports
what Stripe said through the functions at the end, inside its own units of work.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coworking import audit, clock, online_payments, permissions
from coworking.bookings.lookup import locked_booking, visible_booking
from coworking.bookings.models import (
    ACTIVE_STATUSES,
    CANCELLED,
    CONFIRMED,
    OVERLAP_GUARDS,
    PENDING_PAYMENT,
    Booking,
)
from coworking.database import is_constraint_violation, savepoint, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, PaymentRequired
from coworking.extensions import db
from coworking.memberships import cover, ordering, payments
from coworking.memberships.holdings import payments_of_bookings
from coworking.memberships.models import Payment, PaymentMethod, PaymentStatus, Plan
from coworking.memberships.service import CHECKOUT_LIFETIME, new_payment
from coworking.spaces.models import Resource

# What `pay` may ask for (the API's `pay`, the pages' button).
PAY_CHOICES = ("day_pass",)


def online() -> bool:
    """Whether a day pass is paid online now (Stripe is set up); else it is paid on site."""
    return online_payments.enabled()


@dataclass(frozen=True)
class DayPass:
    """A day pass one booking is to be paid with, decided before the booking is written."""

    plan: Plan
    online: bool
    purchase: ordering.Purchase | None = None  # how the buyer ordered it, when they did
    terms: object | None = None                # what they agreed to (`ordering.check`)

    def hold_until(self, now: datetime) -> datetime | None:
        """Until when the booking is held for the payment: paid online, while its Checkout
        may live; paid on site, not at all (it is confirmed at once)."""
        return now + CHECKOUT_LIFETIME if self.online else None

    def record(self, user, booking_id: int, now: datetime) -> Payment:
        """The payment due for the booking just written, with its order when one was made."""
        payment = new_payment(user.id, self.plan, self.online, now, booking_id=booking_id)
        if self.terms is not None:
            ordering.record(user, self.plan, self.purchase, self.terms, now, payment=payment)
        return payment


def offer_json(plan):
    """One of a 402's offers: the plan, who sells it, and whether it can be bought online."""
    return {"plan_id": plan.id, "name": plan.name, "kind": plan.kind.value,
            "price_cents": plan.price_cents, "seller": plan.seller.slug,
            "seller_name": ordering.seller_name(plan.seller),
            "sells_online": plan.seller.is_complete}


def required(user, space, kind, pay, online, purchase, now, begins) -> DayPass:
    """The day pass that pays for one booking without cover in `space`, or PaymentRequired
    (nothing asked: the offers that would cover it), or InvalidInput (not offered here). A
    day pass ordered online (`purchase`) passes the order's checks (`begins`: the booking's
    start, not before the purchase may be used)."""
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
    terms = (ordering.check(user, plan, purchase, now, begins=begins)
             if purchase is not None else None)
    return DayPass(plan, online, purchase, terms)


def checkout(booking, success_url, cancel_url):
    """The booking's payment; a day pass to pay online gets its Checkout opened here, after
    the booking's own unit has committed."""
    payment = payments_of_bookings([booking.id]).get(booking.id)
    if (payment is not None and payment.method == PaymentMethod.STRIPE
            and payment.status == PaymentStatus.DUE and not payment.checkout_url):
        payment = online_payments.start_checkout(payment.id, success_url, cancel_url)
    return payment


def opens_checkout(payment_json) -> bool:
    """Whether a booking's JSON `payment` is a day pass to pay online without a Checkout yet."""
    return (payment_json is not None and payment_json["method"] == "stripe"
            and payment_json["status"] == "due" and not payment_json["checkout_url"])


@use_case
def confirm_on_site(actor, booking_id):
    """A host of the booking's space, or an admin, confirms its day pass was paid on site.

    Others learn nothing about the booking (NotFound); its member sees it but does not
    confirm their own payment (Forbidden). Confirming twice changes nothing.
    """
    booking = visible_booking(actor, booking_id, for_update=True)
    if not permissions.can_confirm_booking_payment(actor, booking):
        raise Forbidden(_l("Only the hosts of its space, or admins, confirm a day pass paid on "
                           "site."))
    payment = db.session.scalars(
        select(Payment).where(Payment.booking_id == booking.id).order_by(Payment.id.desc())
        .limit(1).with_for_update(of=Payment)).first()
    if payment is None:
        raise Conflict(_l("Nothing is to be paid for this booking: a membership covers it."))
    if payment.status == PaymentStatus.PAID:
        return booking
    if payment.method != PaymentMethod.ON_SITE:
        raise Conflict(_l("This payment is made online; it is confirmed as soon as it arrives."))
    if payment.status != PaymentStatus.DUE or not booking.is_active:
        raise Conflict(_l("This booking is cancelled; nothing is to be paid for it."))
    payment.mark_paid(clock.utcnow(), by=actor.id)
    audit.record(actor.id, "payment.paid_on_site", "payment", payment.id,
                 space_id=booking.resource.space_id, before={"status": "due"},
                 after={"status": "paid", "booking_id": booking.id,
                        "amount_cents": payment.amount_cents})
    return booking


def to_collect(actor):
    """[(payment, booking)]: day passes due on site for active bookings in the spaces `actor`
    hosts (admins: all spaces), soonest booking first."""
    if not permissions.hosts_any_space(actor):
        return []
    query = (select(Payment, Booking).join(Booking, Payment.booking_id == Booking.id)
             .join(Booking.resource)
             .where(Payment.method == PaymentMethod.ON_SITE, Payment.status == PaymentStatus.DUE,
                    Booking.status.in_(ACTIVE_STATUSES))
             .options(joinedload(Booking.resource).joinedload(Resource.space),
                      joinedload(Booking.user))
             .order_by(Booking.start_at, Booking.id))
    if not permissions.is_admin(actor):
        query = query.where(Resource.space_id.in_(actor.hosted_space_ids()))
    return [tuple(row) for row in db.session.execute(query).unique()]


# -- What Stripe's answers change (billing calls these inside its units of work) -------------

def expire_holds(bookings, now):
    """Held bookings whose payment did not come: the desks are free again, and their
    payments show expired (unless money is on its way)."""
    for booking in bookings:
        booking.expire(now)
    if bookings:
        db.session.flush()
        payments.expire_booking_payments([booking.id for booking in bookings], now)


def hold_for_checkout(booking_id, until):
    """The desk stays held while the member pays, as long as the Checkout Session lives.
    Returns whether it is still held (the member may have cancelled it meanwhile)."""
    booking = locked_booking(booking_id)
    if booking is None or booking.status != PENDING_PAYMENT:
        return False
    booking.hold_until = max(booking.hold_until, until)
    return True


def release_hold(booking_id, now):
    """Its checkout failed, ran out or its payment failed: the held desk is free again."""
    booking = locked_booking(booking_id)
    if booking is not None and booking.status == PENDING_PAYMENT:
        expire_holds([booking], now)


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
    booking = locked_booking(payment.booking_id)
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
    booking = locked_booking(booking_id)
    if booking is not None and booking.status in (PENDING_PAYMENT, CONFIRMED):
        booking.cancel(now)
        return True
    return False
