"""E-mails about a member's plans and payments: active, payment failing, ended, and a late
payment that became a day credit."""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from coworking import formatting, links
from coworking.memberships import on_site
from coworking.notifications import mail


def _valid_until(membership):
    if membership.current_period_end is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return formatting.medium_date(membership.current_period_end.astimezone(zone).date())


def _send(membership, template, subject, **context):
    plan = membership.plan
    mail.to_user(
        membership.user, template, subject, membership=membership, plan=plan,
        valid_until=lambda: _valid_until(membership),
        price=lambda: formatting.money(plan.price_cents, plan.currency) if plan.price_cents else None,
        memberships_url=links.external_url("memberships.mine"),
        plans_url=links.external_url("memberships.plans"), **context)


def activated(event):
    plan = event.membership.plan
    open_payment = on_site.on_site_payments_of([event.membership.id]).get(event.membership.id)
    pay_on_site = open_payment is not None and open_payment.is_open_on_site
    _send(event.membership, "membership_activated",
          lambda: _("Active now: %(plan)s", plan=plan.name), pay_on_site=pay_on_site)


def past_due(event):
    plan = event.membership.plan
    _send(event.membership, "membership_past_due",
          lambda: _("Payment failed: %(plan)s", plan=plan.name))


def ended(event):
    plan = event.membership.plan
    _send(event.membership, "membership_ended", lambda: _("Ended: %(plan)s", plan=plan.name),
          reason=event.reason)


def credited(event):
    _send(event.membership, "payment_credited", lambda: _("Your payment became a day credit"))
