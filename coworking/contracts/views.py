"""The cancellation page every footer links to ("Verträge hier kündigen", § 312k BGB): usable
signed out, it asks who cancels which contract and how; signed in it takes effect at once,
signed out the e-mailed link confirms it."""
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coworking import formatting
from coworking.contracts import service
from coworking.contracts.forms import EVERY_CONTRACT, CancelContractForm, ConfirmCancellationForm
from coworking.contracts.models import CancellationKind
from coworking.errors import DomainError, Gone, RateLimited
from coworking.memberships.service import plans_on_sale
from coworking.web import NO_STORE, attach_errors

bp = Blueprint("contracts", __name__)



def programme():
    """What the templates' local date filters need: the programme's own zone (a contract
    belongs to no one space)."""
    return SimpleNamespace(zone=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def moment(instant):
    """(date, time) of an instant as the programme's zone reads it, for "on … at …"."""
    zone = programme().zone
    return formatting.long_date(instant.astimezone(zone).date()), formatting.local_time(
        instant, zone)


def _signed_in():
    return current_user if current_user.is_authenticated else None


def _choices(user):
    """The member's own contracts when signed in; the plans on offer when not (nothing about
    anyone's contracts is shown to a visitor)."""
    choices = [SelectChoice(EVERY_CONTRACT, _("All my running contracts"))]
    if user is not None:
        for membership in service.contracts_of(user):
            choices.append(SelectChoice(f"m{membership.id}", _contract_label(
                membership.plan, membership.current_period_end,
                ending=membership.cancel_at_period_end)))
        return choices
    plans = sorted(plans_on_sale(), key=lambda plan: not plan.kind.is_subscription)
    return choices + [SelectChoice(f"p{plan.id}", _contract_label(plan)) for plan in plans
                      if not plan.is_free]


def _contract_label(plan, until=None, ending=False):
    if plan.kind.is_subscription and ending and until is not None:
        return _("%(plan)s (cancelled already, ends on %(date)s)", plan=plan.name,
                 date=formatting.medium_date(until.date()))
    if plan.kind.is_subscription:
        return plan.name
    if until is not None:
        return _("%(plan)s (a pass, valid until %(date)s: nothing to cancel)", plan=plan.name,
                 date=formatting.medium_date(until.date()))
    return _("%(plan)s (a pass: nothing to cancel)", plan=plan.name)


def _named(value):
    """(membership id, plan id) from the select's value."""
    if value.startswith("m") and value[1:].isdecimal():
        return int(value[1:]), None
    if value.startswith("p") and value[1:].isdecimal():
        return None, int(value[1:])
    return None, None


@bp.route("/vertraege/kuendigen", methods=["GET", "POST"])
def cancel():
    user = _signed_in()
    form = CancelContractForm()
    form.contract.choices = _choices(user)
    if request.method == "GET" and user is not None:
        form.name.data, form.email.data = user.name, user.email
    status, headers = 200, dict(NO_STORE)
    if form.validate_on_submit():
        membership_id, plan_id = _named(form.contract.data)
        try:
            declared = service.declare(
                form.email.data, form.name.data, form.kind.data, form.reason.data or "",
                membership_id=membership_id, plan_id=plan_id, actor=user,
                client_address=request.remote_addr)
        except DomainError as error:
            attach_errors(form, error)
            if "plan_id" in (error.errors or {}):
                form.contract.errors = list(form.contract.errors) + error.errors["plan_id"]
            status = error.status
            if isinstance(error, RateLimited):
                headers["Retry-After"] = str(error.retry_after)
        else:
            done = declared.at_once and service.complete_at_stripe(declared.cancellation.id)
            return render_template(
                "contracts/declared.html", declared=declared, done=done, form=form,
                received=moment(declared.received_at), programme=programme(),
                named=next((choice.label for choice in form.contract.choices
                            if choice.value == form.contract.data), ""),
                kind=CancellationKind(form.kind.data).label), 200, headers
    elif request.method == "POST":
        status = 422
    return render_template("contracts/cancel.html", form=form, signed_in=user), status, headers


@bp.route("/vertraege/kuendigen/<token>", methods=["GET", "POST"])
def confirm(token):
    """The link from the e-mail: the declaration and its contracts, and one button to make it
    take effect (a GET changes nothing, so a mail scanner following links cancels nothing)."""
    form = ConfirmCancellationForm()
    try:
        cancellation = service.cancellation_by_link(token)
        if form.validate_on_submit():
            cancellation = service.confirm_by_link(token)
            service.complete_at_stripe(cancellation.id)
            cancellation = service.cancellation_by_link(token)
    except Gone as error:
        return render_template("contracts/link_gone.html", message=error.message), 410, NO_STORE
    return render_template("contracts/confirm.html", cancellation=cancellation, form=form,
                           received=moment(cancellation.received_at),
                           programme=programme()), 200, NO_STORE
