"""Forms of the host's day and the self check-in page: shape only; the rules live in the
check-in service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coworking.clock import parse_instant


def _aware_iso(form, field):
    try:
        parse_instant(field.data or "")
    except ValueError:
        raise ValidationError(_l("Please choose a time from the list.")) from None


class HostActionForm(FlaskForm):
    """One tap on the day page: check in, check out, not come, paid on site."""

    submit = SubmitField()


class WalkInForm(FlaskForm):
    email = EmailField(_l("E-mail address (optional)"), validators=[Optional(), Length(max=254)],
                       description=_l("Without one, the guest's name is enough: no account is "
                                      "made for them and they get no e-mail."))
    name = StringField(_l("Name (for a new guest)"), validators=[Optional(), Length(max=200)])
    resource_id = SelectField(_l("Desk"), validate_choice=False, default="")
    end = SelectField(_l("Until"), validate_choice=False, validators=[
        DataRequired(message=_l("Please choose a time from the list.")), _aware_iso])
    submit = SubmitField(_l("Check in walk-in"))


class CheckInForm(FlaskForm):
    """The member checks into their booking with the code of the day."""

    code = HiddenField(validators=[DataRequired(), Length(max=40)])
    booking_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    submit = SubmitField(_l("Check in now"))


class WalkUpForm(FlaskForm):
    """The member takes a free desk from now with the code of the day."""

    code = HiddenField(validators=[DataRequired(), Length(max=40)])
    end = SelectField(_l("Until"), validate_choice=False, validators=[
        DataRequired(message=_l("Please choose a time from the list.")), _aware_iso])
    submit = SubmitField(_l("Book and check in"))
    # Shown once the member turns out to have no cover: a day pass paid on site.
    pay_day_pass = SubmitField(_l("Pay a day pass on site and check in"))


class CheckOutForm(FlaskForm):
    booking_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    submit = SubmitField(_l("Check out"))


class DoorDeviceForm(FlaskForm):
    """A new device link for the door display: its name only."""

    name = StringField(_l("Device name"), validators=[
        DataRequired(message=_l("Please name the device.")), Length(max=100)])
