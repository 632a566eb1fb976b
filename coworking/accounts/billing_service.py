"""A member's billing details: reading them, checking and saving them (audited), and whether
a purchase can go ahead with them. Pages, the API and the order flow all come through here."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock
from coworking.accounts import billing_rules
from coworking.accounts.billing_details import BillingDetails
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.text_input import control_characters_problem

FIELDS = ("name", "company", "street", "postcode", "city", "country", "vat_id",
          "buyer_reference")
# What an invoice cannot be made out without.
REQUIRED = ("name", "street", "postcode", "city", "country")
MAX_LENGTHS = {"name": 200, "company": 200, "street": 200, "postcode": 10, "city": 120,
               "country": 60, "vat_id": 40, "buyer_reference": 60}
_REQUIRED_MESSAGES = {
    "name": _l("Please enter the name the invoice is made out to."),
    "street": _l("Please enter the street and house number."),
    "postcode": _l("Please enter the postcode."),
    "city": _l("Please enter the town or city."),
    "country": _l("Please choose a country from the list (a two-letter code such as DE)."),
}


def billing_details_of(user):
    """The member's saved billing details, or None before their first purchase."""
    return db.session.scalar(select(BillingDetails).where(BillingDetails.user_id == user.id))


def missing_fields(details):
    """The required fields still empty (all of them when nothing is saved)."""
    if details is None:
        return list(REQUIRED)
    return [name for name in REQUIRED if not (getattr(details, name) or "").strip()]


def is_consumer(details):
    """A buyer who gives neither a company nor a VAT id buys as a consumer, with the right
    of withdrawal consumers have (§ 13 BGB); a company or VAT id makes them a business."""
    return details is None or not ((details.company or "").strip()
                                   or (details.vat_id or "").strip())


def _text(name, value, errors):
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = [_l("Must be a string.")]
        return ""
    problem = control_characters_problem(value)
    if problem:
        errors[name] = [problem]
        return ""
    text = " ".join(value.split())
    if len(text) > MAX_LENGTHS[name]:
        errors[name] = [_l("At most %(n)s characters.", n=MAX_LENGTHS[name])]
        return ""
    return text


def check(values):
    """The cleaned fields from `values` (a mapping of FIELDS), or InvalidInput naming every
    bad field with its message."""
    errors = {}
    cleaned = {name: _text(name, values.get(name), errors) for name in FIELDS}
    for name in REQUIRED:
        if name not in errors and not cleaned[name]:
            errors[name] = [_REQUIRED_MESSAGES[name]]
    for name, rule in (("country", billing_rules.country), ("vat_id", billing_rules.vat_id),
                       ("buyer_reference", billing_rules.buyer_reference)):
        if name not in errors and (cleaned[name] or name == "country"):
            try:
                cleaned[name] = rule(cleaned[name])
            except ValueError as error:
                errors[name] = [error.args[0]]
    if "postcode" not in errors and cleaned["postcode"]:
        try:
            cleaned["postcode"] = billing_rules.postcode(
                cleaned["postcode"], cleaned["country"] if "country" not in errors else None)
        except ValueError as error:
            errors["postcode"] = [error.args[0]]
    if errors:
        raise InvalidInput(_l("Please check your billing details."), errors=errors)
    return cleaned


@use_case
def save(user, values):
    """Set the member's billing details; later invoices use them, issued ones keep theirs.
    The audit log notes which fields changed, not their values (they are personal data)."""
    cleaned = check(values)
    details = db.session.scalars(select(BillingDetails).where(BillingDetails.user_id == user.id)
                                 .with_for_update()).first()
    if details is None:
        details = BillingDetails(user_id=user.id)
        db.session.add(details)
        changed = [name for name in FIELDS if cleaned[name]]
    else:
        changed = [name for name in FIELDS if getattr(details, name) != cleaned[name]]
    for name, value in cleaned.items():
        setattr(details, name, value)
    details.updated_at = clock.utcnow()
    if changed:
        audit.record(user.id, "billing_details.changed", "user", user.id,
                     after={"fields": changed})
    return details


def as_json(details):
    """The API's shape: every field ("" when not given), whether anything required is
    missing, and whether the member buys as a consumer."""
    values = {name: (getattr(details, name) if details is not None else "") or ""
              for name in FIELDS}
    if details is None:
        values["country"] = ""
    return {**values, "complete": not missing_fields(details),
            "missing": missing_fields(details), "consumer": is_consumer(details),
            "updated_at": details.updated_at.isoformat() if details is not None else None}
