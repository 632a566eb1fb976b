"""E-mails about cancelling a contract: the link that confirms one declared signed out, and
the confirmation § 312k BGB asks for (what was declared, when it arrived, when the plan
ends). The link's secret comes from the event's attribute, never from its stored payload."""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_datetime, gettext as _

from coworking import formatting, links
from coworking.notifications import mail


def _zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _context(cancellation):
    """What both e-mails state about the declaration, rendered in the member's language."""
    zone = _zone()

    def received():
        local = cancellation.received_at.astimezone(zone)
        return _("on %(date)s at %(time)s", date=formatting.long_date(local.date()),
                 time=formatting.local_time(cancellation.received_at, zone))

    def ends(contract):
        if contract.ends_at is None:
            return _("at the end of the period you have paid for")
        return formatting.medium_date(contract.ends_at.astimezone(zone).date())

    return {"cancellation": cancellation, "received": received,
            "named": lambda: cancellation.plan.name if cancellation.plan
            else _("All my running contracts"),
            "kind": lambda: str(cancellation.kind_label),
            "ending": lambda: [(c.membership.plan.name, ends(c))
                               for c in cancellation.contracts],
            "memberships_url": links.external_url("memberships.mine")}


def received(event):
    cancellation = event.cancellation
    mail.to_user(
        cancellation.user, "contract_cancellation_link",
        lambda: _("Please confirm your cancellation"), **_context(cancellation),
        link=links.external_url("contracts.confirm", token=event.secret),
        valid_until=lambda: format_datetime(cancellation.link_expires_at, "short"))


def confirmed(event):
    cancellation = event.cancellation
    mail.to_user(cancellation.user, "contract_cancellation_confirmed",
                 lambda: _("Confirmation of your cancellation"), **_context(cancellation))
