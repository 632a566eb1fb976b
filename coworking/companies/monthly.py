"""The companies' monthly invoices: for each company and operator, one invoice on account
for a month's desk days billed to it in that operator's spaces, and for the plan it holds
(billed by the plan's seller). Issued by a job after the month ends, or by the command."""
import logging
from collections import defaultdict
from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import clock
from coworking.accounts.models import User
from coworking.companies.models import Company, CompanyCharge, CompanyInvoice, CompanyMember
from coworking.database import use_case
from coworking.extensions import db
from coworking.invoicing.on_account import Charge, buyer, issue_on_account, last_day_of_month
from coworking.invoicing.service import parse_month
from coworking.operators.models import Operator

log = logging.getLogger(__name__)
INVOICE_GUARD = "uq_company_invoice_month"


def _buyer_of(company):
    admin_email = db.session.scalar(
        select(User.email).join(CompanyMember, CompanyMember.user_id == User.id)
        .where(CompanyMember.company_id == company.id, CompanyMember.role == "admin",
               CompanyMember.left_at.is_(None)).limit(1))
    return buyer(name=company.billing_name, company=company.name, street=company.street,
                 postcode=company.postcode, city=company.city, country=company.country,
                 vat_id=company.vat_id, buyer_reference=company.buyer_reference,
                 email=admin_email or "", customer_number=company.customer_number)


def charges_of_month(first, following):
    """{(company_id, operator_id): [Charge]} for the month, all companies in one query: desk
    days billed per day (one per employee, space and day, however many bookings that day
    had), counted per space and price."""
    rows = db.session.execute(
        select(CompanyCharge.company_id, CompanyCharge.operator_id, CompanyCharge.description,
               CompanyCharge.unit_gross_cents, CompanyCharge.vat_basis_points,
               CompanyCharge.user_id, CompanyCharge.space_id, CompanyCharge.local_day)
        .where(CompanyCharge.by_plan.is_(False), CompanyCharge.released_at.is_(None),
               CompanyCharge.local_day >= first, CompanyCharge.local_day < following)
        .distinct()).all()
    days = defaultdict(set)
    for company_id, operator_id, description, price, vat, user_id, space_id, day in rows:
        days[(company_id, operator_id, description, price, vat)].add((user_id, space_id, day))
    lines = defaultdict(list)
    for (company_id, operator_id, description, price, vat), used in sorted(days.items()):
        lines[(company_id, operator_id)].append(Charge(description, len(used), price, vat))
    return lines


def _plan_line(company, following):
    """The plan's seats for the month, when the company held it before the month ended."""
    if company.plan_id is None or company.plan_since is None:
        return None
    if company.plan_since.date() >= following:
        return None
    plan = company.plan
    return plan.seller_id, Charge(f"{plan.name} ({company.seats} Plätze)", company.seats,
                                  plan.price_cents, plan.vat_basis_points)


@use_case
def _issue_for(company_id, operator_id, first, charges):
    company = db.session.get(Company, company_id)
    operator = db.session.get(Operator, operator_id)
    last = last_day_of_month(first)
    invoice = issue_on_account(operator, _buyer_of(company), charges, first, last,
                               reference=f"{company.customer_number}-{first:%Y-%m}")
    db.session.add(CompanyInvoice(company_id=company.id, operator_id=operator.id, month=first,
                                  invoice_id=invoice.id))
    db.session.flush()
    return invoice


def issue_month(first):
    """Issue every company's invoices for the month beginning `first` that are not issued yet;
    returns {"issued": n, "skipped": n}. An operator whose invoice data is incomplete cannot
    issue; its invoice waits for the next run. Safe on several hosts at once: the month's
    unique key lets one of two racing runners issue it."""
    following = last_day_of_month(first) + timedelta(days=1)
    done = set(db.session.execute(select(CompanyInvoice.company_id, CompanyInvoice.operator_id)
                                  .where(CompanyInvoice.month == first)).all())
    lines = charges_of_month(first, following)
    for company in db.session.scalars(select(Company).where(Company.plan_id.is_not(None))):
        plan_line = _plan_line(company, following)
        if plan_line is not None:
            lines[(company.id, plan_line[0])].append(plan_line[1])
    due = sorted(key for key in lines if key not in done)
    complete = {operator.id: operator.is_complete for operator in db.session.scalars(
        select(Operator).where(Operator.id.in_({operator_id for _c, operator_id in due})))}
    issued = skipped = 0
    for company_id, operator_id in due:
        if not complete[operator_id]:
            skipped += 1
            continue
        try:
            _issue_for(company_id, operator_id, first, lines[(company_id, operator_id)])
            issued += 1
        except IntegrityError:
            db.session.rollback()  # another runner issued it a moment ago
    db.session.commit()
    return {"issued": issued, "skipped": skipped}


def previous_month(today):
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def issue_last_month():
    """After a month ends, its company invoices (idempotent: each is issued once)."""
    return issue_month(previous_month(clock.utcnow().date()))


companies_cli = AppGroup("companies", help="Company accounts.")


@companies_cli.command("invoice")
@click.option("--month", help="YYYY-MM; last month by default.")
def invoice_command(month):
    """Issue the companies' invoices of a month (those not issued yet)."""
    if month is None:
        first = previous_month(clock.utcnow().date())
    else:
        parsed = parse_month(month)
        if parsed is None:
            raise click.BadParameter("expected YYYY-MM", param_hint="--month")
        first = parsed[0]
    if first >= clock.utcnow().date().replace(day=1):
        raise click.BadParameter("the month has not ended yet", param_hint="--month")
    result = issue_month(first)
    click.echo(f"{first:%Y-%m}: {result['issued']} issued, {result['skipped']} waiting for "
               "their operator's invoice data")
