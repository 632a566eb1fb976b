"""Ordering a paid plan or pass on the web: the billing details step the first time, then the
summary page (§ 312j BGB) whose button places the order, and on to paying."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import clock, formatting, links, online_payments
from coworking.accounts import billing_service
from coworking.errors import DomainError
from coworking.extensions import db
from coworking.memberships import on_site, ordering
from coworking.memberships.forms import OrderForm
from coworking.memberships.models import Plan
from coworking.memberships.service import require_verified_email
from coworking.memberships.views import bp
from coworking.spaces.service import list_spaces
from coworking.web import NO_STORE


def billing_step(next_url):
    """The billing details are asked first: a step of the order that comes back to it."""
    return redirect(url_for("accounts.billing_details", next=next_url))


def summary_context(plan, user, now):
    """What every summary shows: the price split, the seller, the buyer's billing details
    and terms (consumer or not, the withdrawal period, from when it may be used)."""
    details = billing_service.billing_details_of(user)
    terms = ordering.terms_for(user, plan, now, early_start=False)
    return {"plan": plan, "price": ordering.price_of(plan), "seller": plan.seller,
            "details": details, "consumer": billing_service.is_consumer(details),
            "terms": terms, "usable_day": ordering.local_day(terms.usable_from),
            "last_withdrawal_day": ordering.last_withdrawal_day(
                ordering.withdrawal_period_end(now)),
            "online": online_payments.enabled(), "now": now}


def _plan_for_order(plan_id):
    plan = db.session.get(Plan, plan_id) if 0 < plan_id < 2**31 else None
    if plan is None or not plan.is_on_sale or plan.is_free:
        abort(404)
    return plan


def _summary(plan, form, status=200):
    here = url_for("memberships.order", plan_id=plan.id)
    if not online_payments.enabled() and not form.form_errors:
        try:  # said before the button is pressed, not only after
            on_site.check_none_open(current_user.id)
        except DomainError as error:
            form.form_errors.append(error.message)
    spaces = list_spaces() if plan.all_spaces else plan.spaces
    return render_template("memberships/order.html", form=form, spaces=spaces, here=here,
                           **summary_context(plan, current_user, clock.utcnow())), \
        status, NO_STORE


@bp.get("/plans/<int:plan_id>/order")
@login_required
def order(plan_id):
    """The summary before paying; the billing details first, when there are none yet."""
    plan = _plan_for_order(plan_id)
    try:
        require_verified_email(current_user)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("memberships.plans", _anchor=f"plan-{plan.id}"))
    if plan.seller.is_complete and billing_service.missing_fields(
            billing_service.billing_details_of(current_user)):
        return billing_step(url_for("memberships.order", plan_id=plan.id))
    return _summary(plan, OrderForm(formdata=None))


@bp.post("/plans/<int:plan_id>/order")
@login_required
def place_order(plan_id):
    """"Zahlungspflichtig bestellen": bought, then on to Stripe, or to pay on site."""
    plan = _plan_for_order(plan_id)
    form = OrderForm()
    if not form.validate_on_submit():
        form.form_errors.append(_("This form is out of date. Please reload the page and try "
                                  "again."))
        return _summary(plan, form, 422)
    online = online_payments.enabled()
    purchase = ordering.Purchase(source="web", early_start=bool(form.early_start.data))
    try:
        membership, payment = ordering.order_plan(current_user, plan.id, online, purchase)
        if online:
            payment = online_payments.start_checkout(
                payment.id, success_url=links.site_url(url_for("memberships.mine")),
                cancel_url=links.site_url(url_for("memberships.plans")))
    except ordering.BillingDetailsMissing:
        return billing_step(url_for("memberships.order", plan_id=plan.id))
    except DomainError as error:
        form.form_errors.append(error.message)
        return _summary(plan, form, error.status)
    if online:
        return redirect(payment.checkout_url)
    price = formatting.money(payment.amount_cents, payment.currency)
    if membership.usable_from is not None and membership.usable_from > clock.utcnow():
        flash(_("%(plan)s is yours from %(date)s. Please pay %(price)s on site at your first "
                "visit.", plan=plan.name, price=price,
                date=formatting.medium_date(ordering.local_day(membership.usable_from))),
              "success")
    else:
        flash(_("%(plan)s is active: you can book now. Please pay %(price)s on site at your "
                "next visit.", plan=plan.name, price=price), "success")
    return redirect(url_for("memberships.mine"))


@bp.app_template_global()
def seller_impressum_url(operator):
    """The seller's own Impressum."""
    return url_for("site.operator_impressum", operator=operator.slug)


@bp.app_template_global()
def seller_label(operator):
    return ordering.seller_name(operator)


@bp.app_template_filter()
def programme_date(instant):
    """The local date of a time that belongs to no one space (when a plan may be used)."""
    return ordering.local_day(instant)
