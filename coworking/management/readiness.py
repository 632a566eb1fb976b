"""Is the site fit to go public? Per operator: its invoice data (without which it sells
nothing online), its Impressum and privacy notice without "[…]" placeholders; for the whole
site: the settings a payment, an e-mail and the research export need."""
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config import DEV_RESEARCH_KEY
from coworking.extensions import db
from coworking.memberships.models import Plan
from coworking.operators.admin import all_operators, missing_labels
from coworking.site import service as site_pages
from coworking.spaces.models import Space

PAGE_LABELS = {"impressum": _l("Impressum filled in"),
               "datenschutz": _l("Privacy notice filled in")}


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    ok: bool
    detail: str | None = None
    sample: bool = False  # met with invented sample data only


@dataclass
class OperatorReadiness:
    operator: object
    spaces: list = field(default_factory=list)
    plans: list = field(default_factory=list)   # on sale, sold by it
    checks: list = field(default_factory=list)

    @property
    def ready(self):
        return all(check.ok and not check.sample for check in self.checks)


def _invoice_check(operator):
    missing = missing_labels(operator)
    if missing:
        return Check("invoice_data", _l("Invoice data complete"), False,
                     _l("Missing: %(fields)s. Until then it sells nothing online.",
                        fields=", ".join(missing)))
    if operator.sample_data:
        return Check("invoice_data", _l("Invoice data complete"), True,
                     _l("Sample data: invented for trying it out; replace it before going "
                        "public."), sample=True)
    return Check("invoice_data", _l("Invoice data complete"), True)


def _page_check(operator, slug, stored):
    text = site_pages.stored_or_default(operator, slug, "de", stored)
    if not text.is_draft:
        return Check(slug, PAGE_LABELS[slug], True)
    left = len(text.placeholders)
    detail = (_l("Still the template: %(n)s placeholders left.", n=left) if text.is_template
              else _l("Published as a draft: %(n)s placeholders left.", n=left))
    return Check(slug, PAGE_LABELS[slug], False, detail)


def of_operators():
    """Every operator with its spaces, the plans it sells and its checks, in a few queries."""
    operators = all_operators()
    stored = site_pages.stored_pages(operator.id for operator in operators)
    spaces, plans = defaultdict(list), defaultdict(list)
    for space in db.session.scalars(select(Space).order_by(Space.name)):
        spaces[space.operator_id].append(space)
    for plan in db.session.scalars(select(Plan).where(Plan.retired_at.is_(None))
                                   .order_by(Plan.name)):
        plans[plan.seller_id].append(plan)
    return [OperatorReadiness(operator, spaces[operator.id], plans[operator.id], [
        _invoice_check(operator), _page_check(operator, "impressum", stored),
        _page_check(operator, "datenschutz", stored)]) for operator in operators]


def of_site(config):
    """The settings outside the database that going public needs."""
    checks = []
    if config.get("STRIPE_SECRET_KEY"):
        checks.append(Check("stripe_webhook", _l("Stripe webhook secret set"),
                            bool(config.get("STRIPE_WEBHOOK_SECRET")),
                            None if config.get("STRIPE_WEBHOOK_SECRET") else
                            _l("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: "
                               "no payment would ever be confirmed.")))
    else:
        checks.append(Check("stripe_webhook", _l("Stripe webhook secret set"), True,
                            _l("No Stripe key is set: members pay on site and a host "
                               "confirms it.")))
    checks.append(Check("mail_server", _l("Mail server set"), bool(config.get("MAIL_SERVER")),
                        None if config.get("MAIL_SERVER") else
                        _l("MAIL_SERVER is not set: e-mails wait in the outbox (in "
                           "development they are printed to the log).")))
    key = config.get("RESEARCH_KEY")
    checks.append(Check("research_key", _l("RESEARCH_KEY set"),
                        bool(key) and key != DEV_RESEARCH_KEY,
                        None if key and key != DEV_RESEARCH_KEY else
                        _l("RESEARCH_KEY is not set: the research export refuses to run in "
                           "production (development uses a key anyone can read).")))
    return checks
