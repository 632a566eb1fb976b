"""What admins do with operators: add one, and change its invoice data, each field checked
here and each change in the audit log. Issued invoices keep the data they were issued with:
a change applies to documents issued afterwards."""
import re

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock, identifiers, permissions
from coworking.database import LOST_RACE_MESSAGE, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.operators.models import FIELD_LABELS, SKR03_REVENUE_ACCOUNTS, Operator, TaxMode

# Every field an admin sets, as the API names it (the address's parts without "address.").
FIELDS = ("legal_name", "street", "postcode", "city", "country", "representative", "register",
          "tax_number", "vat_id", "tax_mode", "invoice_prefix", "iban", "bic", "bank_name",
          "email", "phone", "revenue_accounts", "sample_data")
ADDRESS_FIELDS = ("street", "postcode", "city", "country")
# Longest text per field: the columns' lengths.
LIMITS = {"legal_name": 200, "street": 200, "city": 120, "representative": 200,
          "register": 200, "bank_name": 120, "email": 254, "phone": 40}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60
PREFIX = re.compile(r"^[A-Z0-9]{2,10}$")
PHONE = re.compile(r"^\+?[0-9 ()/\-]{6,40}$")
ACCOUNT = re.compile(r"^[0-9]{4,8}$")
RATE_KEY = re.compile(r"^(?:0|[1-9][0-9]{0,3}|10000)$")


def countries():
    """{code: name} of the two-letter country codes, in German as invoices are written."""
    return {code: name for code, name in Locale("de").territories.items()
            if len(code) == 2 and code.isalpha()}


def missing_labels(operator):
    """What `missing_fields` names, as people call it."""
    return [str(_l("Tax number or VAT id")) if name == "tax_number" else str(FIELD_LABELS[name])
            for name in operator.missing_fields()]


def _require_admin(actor):
    if not permissions.can_manage_operators(actor):
        raise Forbidden(_l("Only admins manage operators."))


def operator_to_edit(actor, slug):
    _require_admin(actor)
    operator = db.session.scalar(select(Operator).where(Operator.slug == slug))
    if operator is None:
        raise NotFound(_l("There is no operator “%(slug)s”.", slug=slug))
    return operator


def all_operators():
    """The portal's operator first, then by name (or slug while it has none)."""
    return db.session.scalars(select(Operator).order_by(
        Operator.runs_portal.desc(), func.lower(func.coalesce(func.nullif(
            Operator.legal_name, ""), Operator.slug)), Operator.id)).all()


def _text(errors, name, value):
    value = " ".join(str(value or "").split())
    if len(value) > LIMITS[name]:
        errors[name] = [_l("At most %(n)s characters.", n=LIMITS[name])]
    return value


def _checked_number(errors, name, value, check, *args):
    """`value` as `check` stores it; empty stays empty (the operator is then incomplete)."""
    if not str(value or "").strip():
        return ""
    try:
        return check(str(value), *args)
    except ValueError as error:
        errors[name] = [error.args[0]]
        return str(value).strip()


def _country(errors, value):
    code = str(value or "").strip().upper()
    if code not in countries():
        errors["country"] = [_l("Give the country as its two-letter code, such as DE.")]
    return code


def _tax_mode(errors, value):
    try:
        return TaxMode(value).value
    except ValueError:
        errors["tax_mode"] = [_l("Choose how the operator charges VAT: standard, "
                                 "small_business or exempt_public.")]
        return None


def _invoice_prefix(errors, value, operator):
    prefix = str(value or "").strip().upper()
    if not prefix:
        return None
    if not PREFIX.match(prefix):
        errors["invoice_prefix"] = [_l("2 to 10 letters or digits without spaces, such as "
                                       "MOELLN: invoice numbers read MOELLN-2027-00001.")]
    elif db.session.scalar(select(Operator.slug).where(
            Operator.invoice_prefix == prefix, Operator.id != operator.id)):
        errors["invoice_prefix"] = [_l("Another operator uses the prefix %(prefix)s: each "
                                       "operator numbers its own invoices.", prefix=prefix)]
    return prefix


def _email(errors, value):
    email = str(value or "").strip()
    if not email:
        return ""
    try:
        validate_email(email, check_deliverability=False, strict=True)
    except EmailNotValidError:
        errors["email"] = [_l("Please enter a valid e-mail address.")]
    if len(email) > LIMITS["email"]:
        errors["email"] = [_l("At most %(n)s characters.", n=LIMITS["email"])]
    return email


