"""Company accounts: opening one, inviting employees by link, joining and leaving, choosing a
plan for seats, and what the company's admin may see (days used per employee, invoices).

Only the company's admin reads anything of a company, and what they read is counted in days:
never a booking's time, desk or space."""
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock
from coworking.accounts import billing_service
from coworking.accounts.models import User, hash_token, normalize_email
from coworking.accounts.service import email_problem
from coworking.bookings import service as bookings
from coworking.bookings.models import CONFIRMED, PENDING_PAYMENT, Booking
from coworking.companies.models import (
    Company,
    CompanyCharge,
    CompanyInvitation,
    CompanyInvoice,
    CompanyMember,
    CompanyRole,
)
from coworking.database import is_constraint_violation, use_case
from coworking.errors import Conflict, Gone, InvalidInput, NotFound
from coworking.extensions import db
from coworking.memberships.models import Plan, PlanKind
from coworking.text_input import control_characters_problem

INVITATION_LIFETIME = timedelta(days=7)
NAME_MAX = 200
CURRENT_MEMBER_INDEX = "uq_company_member_current"
# What the company's billing details are stored as (the member's billing details' fields).
BILLING_COLUMNS = {"name": "billing_name", "street": "street", "postcode": "postcode",
                   "city": "city", "country": "country", "vat_id": "vat_id",
                   "buyer_reference": "buyer_reference"}


def current_membership(user, lock=False):
    """The member's row in the company they belong to now, or None."""
    query = select(CompanyMember).where(CompanyMember.user_id == user.id,
                                        CompanyMember.left_at.is_(None))
    if lock:
        query = query.with_for_update(of=CompanyMember)
    return db.session.scalar(query)


def _check_name(name):
    text = " ".join((name or "").split()) if isinstance(name, str) else ""
    problem = control_characters_problem(name) if isinstance(name, str) else None
    if problem:
        raise InvalidInput(problem, field="name")
    if not text:
        raise InvalidInput(_l("Please enter the company's name."), field="name")
    if len(text) > NAME_MAX:
        raise InvalidInput(_l("At most %(n)s characters.", n=NAME_MAX), field="name")
    return text


def check_billing(values, prefix="billing."):
    """The company's billing details, checked as a member's are; errors name `billing.<field>`."""
    if not isinstance(values, dict):
        raise InvalidInput(_l("Send the billing details as a JSON object."), field="billing")
    try:
        return billing_service.check({**values, "company": ""})
    except InvalidInput as error:
        raise InvalidInput(_l("Please check the company's billing details."),
                           errors={f"{prefix}{name}": messages
                                   for name, messages in error.errors.items()}) from None


@use_case
def open_company(user, name, billing):
    """Open a company account with `user` as its admin. A member belongs to one company at a
    time, so someone still in another one leaves it first."""
    errors = {}
    for check, value in ((_check_name, name), (check_billing, billing)):
        try:
            result = check(value)
        except InvalidInput as error:
            errors.update(error.errors)
        else:
            name, cleaned = (result, None) if check is _check_name else (name, result)
    if errors:
        raise InvalidInput(_l("Please check the company's name and billing details."),
                           errors=errors)
    if current_membership(user) is not None:
        raise Conflict(_l("You already belong to a company. Leave it before you open another."))
    now = clock.utcnow()
    company = Company(name=name, created_at=now,
                      **{column: cleaned[field] for field, column in BILLING_COLUMNS.items()})
    db.session.add(company)
    db.session.flush()
    db.session.add(CompanyMember(company_id=company.id, user_id=user.id,
                                 role=CompanyRole.ADMIN.value, joined_at=now))
    audit.record(user.id, "company.opened", "company", company.id)
    return company


