"""The admins' operator form: shape only; every rule (IBAN checksum, VAT id, postcode, a
unique invoice prefix) lives in coworking.operators.admin."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from coworking.operators.admin import countries
from coworking.operators.models import FIELD_LABELS, TaxMode

# The revenue accounts the form offers: VAT rates in basis points, as the journal keys them.
ACCOUNT_RATES = (("1900", _l("Revenue account at 19 percent VAT")),
                 ("700", _l("Revenue account at 7 percent VAT")),
                 ("0", _l("Revenue account without VAT")))
TEXT_FIELDS = ("legal_name", "street", "postcode", "city", "representative", "register",
               "tax_number", "vat_id", "invoice_prefix", "iban", "bic", "bank_name", "email",
               "phone")


def _text(name, maximum=254):
    return StringField(FIELD_LABELS[name], validators=[Optional(), Length(max=maximum)])


def country_choices():
    named = countries()
    return [SelectChoice("DE", named["DE"])] + [
        SelectChoice(code, name) for code, name in sorted(named.items(), key=lambda i: i[1])
        if code != "DE"]


class OperatorForm(FlaskForm):
    legal_name = _text("legal_name", 200)
    street = _text("street", 200)
    postcode = _text("postcode", 20)
    city = _text("city", 120)
    country = SelectField(FIELD_LABELS["country"], validate_choice=False)
    representative = _text("representative", 200)
    register = _text("register", 200)
    tax_number = _text("tax_number", 40)
    vat_id = _text("vat_id", 30)
    tax_mode = SelectField(FIELD_LABELS["tax_mode"], validate_choice=False,
                           choices=[SelectChoice(mode.value, mode.label) for mode in TaxMode])
    invoice_prefix = _text("invoice_prefix", 20)
    iban = _text("iban", 50)
    bic = _text("bic", 20)
    bank_name = _text("bank_name", 120)
    email = _text("email", 254)
    phone = _text("phone", 40)
    account_1900 = StringField(ACCOUNT_RATES[0][1], validators=[Optional(), Length(max=8)])
    account_700 = StringField(ACCOUNT_RATES[1][1], validators=[Optional(), Length(max=8)])
    account_0 = StringField(ACCOUNT_RATES[2][1], validators=[Optional(), Length(max=8)])
    sample_data = BooleanField(_l("These are invented sample data"))
    submit = SubmitField(_l("Save operator"))

    def given(self, current_accounts):
        """The fields as coworking.operators.admin takes them."""
        values = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        values["country"] = self.country.data or ""
        values["tax_mode"] = self.tax_mode.data or ""
        accounts = dict(current_accounts or {})
        for rate, _label in ACCOUNT_RATES:
            typed = (getattr(self, f"account_{rate}").data or "").strip()
            if typed:
                accounts[rate] = typed
            else:
                accounts.pop(rate, None)
        values["revenue_accounts"] = accounts
        values["sample_data"] = bool(self.sample_data.data)
        return values

    def fill(self, operator):
        for name in TEXT_FIELDS:
            getattr(self, name).data = getattr(operator, name) or ""
        self.country.data, self.tax_mode.data = operator.country, operator.tax_mode
        for rate, _label in ACCOUNT_RATES:
            getattr(self, f"account_{rate}").data = (operator.revenue_accounts or {}).get(rate, "")
        self.sample_data.data = operator.sample_data


class NewOperatorForm(OperatorForm):
    slug = StringField(_l("Web address (slug)"), validators=[Optional(), Length(max=60)])
    submit = SubmitField(_l("Add operator"))


class SpaceOperatorForm(FlaskForm):
    operator_id = SelectField(_l("Operator"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Save"))
