"""Waiting-list forms: shape only; the rules live in the waiting-list service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from coworking.bookings.forms import _aware_iso

_INCOMPLETE = _l("This form is incomplete. Please reload the page and try again.")


class JoinForm(FlaskForm):
    space = HiddenField(validators=[DataRequired(_INCOMPLETE), Length(max=100)])
    kind = HiddenField(validators=[DataRequired(_INCOMPLETE), Length(max=20)])
    start = HiddenField(validators=[DataRequired(_INCOMPLETE), _aware_iso])
    end = HiddenField(validators=[DataRequired(_INCOMPLETE), _aware_iso])
    submit = SubmitField(_l("Join the waiting list"))


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Take it"))
    # Shown once the member turns out to have no cover: pays for this booking alone.
    pay_day_pass = SubmitField(_l("Pay with a day pass"))


class LeaveForm(FlaskForm):
    submit = SubmitField(_l("Leave the waiting list"))
