"""The member's side of plans: the plans on offer ("Tarife"), buying one, and "my membership"
with credits, history and receipts."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coworking import clock, online_payments
from coworking.errors import DomainError
from coworking.extensions import db
from coworking.memberships import holdings, service
from coworking.memberships.forms import BuyForm
from coworking.memberships.models import Plan
from coworking.spaces.models import Space
from coworking.web import safe_next

bp = Blueprint("memberships", __name__)


@bp.get("/plans")
def plans():
    """`?space=moelln`: the plans of the space the visitor came from first; an unknown or
    missing space lists every plan by price."""
    slug = request.args.get("space", "")
    space = db.session.scalar(select(Space).where(Space.slug == slug)) if slug else None
    first, others = service.plans_for_space(space)
    return render_template("memberships/plans.html", plans=first, other_plans=others,
                           for_space=space, buy_form=BuyForm(formdata=None))


def _plan_anchor():
    plan_id = request.form.get("plan_id", type=int)
    return url_for("memberships.plans", _anchor=f"plan-{plan_id}" if plan_id else None)


@bp.post("/plans/buy")
def buy():
    """A free plan is active at once; a paid one goes to its summary page first."""
    if not current_user.is_authenticated:
        # A POST cannot be repeated after signing in: come back to the plan and buy again.
        return redirect(url_for("accounts.login", next=_plan_anchor()))
    form = BuyForm()
    back = safe_next(form.next.data) if form.next.data else _plan_anchor()
    if not form.validate_on_submit():
        flash(_("Please choose a plan from the list."), "error")
        return redirect(url_for("memberships.plans"))
    plan = db.session.get(Plan, form.plan_id.data) if 0 < form.plan_id.data < 2**31 else None
    if plan is not None and plan.is_on_sale and not plan.is_free:
        # Nothing paid is bought without its summary page (§ 312j BGB).
        return redirect(url_for("memberships.order", plan_id=plan.id), 303)
    try:
        membership, _payment = service.buy(current_user, form.plan_id.data,
                                           online_payments.enabled())
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(back)
    flash(_("%(plan)s is active. Enjoy your work!", plan=membership.plan.name), "success")
    return redirect(back if form.next.data else url_for("memberships.mine"))


@bp.get("/memberships")
@login_required
def mine():
    held = holdings.holdings_of(current_user, with_ledger=True)
    late = any(entry.reason == "late_payment" for h in held for entry in h.ledger)
    return render_template("memberships/mine.html", holdings=held, late_payment=late,
                           receipts=holdings.receipts_of(current_user), now=clock.utcnow())


# Ordering a paid plan: the summary page and its button.
from coworking.memberships import order_views  # noqa: E402,F401
