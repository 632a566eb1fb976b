"""Booking forms: shape only; the rules live in the booking service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from coworking.clock import parse_instant
from coworking.memberships.forms import MultiCheckboxField


def _aware_iso(form, field):
    try:
        parse_instant(field.data or "")
    except ValueError:
        raise ValidationError(_l("Please choose a time from the list.")) from None


_OUT_OF_DATE = _l("This form is out of date. Please reload the page and try again.")


class BookingForm(FlaskForm):
    resource_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    # A random value per form shown: sending the form again (a double tap) repeats the same
    # request instead of making a second one.
    key = HiddenField(validators=[Optional(), Length(max=200, message=_OUT_OF_DATE),
                                  Regexp(r"^[\x20-\x7e]+$", message=_OUT_OF_DATE)])
    start = HiddenField(validators=[DataRequired(), _aware_iso])
    end = SelectField(_l("Until"), validate_choice=False, validators=[
        DataRequired(message=_l("Please choose a time from the list.")), _aware_iso])
    # Shown to a member whose company pays for their bookings (bookings.payers).
    bill_to = SelectField(_l("Who pays"), validate_choice=False, default="")
    submit = SubmitField(_l("Book now"))
    # Shown once the member turns out to have no cover: pays for this booking alone.
    pay_day_pass = SubmitField(_l("Pay with a day pass"))


class BookAnyForm(FlaskForm):
    """"Any free one of a kind" for a range, from the time-first panel of a space's page."""
    kind = HiddenField(validators=[DataRequired(message=_OUT_OF_DATE)])
    start = HiddenField(validators=[DataRequired(message=_OUT_OF_DATE), _aware_iso])
    end = HiddenField(validators=[DataRequired(message=_OUT_OF_DATE), _aware_iso])
    key = HiddenField(validators=[Optional(), Length(max=200, message=_OUT_OF_DATE),
                                  Regexp(r"^[\x20-\x7e]+$", message=_OUT_OF_DATE)])
    submit = SubmitField(_l("Book any free place"))
    pay_day_pass = SubmitField(_l("Pay with a day pass"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel booking"))


class ConfirmPaymentForm(FlaskForm):
    submit = SubmitField(_l("Paid on site"))


WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))


class SeriesForm(FlaskForm):
    """A series: which kind, weekdays, times (choices on the space's slot grid, set by the
    view), first date and weeks. Shape only: the series service judges the values."""

    kind = SelectField(_l("What"))
    weekdays = MultiCheckboxField(_l("Weekdays"), coerce=int,
                                  choices=[SelectChoice(n, day) for n, day in enumerate(WEEKDAYS)])
    start_time = SelectField(_l("From"), validators=[
        DataRequired(message=_l("Please choose a time from the list."))])
    end_time = SelectField(_l("Until"), validators=[
        DataRequired(message=_l("Please choose a time from the list."))])
    first_day = DateField(_l("First date"), validators=[
        InputRequired(message=_l("Please enter a date."))])
    weeks = IntegerField(_l("Number of weeks"), render_kw={"min": 1, "inputmode": "numeric"},
                         validators=[InputRequired(message=_l("Please enter a number."))])
    submit = SubmitField(_l("Preview"))


class ChangeForm(FlaskForm):
    """A booking's new day, times and resource (choices on the space's grid, set by the view)."""

    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Please enter a date."))])
    start_time = SelectField(_l("From"), validators=[
        DataRequired(message=_l("Please choose a time from the list."))])
    end_time = SelectField(_l("Until"), validators=[
        DataRequired(message=_l("Please choose a time from the list."))])
    resource_id = SelectField(_l("Desk or room"), coerce=int)
    submit = SubmitField(_l("Change booking"))


class AgainForm(FlaskForm):
    """A past booking's resource and times again, on the day chosen."""

    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Please enter a date."))])
    submit = SubmitField(_l("Book again"))
