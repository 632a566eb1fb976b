"""Ordering a paid plan, pass or day pass online (§ 312j BGB): the checks before anything is
bought (the seller may sell, the buyer's billing details are there, a consumer said whether
use may begin within the withdrawal period) and the order kept with the purchase.

Buying itself stays in `service.buy` and the booking service; these checks run before them
in the same unit of work, so a refused order leaves nothing behind."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import clock, formatting
from coworking.accounts import billing_service
from coworking.database import use_case
from coworking.errors import Conflict, InvalidInput
from coworking.extensions import db
from coworking.memberships.orders import WITHDRAWAL_NOTICE_VERSION, Order
from coworking.memberships.service import buy, plan_on_sale, require_verified_email

# § 355 (2) BGB: fourteen days from the day the contract is made (that day not counted).
WITHDRAWAL_DAYS = 14


@dataclass(frozen=True)
class Purchase:
    """How the buyer ordered (`source`: "web" or "api") and what they said about an early
    start: True, False, or None when they said nothing."""

    source: str = "web"
    early_start: bool | None = None


@dataclass(frozen=True)
class Terms:
    """What applies to one order: whether the buyer is a consumer, when their withdrawal
    period ends, and from when the purchase may be used."""

    consumer: bool
    withdrawal_ends_at: datetime | None
    early_start: bool | None
    usable_from: datetime


class SellerIncomplete(Conflict):
    """The plan's seller has not filled in what its invoices need, so it sells nothing online."""

    code = "seller-incomplete"

    def __init__(self, seller):
        missing = seller.missing_fields()
        super().__init__(
            _l("%(seller)s does not sell online yet: its details for invoices are not complete. "
               "Please ask at the space.", seller=seller_name(seller)),
            errors={f"seller.{name}": [_l("Not filled in yet.")] for name in missing})
        self.extra = {"seller": seller.slug, "missing": missing}


class BillingDetailsMissing(InvalidInput):
    """The buyer has not given what their invoice is made out to."""

    code = "billing-details-missing"

    def __init__(self, missing):
        super().__init__(
            _l("Please give your billing details before you buy: your invoice is made out to "
               "them (PUT /api/v1/me/billing, or your account page)."),
            errors={f"billing.{name}": [_l("Missing in your billing details.")]
                    for name in missing})
        self.extra = {"missing": missing}


def seller_name(operator):
    """How pages and messages name a seller: its legal name, or its slug before it has one."""
    return operator.legal_name or operator.slug


def programme_zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def withdrawal_period_end(ordered_at):
    """The instant the withdrawal period of an order made at `ordered_at` is over: the end of
    the fourteenth day after the order's day, local time (§§ 187, 188 BGB)."""
    zone = programme_zone()
    last_day = ordered_at.astimezone(zone).date() + timedelta(days=WITHDRAWAL_DAYS)
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone)


def local_day(instant):
    return instant.astimezone(programme_zone()).date()


def last_withdrawal_day(ends_at):
    """The last day on which the buyer may still withdraw."""
    return local_day(ends_at) - timedelta(days=1)


def terms_for(user, plan, now, early_start):
    """The terms a buyer gets for `plan` ordered now, as the summary page shows them."""
    details = billing_service.billing_details_of(user)
    if not billing_service.is_consumer(details):
        return Terms(False, None, None, now)
    ends = withdrawal_period_end(now)
    return Terms(True, ends, early_start, now if early_start else ends)


def check(user, plan, purchase, now, begins=None):
    """The terms of ordering `plan` now; refused with SellerIncomplete (409), or InvalidInput
    naming the missing billing details or `early_start`. `begins`: when a day pass's booking
    starts, which must not lie before the purchase may be used."""
    if not plan.seller.is_complete:
        raise SellerIncomplete(plan.seller)
    details = billing_service.billing_details_of(user)
    missing = billing_service.missing_fields(details)
    if missing:
        raise BillingDetailsMissing(missing)
    if not billing_service.is_consumer(details):
        return Terms(False, None, None, now)
    if purchase.early_start is None:
        raise InvalidInput(_l(
            "As a consumer you may withdraw within 14 days. Please say whether we may begin "
            "before then: true (you lose the right of withdrawal once the service is fully "
            "provided) or false (usable from %(date)s on).",
            date=formatting.medium_date(local_day(withdrawal_period_end(now)))),
            field="early_start")
    terms = terms_for(user, plan, now, purchase.early_start)
    if begins is not None and begins < terms.usable_from:
        raise InvalidInput(_l(
            "This booking begins before your withdrawal period ends (%(date)s). A day pass for "
            "it needs your express request that we begin before then.",
            date=formatting.medium_date(last_withdrawal_day(terms.withdrawal_ends_at))),
            field="early_start")
    return terms


def record(user, plan, purchase, terms, now, membership=None, payment=None):
    """Keep what the buyer agreed to with their purchase."""
    order = Order(user_id=user.id, plan_id=plan.id, seller_id=plan.seller_id,
                  membership=membership, payment=payment, ordered_at=now,
                  source=purchase.source, price_cents=plan.price_cents, currency=plan.currency,
                  vat_basis_points=plan.vat_basis_points, consumer=terms.consumer,
                  withdrawal_ends_at=terms.withdrawal_ends_at,
                  withdrawal_notice=WITHDRAWAL_NOTICE_VERSION if terms.consumer else None,
                  early_start=terms.early_start, usable_from=terms.usable_from)
    db.session.add(order)
    return order


@use_case
def order_plan(user, plan_id, online, purchase):
    """Order a plan or pass: a free one is simply bought; a paid one is checked first, bought,
    and its order kept. Returns (membership, payment or None) as `buy` does."""
    plan = plan_on_sale(plan_id)
    if plan.is_free:
        return buy(user, plan.id, online)
    require_verified_email(user)
    now = clock.utcnow()
    terms = check(user, plan, purchase, now)
    delayed = terms.usable_from if terms.usable_from > now else None
    membership, payment = buy(user, plan.id, online, usable_from=delayed)
    record(user, plan, purchase, terms, now, membership=membership, payment=payment)
    return membership, payment


def order_of(membership_id=None, payment_id=None):
    """The order behind a membership or a booking's payment, if it was ordered online."""
    column, value = ((Order.membership_id, membership_id) if membership_id is not None
                     else (Order.payment_id, payment_id))
    return db.session.scalar(select(Order).where(column == value).order_by(Order.id.desc())
                             .limit(1))


@dataclass(frozen=True)
class Price:
    """A plan's price as the summary shows it: gross, and the net and VAT in it."""

    gross_cents: int
    net_cents: int
    vat_cents: int
    vat_basis_points: int
    currency: str
    charges_vat: bool
    tax_note: str | None


def price_of(plan):
    """Net and VAT split from the gross price the way invoices split it (the net rounded half
    away from zero, the VAT the rest); a seller that charges no VAT shows why instead."""
    gross, rate = plan.price_cents, plan.vat_basis_points
    if not plan.seller.mode.charges_vat or rate == 0:
        note = None if plan.seller.mode.charges_vat else plan.seller.mode.label
        return Price(gross, gross, 0, 0, plan.currency, False, note)
    divisor = 10000 + rate
    net = (2 * gross * 10000 + divisor) // (2 * divisor)
    return Price(gross, net, gross - net, rate, plan.currency, True, None)
