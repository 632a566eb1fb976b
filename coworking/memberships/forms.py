"""Forms for buying plans and for the admins' plan editor: shape and format only; the rules
(price not negative, VAT 0–100 %, credits for passes, ...) live in coworking.memberships.admin."""
import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coworking.memberships.admin import DESCRIPTION_MAX, NAME_MAX, STRIPE_PRICE_MAX
from coworking.memberships.models import PlanKind

# "15", "15,00", "15.5", "-3": a sign, whole units and up to two decimals; the service
# decides what is allowed.
_DECIMAL = re.compile(r"^\s*(-?)([0-9]{1,7})(?:[.,]([0-9]{1,2}))?\s*$")


class HundredthsField(StringField):
    """A decimal with up to two places, written the German or the English way, kept as an
    integer number of hundredths: euros as cents, percent as basis points."""

    message = _l("Please enter a number such as 15,00.")

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw.strip():
            return
        match = _DECIMAL.match(self.raw)
        if not match:
            raise ValueError(self.message)
        sign, whole, fraction = match.groups()
        hundredths = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
        self.data = -hundredths if sign else hundredths

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{Decimal(self.data) / 100:.2f}".replace(".", ",")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BuyForm(FlaskForm):
    """One per plan on the page, rendered by hand (the plan's id is in the button's form)."""

    plan_id = IntegerField(validators=[DataRequired()])
    next = HiddenField()


class PlanForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, k.label) for k in PlanKind])
    description = StringField(_l("Description (shown to members)"),
                              validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    name_en = StringField(_l("Name in English (optional)"),
                          validators=[Optional(), Length(max=NAME_MAX)])
    description_en = StringField(_l("Description in English (optional)"),
                                 validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    price_cents = HundredthsField(_l("Price in euros, VAT included"),
                                  validators=[InputRequired()])
    vat_basis_points = HundredthsField(_l("VAT rate in percent"), validators=[InputRequired()])
    credits = IntegerField(_l("Day credits (passes)"), validators=[Optional()])
    validity_days = IntegerField(_l("Valid for days after payment (empty: until cancelled)"),
                                 validators=[Optional()])
    days_per_month = IntegerField(_l("Desk days per month (monthly plans; empty: unlimited)"),
                                  validators=[Optional()])
    meeting_room_hours = IntegerField(_l("Meeting room hours per month"),
                                      validators=[Optional()], default=0)
    all_spaces = BooleanField(_l("Covers all spaces"))
    space_ids = MultiCheckboxField(_l("Spaces it covers"), coerce=int)
    once_per_member = BooleanField(_l("Only once per member (a free trial)"))
    seller_id = SelectField(_l("Sold by"), coerce=int, validate_choice=False)
    stripe_price_id = StringField(_l("Stripe price id (optional)"),
                                  validators=[Optional(), Length(max=STRIPE_PRICE_MAX)])
    submit = SubmitField(_l("Save plan"))


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Retire"))


class OrderForm(FlaskForm):
    """The summary page's order: a consumer's early-start request (unticked by default) and
    the button § 312j (3) BGB asks for."""

    early_start = BooleanField(_l(
        "I expressly request that the service begins before the withdrawal period ends. I "
        "know that I lose my right of withdrawal once the service has been fully provided."))
    submit = SubmitField(_l("Order with obligation to pay"))


class DayPassOrderForm(OrderForm):
    """The order of a day pass for one booking: what to book travels along, hidden."""

    resource_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    kind = HiddenField()
    entry_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    start = HiddenField()
    end = HiddenField()
    key = HiddenField(validators=[Optional(), Length(max=200)])