def _phone(errors, value):
    phone = " ".join(str(value or "").split())
    if phone and (not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
        errors["phone"] = [_l("Give a phone number with its area code, such as "
                              "+49 4542 803-0.")]
    return phone


def _revenue_accounts(errors, value):
    """{"1900": "8400", ...}: the revenue account per VAT rate in basis points."""
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and RATE_KEY.match(k) for k in value):
        errors["revenue_accounts"] = [_l(
            "Send an object from VAT rates in hundredths of a percent to accounts, such as "
            "1900: 8400, 700: 8300, 0: 8200 (SKR03).")]
        return None
    if not all(isinstance(v, str) and ACCOUNT.match(v) for v in value.values()):
        errors["revenue_accounts"] = [_l("An account has 4 to 8 digits, such as 8400.")]
        return None
    return dict(sorted(value.items(), key=lambda item: -int(item[0])))


def _values(operator, given):
    """The new values of the fields in `given`, or InvalidInput naming every bad one."""
    errors, values = {}, {}
    country = _country(errors, given["country"]) if "country" in given else operator.country
    if "country" in given:
        values["country"] = country
    for name, value in given.items():
        if name in LIMITS and name not in ("email", "phone"):
            values[name] = _text(errors, name, value)
    checks = {"iban": (identifiers.iban,), "bic": (identifiers.bic,),
              "vat_id": (identifiers.vat_id,), "tax_number": (identifiers.tax_number,)}
    for name, check in checks.items():
        if name in given:
            values[name] = _checked_number(errors, name, given[name], *check)
    if "postcode" in given or ("country" in given and operator.postcode):
        values["postcode"] = _checked_number(
            errors, "postcode", given.get("postcode", operator.postcode), identifiers.postcode,
            country if "country" not in errors else None)
    if "tax_mode" in given:
        values["tax_mode"] = _tax_mode(errors, given["tax_mode"])
    if "invoice_prefix" in given:
        values["invoice_prefix"] = _invoice_prefix(errors, given["invoice_prefix"], operator)
    if "email" in given:
        values["email"] = _email(errors, given["email"])
    if "phone" in given:
        values["phone"] = _phone(errors, given["phone"])
    if "revenue_accounts" in given:
        values["revenue_accounts"] = _revenue_accounts(errors, given["revenue_accounts"])
    if "sample_data" in given:
        values["sample_data"] = bool(given["sample_data"])
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return values


def _apply(actor, operator, given, action):
    unknown = set(given) - set(FIELDS)
    assert not unknown, f"not an operator field: {unknown}"
    values = _values(operator, given)
    changes = {name: (getattr(operator, name), value) for name, value in values.items()
               if getattr(operator, name) != value}
    for name, (_old, new) in changes.items():
        setattr(operator, name, new)
    if changes or action == "operator.created":
        operator.updated_at = clock.utcnow()
        try:
            db.session.flush()
        except IntegrityError as error:  # another admin took the prefix at the same moment
            raise Conflict(LOST_RACE_MESSAGE) from error
        audit.record(actor.id, action, "operator", operator.id,
                     before={name: old for name, (old, _new) in changes.items()} or None,
                     after={"slug": operator.slug}
                     | {name: new for name, (_old, new) in changes.items()})
    return operator


@use_case
def update_operator(actor, slug, given):
    """Change the fields in `given` (a dict by field name); the others stay as they are."""
    _require_admin(actor)
    operator = db.session.scalars(select(Operator).where(Operator.slug == slug)
                                  .with_for_update()).first()
    if operator is None:
        raise NotFound(_l("There is no operator “%(slug)s”.", slug=slug))
    return _apply(actor, operator, given, "operator.updated")


@use_case
def create_operator(actor, slug, given):
    """A new operator, e.g. an association that will run a space; it sells nothing online
    until its invoice data is complete."""
    _require_admin(actor)
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        raise InvalidInput(_l("Use lower-case letters, digits and hyphens, such as "
                              "“foerderverein-moelln”, at most %(n)s characters.", n=SLUG_MAX),
                           field="slug")
    if db.session.scalar(select(Operator.id).where(Operator.slug == slug)):
        raise InvalidInput(_l("Another operator has the address “%(slug)s” already.",
                              slug=slug), field="slug")
    operator = Operator(slug=slug, country="DE", tax_mode=TaxMode.STANDARD.value,
                        revenue_accounts=dict(SKR03_REVENUE_ACCOUNTS))
    db.session.add(operator)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin chose the same address at that moment
        raise Conflict(LOST_RACE_MESSAGE) from error
    return _apply(actor, operator, given, "operator.created")
