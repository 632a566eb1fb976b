"""Plans on offer, buying one, the member's memberships, and confirming a payment on site."""
from flask import jsonify, url_for
from flask_login import current_user

from coworking import clock, links, online_payments
from coworking.api import bp
from coworking.api.common import login_required, payment_json, programme_time
from coworking.api.inputs import json_fields
from coworking.memberships import holdings, ordering, service
from coworking.spaces.service import all_slugs


def covered_slugs(plan, every_slug):
    return list(every_slug) if plan.all_spaces else [space.slug for space in plan.spaces]


def plan_json(plan, every_slug):
    return {"id": plan.id, "name": plan.name, "kind": plan.kind.value,
            "price_cents": plan.price_cents, "currency": plan.currency.upper(),
            "vat_rate": plan.vat_rate, "spaces": covered_slugs(plan, every_slug),
            "seller": plan.seller.slug,
            "credits": plan.credits if plan.kind.uses_credits else None,
            "days_per_month": plan.days_per_month, "validity_days": plan.validity_days}


def membership_json(holding, every_slug, now):
    membership = holding.membership
    return {"id": membership.id, "plan_id": membership.plan_id,
            "status": membership.status.value,
            "spaces": covered_slugs(membership.plan, every_slug),
            "current_period_end": programme_time(membership.current_period_end),
            "credits_left": holding.credits_left,
            "payment": payment_json(holding.payment, now),
            "usable_from": programme_time(membership.usable_from)}


@bp.get("/plans")
def list_plans():
    every_slug = all_slugs()
    return jsonify([plan_json(plan, every_slug) for plan in service.plans_on_sale()])


@bp.get("/me/memberships")
@login_required
def my_memberships():
    every_slug, now = all_slugs(), clock.utcnow()
    return jsonify([membership_json(h, every_slug, now)
                    for h in holdings.holdings_of(current_user)])


@bp.post("/memberships")
@login_required
def buy_membership():
    fields = json_fields()
    plan_id = fields.integer("plan_id", minimum=1, maximum=2**31 - 1)
    early_start = fields.boolean("early_start", required=False)
    fields.raise_if_invalid()
    online = online_payments.enabled()
    membership, payment = ordering.order_plan(
        current_user, plan_id, online, ordering.Purchase(source="api", early_start=early_start))
    if payment is not None and online:
        payment = online_payments.start_checkout(
            payment.id, success_url=links.site_url(url_for("memberships.mine")),
            cancel_url=links.site_url(url_for("memberships.plans")))
    (holding,) = holdings.holdings([membership])
    holding.payment = payment
    return jsonify(membership_json(holding, all_slugs(), clock.utcnow())), 201


@bp.post("/memberships/<int:membership_id>/confirm-payment")
@login_required
def confirm_membership_payment(membership_id):
    membership = service.confirm_payment_on_site(current_user, membership_id)
    (holding,) = holdings.holdings([membership])
    return jsonify(membership_json(holding, all_slugs(), clock.utcnow()))
