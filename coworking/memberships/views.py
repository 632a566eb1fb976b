"""The member's side of plans: the plans on offer ("Tarife"), buying one, and "my membership"
with credits, history and receipts."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import clock, formatting, links, online_payments
from coworking.accounts.views import safe_next
from coworking.errors import DomainError
from coworking.memberships import holdings, service
from coworking.memberships.forms import BuyForm

bp = Blueprint("memberships", __name__)


@bp.get("/plans")
def plans():
    return render_template("memberships/plans.html", plans=service.plans_on_sale(),
                           buy_form=BuyForm(formdata=None))


def _plan_anchor():
    plan_id = request.form.get("plan_id", type=int)
    return url_for("memberships.plans", _anchor=f"plan-{plan_id}" if plan_id else None)


@bp.post("/plans/buy")
def buy():
    """Free: active at once. On site: active at once, paid at the next visit. Online: off to
    Stripe."""
    if not current_user.is_authenticated:
        # A POST cannot be repeated after signing in: come back to the plan and buy again.
        return redirect(url_for("accounts.login", next=_plan_anchor()))
    form = BuyForm()
    back = safe_next(form.next.data) if form.next.data else _plan_anchor()
    if not form.validate_on_submit():
        flash(_("Please choose a plan from the list."), "error")
        return redirect(url_for("memberships.plans"))
    online = online_payments.enabled()
    try:
        membership, payment = service.buy(current_user, form.plan_id.data, online)
        if payment is not None and online:
            payment = online_payments.start_checkout(
                payment.id, success_url=links.site_url(url_for("memberships.mine")),
                cancel_url=links.site_url(url_for("memberships.plans")))
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(back)
    plan = membership.plan
    if payment is None:
        flash(_("%(plan)s is active. Enjoy your work!", plan=plan.name), "success")
    elif online:
        return redirect(payment.checkout_url)
    else:
        flash(_("%(plan)s is active: you can book now. Please pay %(price)s on site at your "
                "next visit.", plan=plan.name,
                price=formatting.money(payment.amount_cents, payment.currency)), "success")
    return redirect(back if form.next.data else url_for("memberships.mine"))


@bp.get("/memberships")
@login_required
def mine():
    held = holdings.holdings_of(current_user, with_ledger=True)
    late = any(entry.reason == "late_payment" for h in held for entry in h.ledger)
    return render_template("memberships/mine.html", holdings=held, late_payment=late,
                           receipts=holdings.receipts_of(current_user), now=clock.utcnow())