def company_for_admin(user, company_id, lock=False):
    """The company `user` administers; anyone else learns nothing of it (404)."""
    if not isinstance(company_id, int) or not 0 < company_id < 2**31:
        raise NotFound(_l("There is no company %(id)s for you.", id=company_id))
    query = (select(Company).join(CompanyMember, CompanyMember.company_id == Company.id)
             .where(Company.id == company_id, CompanyMember.user_id == user.id,
                    CompanyMember.role == CompanyRole.ADMIN.value,
                    CompanyMember.left_at.is_(None)))
    if lock:
        query = query.with_for_update(of=Company)
    company = db.session.scalar(query)
    if company is None:
        raise NotFound(_l("There is no company %(id)s for you.", id=company_id))
    return company


@use_case
def invite(user, company_id, email):
    """A link for an employee to join, valid a week and once; returns (secret, invitation).
    Only its hash is stored, so the link is shown to the admin this once."""
    company = company_for_admin(user, company_id)
    address = normalize_email(email) if isinstance(email, str) else ""
    problem = email_problem(address)
    if problem:
        raise InvalidInput(problem, field="email")
    now = clock.utcnow()
    secret = secrets.token_urlsafe(32)
    invitation = CompanyInvitation(company_id=company.id, email=address,
                                   token_hash=hash_token(secret), created_by_id=user.id,
                                   created_at=now, expires_at=now + INVITATION_LIFETIME)
    db.session.add(invitation)
    db.session.flush()
    audit.record(user.id, "company.invited", "company", company.id)
    return secret, invitation


def invitation_for(secret, lock=False):
    """The invitation a link stands for, while it can still be used; otherwise Gone saying
    whether it was used, ran out or never existed."""
    if not isinstance(secret, str) or not 20 <= len(secret) <= 100:
        raise Gone(_l("This invitation link is not valid. Ask your company for a new one."))
    query = select(CompanyInvitation).where(CompanyInvitation.token_hash == hash_token(secret))
    if lock:
        query = query.with_for_update(of=CompanyInvitation)
    invitation = db.session.scalar(query)
    if invitation is None:
        raise Gone(_l("This invitation link is not valid. Ask your company for a new one."))
    if invitation.used_at is not None:
        raise Gone(_l("This invitation has been used already; each link works once. Ask your "
                      "company for a new one."))
    if invitation.expires_at <= clock.utcnow():
        raise Gone(_l("This invitation ran out on %(day)s. Ask your company for a new one.",
                      day=invitation.expires_at.date().isoformat()))
    return invitation


@use_case
def join(user, secret):
    """The invited member joins the company the link is from; the link is used up."""
    invitation = invitation_for(secret, lock=True)
    current = current_membership(user, lock=True)
    if current is not None:
        if current.company_id == invitation.company_id:
            raise Conflict(_l("You belong to %(name)s already.", name=current.company.name))
        raise Conflict(_l("You belong to %(name)s. Leave it before you join another company.",
                          name=current.company.name))
    now = clock.utcnow()
    invitation.used_at, invitation.used_by_id = now, user.id
    db.session.add(CompanyMember(company_id=invitation.company_id, user_id=user.id,
                                 role=CompanyRole.EMPLOYEE.value, joined_at=now))
    try:
        db.session.flush()
    except IntegrityError as error:
        if is_constraint_violation(error, CURRENT_MEMBER_INDEX):
            raise Conflict(_l("You have just joined a company.")) from None
        raise
    audit.record(user.id, "company.joined", "company", invitation.company_id)
    return invitation.company


def billed_bookings_ahead(user, company_id, now):
    """The member's bookings billed to the company that have not begun."""
    return db.session.scalars(
        select(Booking).join(CompanyCharge, CompanyCharge.booking_id == Booking.id)
        .where(CompanyCharge.company_id == company_id, CompanyCharge.user_id == user.id,
               CompanyCharge.released_at.is_(None), Booking.start_at > now,
               Booking.status.in_((PENDING_PAYMENT, CONFIRMED)))
        .order_by(Booking.start_at)).all()


