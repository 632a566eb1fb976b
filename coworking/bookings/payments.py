"""Single bookings paid with a day pass: how bookings are covered or paid, confirming a day
pass paid on site, and the day passes a host is to collect."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coworking import audit, clock, online_payments, permissions
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import visible_booking
from coworking.database import use_case
from coworking.errors import Conflict, Forbidden
from coworking.extensions import db
from coworking.memberships.holdings import (
    memberships_by_id,
    payments_of_bookings,
    payments_shown_for_bookings,
)
from coworking.memberships.models import Payment, PaymentMethod, PaymentStatus
from coworking.spaces.models import Resource


def cover_and_payments(bookings):
    """({membership id: membership}, {booking id: payment}) for a list of bookings, in a few
    queries: what covers each one, and the day pass paying for it or the purchase of its
    plan still to be paid on site."""
    return (memberships_by_id(b.membership_id for b in bookings),
            payments_shown_for_bookings(bookings))


def day_pass_checkout(booking, success_url, cancel_url):
    """The booking's payment; a day pass to pay online gets its Checkout opened here, after
    the booking's own unit has committed (Stripe is never called inside a transaction)."""
    payment = payments_of_bookings([booking.id]).get(booking.id)
    if (payment is not None and payment.method == PaymentMethod.STRIPE
            and payment.status == PaymentStatus.DUE and not payment.checkout_url):
        payment = online_payments.start_checkout(payment.id, success_url, cancel_url)
    return payment


@use_case
def confirm_day_pass_on_site(actor, booking_id):
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


def day_passes_to_collect(actor):
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
