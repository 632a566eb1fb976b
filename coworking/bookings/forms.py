"""Booking forms: shape only; the rules live in the booking service."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, ValidationError


def _aware_iso(form, field):
    try:
        value = datetime.fromisoformat(field.data or "")
    except ValueError:
        raise ValidationError(_l("Please choose a time from the list.")) from None
    if value.tzinfo is None:
        raise ValidationError(_l("Please choose a time from the list."))


class BookingForm(FlaskForm):
    resource_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired(), _aware_iso])
    end = SelectField(_l("Until"), validators=[DataRequired(), _aware_iso], validate_choice=False)
    submit = SubmitField(_l("Book now"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel booking"))
