"""Company pages: opening an account, the admin's page (days used per employee, invoices,
invitations, how the company pays), the invitation a member follows, and leaving."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coworking import clock, links
from coworking.accounts import billing_rules
from coworking.accounts.views import attach_errors
from coworking.companies import service
from coworking.companies.forms import (
    CompanyForm,
    CompanyPlanForm,
    InvitationForm,
    JoinForm,
    LeaveForm,
)
from coworking.errors import DomainError, Gone
from coworking.formatting import money
from coworking.invoicing.service import file_name, parse_month, pdf_of

bp = Blueprint("companies", __name__)
NO_STORE = {"Cache-Control": "no-store"}


def _company_form(submitted=False):
    form = CompanyForm() if submitted else CompanyForm(formdata=None, data={"country": "DE"})
    form.country.choices = [SelectChoice(code, name)
                            for code, name in billing_rules.country_choices()]
    return form


@bp.route("/companies/new", methods=["GET", "POST"])
@login_required
def open_company():
    if request.method == "GET":
        return render_template("companies/new.html", form=_company_form())
    form = _company_form(submitted=True)
    if form.validate_on_submit():
        try:
            company = service.open_company(current_user, form.company_name.data,
                                           form.values())
        except DomainError as error:
            _attach(form, error)
            return render_template("companies/new.html", form=form), error.status
        flash(_("%(name)s has its company account. Invite your employees below.",
                name=company.name), "success")
        return redirect(url_for("companies.admin_page", company_id=company.id))
    return render_template("companies/new.html", form=form), 422


def _attach(form, error):
    """Errors of `billing.<field>` and `name` beside the company form's fields."""
    errors = {("company_name" if name == "name" else name.removeprefix("billing.")): messages
              for name, messages in (error.errors or {}).items()}
    attach_errors(form, type(error)(error.message, errors=errors or None))


def _month():
    """The month the page shows: ?month=YYYY-MM, else this one."""
    today = clock.utcnow().date()
    chosen = request.args.get("month")
    parsed = parse_month(chosen) if chosen else None
    first = parsed[0] if parsed else today.replace(day=1)
    return first, parse_month(first.strftime("%Y-%m"))[1]


def _plan_form(company, submitted=False):
    form = CompanyPlanForm() if submitted else CompanyPlanForm(
        formdata=None, data={"plan_id": str(company.plan_id or ""), "seats": company.seats})
    form.plan_id.choices = [SelectChoice("", _("Per desk day, on a monthly invoice"))] + [
        SelectChoice(str(plan.id), _("%(plan)s for each seat (%(price)s a month)",
                                     plan=plan.name, price=money(plan.price_cents)))
        for plan in service.company_plans()]
    return form


def _admin_page(company_id, status=200, new_link=None, **forms):
    first, following = _month()
    company, rows = service.usage(current_user, company_id, first, following)
    _company, invoices = service.invoices(current_user, company_id)
    shown = {"invite_form": InvitationForm(formdata=None), "plan_form": _plan_form(company)}
    shown.update(forms)
    return render_template("companies/admin.html", company=company, rows=rows, month=first,
                           invoices=invoices, new_link=new_link, **shown), status, NO_STORE


@bp.get("/companies/<int:company_id>")
@login_required
def admin_page(company_id):
    return _admin_page(company_id)


@bp.post("/companies/<int:company_id>/invitations")
@login_required
def invite(company_id):
    form = InvitationForm()
    if not form.validate_on_submit():
        return _admin_page(company_id, 422, invite_form=form)
    try:
        secret, invitation = service.invite(current_user, company_id, form.email.data)
    except DomainError as error:
        attach_errors(form, error)
        return _admin_page(company_id, error.status, invite_form=form)
    # Shown this once: only the link's hash is stored.
    return _admin_page(company_id, 201, new_link={
        "url": links.external_url("companies.invitation", token=secret),
        "email": invitation.email, "expires_at": invitation.expires_at})


@bp.post("/companies/<int:company_id>/plan")
@login_required
def choose_plan(company_id):
    form = _plan_form(service.company_for_admin(current_user, company_id), submitted=True)
    if not form.validate_on_submit():
        return _admin_page(company_id, 422, plan_form=form)
    plan_id = int(form.plan_id.data) if (form.plan_id.data or "").isdigit() else None
    if form.plan_id.data and plan_id is None:
        plan_id = -1  # not a plan: the service says so
    try:
        service.choose_plan(current_user, company_id, plan_id, form.seats.data)
    except DomainError as error:
        attach_errors(form, error)
        return _admin_page(company_id, error.status, plan_form=form)
    flash(_("Saved."), "success")
    return redirect(url_for("companies.admin_page", company_id=company_id))


@bp.get("/companies/<int:company_id>/invoices/<int:invoice_id>/pdf")
@login_required
def invoice_pdf(company_id, invoice_id):
    invoice = service.company_invoice(current_user, company_id, invoice_id)
    return Response(pdf_of(invoice), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{file_name(invoice, "pdf")}"'})


@bp.route("/companies/join/<token>", methods=["GET", "POST"])
@login_required
def invitation(token):
    """The invitation says what the company will see before the member joins."""
    form = JoinForm()
    try:
        found = service.invitation_for(token)
    except Gone as error:
        return render_template("companies/invitation_gone.html", message=error.message), 410
    if request.method == "POST" and form.validate_on_submit():
        try:
            company = service.join(current_user, token)
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_template("companies/invitation.html", invitation=found,
                                   form=form), error.status, NO_STORE
        flash(_("You belong to %(name)s now. When you book, choose whether it pays.",
                name=company.name), "success")
        return redirect(url_for("companies.mine"))
    return render_template("companies/invitation.html", invitation=found, form=form), \
        (200 if request.method == "GET" else 422), NO_STORE


@bp.get("/company")
@login_required
def mine():
    membership = service.current_membership(current_user)
    return render_template("companies/mine.html", membership=membership,
                           form=LeaveForm(formdata=None)), 200, NO_STORE


@bp.post("/company/leave")
@login_required
def leave():
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            cancelled = service.leave(current_user)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("companies.mine"))
        flash(_("You have left the company; your bookings are your own from now on."),
              "success")
        if cancelled:
            flash(_("%(n)s bookings it was to pay for were cancelled. Book them again if you "
                    "still need them.", n=len(cancelled)), "info")
    return redirect(url_for("companies.mine"))
