"""Booking forms: shape only; the rules live in the booking service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from coworking.clock import parse_instant


def _aware_iso(form, field):
    try:
        parse_instant(field.data or "")
    except ValueError:
        raise ValidationError(_l("Please choose a time from the list.")) from None


class BookingForm(FlaskForm):
    resource_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired(), _aware_iso])
    end = SelectField(_l("Until"), validators=[DataRequired(), _aware_iso], validate_choice=False)
    submit = SubmitField(_l("Book now"))
    # Shown once the member turns out to have no cover: pays for this booking alone.
    pay_day_pass = SubmitField(_l("Pay with a day pass"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel booking"))


class ConfirmPaymentForm(FlaskForm):
    submit = SubmitField(_l("Paid on site"))
