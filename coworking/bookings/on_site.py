"""What is to be paid on site as a booking shows it: its own day pass, or the purchase on site
of the plan that covers it. The host collects either with one tap (at check-in, too), and a
purchase nobody came to use lapses."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select, update

from coworking import clock, events, permissions
from coworking.bookings.day_pass import confirm_on_site
from coworking.bookings.events import CollectedOnSite
from coworking.bookings.lookup import visible_booking
from coworking.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from coworking.database import use_case
from coworking.errors import Conflict, Forbidden
from coworking.extensions import db
from coworking.memberships import on_site
from coworking.memberships.holdings import payments_shown_for_bookings
from coworking.memberships.models import (
    CoverUse,
    CreditEntry,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    credit_balance,
)
from coworking.memberships.service import confirm_payment_on_site

VISITED = (BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)


def nothing_owed_for_a_no_show(event):
    """A day pass to pay on site for a booking nobody came to is owed no more: no space has
    a rule that charges no-shows, so the member's page and the host's card say "nothing to
    pay" alike. An undone no-show makes it due again (checkins.undo)."""
    db.session.execute(
        update(Payment).where(Payment.booking_id == event.booking.id,
                              Payment.method == PaymentMethod.ON_SITE,
                              Payment.status == PaymentStatus.DUE)
        .values(status=PaymentStatus.EXPIRED))


def due_on_site(booking):
    """The payment to collect for this booking on site (a day pass, or the purchase of the
    plan covering it), or None."""
    payment = payments_shown_for_bookings([booking]).get(booking.id)
    if payment is not None and payment.method == PaymentMethod.ON_SITE \
            and payment.status == PaymentStatus.DUE:
        return payment
    return None


def collect(actor, booking):
    """Inside the caller's unit: what is due on site for `booking` is paid (the day pass, or
    the purchase covering it: the invoice is issued as its payment settles). Returns the
    payment, or None when nothing was due; collecting twice changes nothing."""
    if not permissions.can_confirm_booking_payment(actor, booking):
        raise Forbidden(_l("Only the hosts of its space, or admins, confirm a payment on site."))
    shown = payments_shown_for_bookings([booking]).get(booking.id)
    if shown is None or shown.method != PaymentMethod.ON_SITE:
        return None
    was_due = shown.status == PaymentStatus.DUE
    if shown.booking_id is not None:
        confirm_on_site(actor, booking.id)
    elif was_due:
        confirm_payment_on_site(actor, shown.membership_id)
    if was_due and shown.status == PaymentStatus.PAID:
        events.record(CollectedOnSite(actor, booking, booking.status, shown))
    return shown


@use_case
def collect_on_site(actor, booking_id):
    """A host's "paid on site" on a booking of the day: its day pass or its plan's purchase."""
    booking = visible_booking(actor, booking_id, for_update=True)
    if collect(actor, booking) is None:
        raise Conflict(_l("Nothing is to be paid on site for this booking."))
    return booking


def _used_or_ahead(now):
    """A booking the membership covers was visited, or is ahead or under way."""
    return exists(
        select(CoverUse.id).join(Booking, Booking.id == CoverUse.booking_id)
        .where(CoverUse.membership_id == Membership.id, CoverUse.released_at.is_(None),
               or_(Booking.status.in_(VISITED),
                   and_(Booking.status.in_(ACTIVE_STATUSES), Booking.end_at > now))))


@use_case
def lapse_unused_purchases(limit=100):
    """Purchases on site still unpaid `OPEN_PURCHASE_DAYS` after buying, with no booking of
    them visited and none ahead, lapse: nothing is owed, the plan ends (its credits with it)
    and the member is told. One that was used stays open for the host to collect; one with
    a booking ahead waits for that visit. Rows another runner holds are skipped."""
    now = clock.utcnow()
    candidates = db.session.scalars(
        select(Payment).join(Membership, Payment.membership_id == Membership.id)
        .where(Payment.method == PaymentMethod.ON_SITE, Payment.status == PaymentStatus.DUE,
               Payment.booking_id.is_(None),
               Payment.created_at <= now - on_site.OPEN_PURCHASE_DAYS,
               Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE,
                                      MembershipStatus.PENDING)),
               ~_used_or_ahead(now))
        .order_by(Payment.created_at, Payment.id).limit(limit)
        .with_for_update(of=(Payment, Membership), skip_locked=True)).all()
    for payment in candidates:
        membership = payment.membership
        payment.status = PaymentStatus.EXPIRED
        balance = credit_balance(membership.id) if membership.plan.kind.uses_credits else 0
        if balance > 0:
            db.session.add(CreditEntry(membership_id=membership.id, delta=-balance,
                                       reason="unpaid", created_at=now))
        membership.end(now, MembershipStatus.EXPIRED, reason="unpaid_on_site")
    return len(candidates)
