"""The company as a payer of its employees' bookings (`bill_to: "company"`): which desk
days its cover reaches, and the charge each billed booking leaves for the monthly invoice."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, select

from coworking.bookings import payers
from coworking.bookings.day_pass import offer_json
from coworking.companies.models import Company, CompanyCharge
from coworking.companies.service import current_membership
from coworking.errors import InvalidInput, PaymentRequired
from coworking.extensions import db
from coworking.memberships import cover

NAME = "company"


def _month(day):
    first = day.replace(day=1)
    return first, first.replace(year=first.year + first.month // 12,
                                month=first.month % 12 + 1)


def _refused(message, request):
    """402: the company's cover does not reach; the offers are what the member could buy."""
    space = request.resource.space
    offers = cover.offers(space.id, request.kind, request.user.id)
    return PaymentRequired(message, offers=[offer_json(plan) for plan in offers])


def _plan_reaches(company, request):
    """Whether the company's plan covers this desk day for this employee: the plan covers the
    space, a seat is free (or already theirs this month), and the seat's days last."""
    plan = company.plan
    space = request.resource.space
    if not plan.covers_space(space.id):
        return _l("%(company)s's plan does not cover %(space)s.", company=company.name,
                  space=space.name)
    first, following = _month(request.local_day)
    in_month = (CompanyCharge.company_id == company.id, CompanyCharge.by_plan.is_(True),
                CompanyCharge.released_at.is_(None), CompanyCharge.local_day >= first,
                CompanyCharge.local_day < following)
    seated = set(db.session.scalars(select(distinct(CompanyCharge.user_id)).where(*in_month)))
    if request.user.id not in seated and len(seated) >= company.seats:
        return _l("All %(n)s seats of %(company)s's plan are taken this month.",
                  n=company.seats, company=company.name)
    if plan.days_per_month is not None:
        days = set(db.session.scalars(select(distinct(CompanyCharge.local_day)).where(
            *in_month, CompanyCharge.user_id == request.user.id)))
        if request.local_day not in days and len(days) >= plan.days_per_month:
            return _l("Your seat on %(company)s's plan has used its %(n)s days this month.",
                      company=company.name, n=plan.days_per_month)
    return None


class CompanyPayer:
    """Registered with the booking service's payers as "company"."""

    def label(self, user):
        membership = current_membership(user)
        return (_l("%(company)s pays", company=membership.company.name)
                if membership is not None else None)

    def cover(self, request):
        membership = current_membership(request.user)
        if membership is None:
            raise InvalidInput(_l("You do not belong to a company, so it cannot pay for this "
                                  "booking."), field="bill_to")
        # One booking at a time decides on the company's seats and days.
        company = db.session.scalar(select(Company).where(Company.id == membership.company_id)
                                    .with_for_update(of=Company))
        space = request.resource.space
        if request.kind != cover.DESK:
            raise _refused(_l("%(company)s pays for desk days only.", company=company.name),
                           request)
        if company.plan_id is not None:
            problem = _plan_reaches(company, request)
            if problem is not None:
                raise _refused(problem, request)
            price, vat, description = 0, company.plan.vat_basis_points, company.plan.name
        else:
            day_pass = cover.day_pass_plan(space.id)
            if day_pass is None or not space.operator.is_complete:
                raise _refused(_l("%(space)s does not bill companies per day yet.",
                                  space=space.name), request)
            price, vat = day_pass.price_cents, day_pass.vat_basis_points
            description = f"Arbeitsplatz-Tag {space.name}"

        def record(booking_id):
            db.session.add(CompanyCharge(
                company_id=company.id, user_id=request.user.id, booking_id=booking_id,
                operator_id=space.operator_id, space_id=space.id, local_day=request.local_day,
                by_plan=company.plan_id is not None, unit_gross_cents=price,
                vat_basis_points=vat, description=description, created_at=request.now))

        return record


payers.register(NAME, CompanyPayer())


def release_on_cancel(event):
    """A cancelled booking is no longer the company's to pay, nor a day it used."""
    charge = db.session.scalar(select(CompanyCharge).where(
        CompanyCharge.booking_id == event.booking.id, CompanyCharge.released_at.is_(None)))
    if charge is not None:
        charge.released_at = event.booking.cancelled_at


def follow_change(event):
    """A billed booking moved to another day counts as that day (its cover is kept, as a
    membership's is)."""
    charge = db.session.scalar(select(CompanyCharge).where(
        CompanyCharge.booking_id == event.booking.id, CompanyCharge.released_at.is_(None)))
    if charge is not None:
        booking = event.booking
        charge.local_day = booking.start_at.astimezone(booking.resource.space.zone).date()
