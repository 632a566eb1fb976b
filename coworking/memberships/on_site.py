"""Plans bought to pay on site: they cover bookings at once, with the payment open until a
host collects it. A member has one such open purchase at a time; a second one waits until
the first is paid."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import formatting
from coworking.database import is_constraint_violation, savepoint
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.memberships.models import (
    OPEN_ON_SITE_PURCHASE,
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)

# An open purchase nobody came to use lapses after this long: see `lapse_unused`.
OPEN_PURCHASE_DAYS = timedelta(days=14)


def open_purchase_of(user_id, lock=False):
    """The member's purchase still to be paid on site (its payment), or None."""
    query = (select(Payment).join(Membership, Payment.membership_id == Membership.id)
             .where(Payment.user_id == user_id, Payment.method == PaymentMethod.ON_SITE,
                    Payment.status == PaymentStatus.DUE, Payment.booking_id.is_(None),
                    Membership.status.not_in((MembershipStatus.CANCELLED,
                                              MembershipStatus.EXPIRED)))
             .order_by(Payment.id).limit(1))
    if lock:
        query = query.with_for_update(of=Payment)
    return db.session.scalars(query).first()


def _second_purchase(open_payment):
    return Conflict(_l(
        "You still have %(plan)s to pay on site (%(price)s). Pay it at your next visit; then "
        "you can buy another plan to pay on site. Until then you can pay single bookings with "
        "a day pass.", plan=open_payment.plan.name,
        price=formatting.money(open_payment.amount_cents, open_payment.currency)),
        field="plan_id")


def check_none_open(user_id):
    """Conflict when the member has a purchase still to be paid on site."""
    open_payment = open_purchase_of(user_id)
    if open_payment is not None:
        raise _second_purchase(open_payment)


def open_purchase(membership, make_payment, now, activate):
    """The purchase covers from now on; its payment (made by `make_payment`) stays due until
    a host collects it. Returns the payment.

    Two purchases at the same moment (two taps, two devices) both pass `check_none_open`
    on PostgreSQL; the database's unique index lets one in and the other is a Conflict. The
    payment is made inside the savepoint: one pending before it would be flushed on opening
    the savepoint, and its violation would fail the whole unit instead."""
    try:
        with savepoint():
            payment = make_payment()
            db.session.flush()
    except IntegrityError as error:
        if is_constraint_violation(error, OPEN_ON_SITE_PURCHASE):
            raise Conflict(_l("You have just bought another plan to pay on site. Pay it at "
                              "your next visit; then you can buy this one."),
                           field="plan_id") from None
        raise
    activate(membership, now)
    return payment


def on_site_payments_of(membership_ids):
    """{membership id: its newest payment on site, due or paid}, in one query."""
    ids = {i for i in membership_ids if i is not None}
    if not ids:
        return {}
    return {p.membership_id: p for p in db.session.scalars(
        select(Payment).where(Payment.membership_id.in_(ids),
                              Payment.method == PaymentMethod.ON_SITE,
                              Payment.booking_id.is_(None)).order_by(Payment.id))}