@use_case
def leave(user):
    """The member leaves their company, at any time. From now on their bookings are their own:
    those billed to the company that have not begun are cancelled (the member may book them
    again on their own). Returns those cancelled. The last admin cannot leave."""
    membership = current_membership(user, lock=True)
    if membership is None:
        raise Conflict(_l("You do not belong to a company."))
    if membership.role == CompanyRole.ADMIN.value:
        raise Conflict(_l("You administer %(name)s, and a company needs its admin.",
                          name=membership.company.name))
    now = clock.utcnow()
    ahead = billed_bookings_ahead(user, membership.company_id, now)
    for booking in ahead:
        bookings.cancel(user, booking.id)
    membership.left_at = now
    audit.record(user.id, "company.left", "company", membership.company_id)
    return ahead


def leave_with_account(event):
    """An account being deleted leaves its company (its bookings ahead are cancelled anyway;
    the days it used stay on the company's books without a name)."""
    membership = current_membership(event.user, lock=True)
    if membership is not None:
        membership.left_at = clock.utcnow()


@use_case
def choose_plan(user, company_id, plan_id, seats):
    """The company pays per desk day (`plan_id` None) or holds a monthly plan for `seats` of
    its people, billed by the plan's seller each month."""
    company = company_for_admin(user, company_id, lock=True)
    if plan_id is None:
        company.plan_id, company.seats, company.plan_since = None, None, None
        return company
    plan = db.session.get(Plan, plan_id) if isinstance(plan_id, int) and 0 < plan_id < 2**31 \
        else None
    if plan is None or not plan.is_on_sale or plan.kind != PlanKind.MONTHLY or plan.is_free:
        raise InvalidInput(_l("Choose a monthly plan on sale."), field="plan_id")
    if not isinstance(seats, int) or not 1 <= seats <= 500:
        raise InvalidInput(_l("Seats: a whole number from 1 to 500."), field="seats")
    company.plan_id, company.seats = plan.id, seats
    company.plan_since = clock.utcnow()
    audit.record(user.id, "company.plan_chosen", "company", company.id,
                 after={"plan_id": plan.id, "seats": seats})
    return company


def company_plans():
    """The monthly plans a company may hold for its people."""
    return db.session.scalars(
        select(Plan).where(Plan.retired_at.is_(None), Plan.kind == PlanKind.MONTHLY,
                           Plan.price_cents > 0).order_by(Plan.price_cents, Plan.id)).all()


def usage(user, company_id, first, following):
    """Days used per employee in [first, following): {name, days}, nothing more. Employees who
    used none are listed with 0; someone who left is listed for the days they used."""
    company = company_for_admin(user, company_id)
    days = dict(db.session.execute(
        select(CompanyCharge.user_id, func.count(distinct(CompanyCharge.local_day)))
        .where(CompanyCharge.company_id == company.id, CompanyCharge.released_at.is_(None),
               CompanyCharge.local_day >= first, CompanyCharge.local_day < following)
        .group_by(CompanyCharge.user_id)).all())
    current = set(db.session.scalars(
        select(CompanyMember.user_id).where(CompanyMember.company_id == company.id,
                                            CompanyMember.left_at.is_(None))))
    ids = {user_id for user_id in days if user_id is not None} | current
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    rows = [{"name": names.get(user_id) or "", "days": days.get(user_id, 0)}
            for user_id in ids]
    if days.get(None):
        rows.append({"name": str(_l("Deleted accounts")), "days": days[None]})
    return company, sorted(rows, key=lambda row: (row["name"].casefold(), row["days"]))


def invoices(user, company_id):
    """The company's invoices, newest first."""
    company = company_for_admin(user, company_id)
    return company, db.session.scalars(
        select(CompanyInvoice).where(CompanyInvoice.company_id == company.id)
        .order_by(CompanyInvoice.month.desc(), CompanyInvoice.id.desc())).all()


def company_invoice(user, company_id, invoice_id):
    company, rows = invoices(user, company_id)
    for row in rows:
        if row.invoice_id == invoice_id:
            return row.invoice
    raise NotFound(_l("There is no invoice %(id)s for you.", id=invoice_id))
