"""The cancellation page's form: shape only; the rules (who may cancel what, and when it
ends) live in the contracts service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from coworking.contracts.models import CancellationKind
from coworking.contracts.service import NAME_MAX, REASON_MAX

EVERY_CONTRACT = "all"


class CancelContractForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Please enter your name.")), Length(max=NAME_MAX)],
        render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail address of your account"), validators=[
        DataRequired(message=_l("Please enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "email"})
    # "all", "m<membership id>" (signed in: the member's own) or "p<plan id>" (a plan named).
    contract = SelectField(_l("Which contract"), default=EVERY_CONTRACT)
    kind = RadioField(_l("Kind of cancellation"), default=CancellationKind.ORDINARY.value,
                      choices=[SelectChoice(kind.value, kind.label) for kind in CancellationKind])
    reason = TextAreaField(_l("Serious reason (only for an extraordinary cancellation)"),
                           validators=[Optional(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Cancel now"))


class ConfirmCancellationForm(FlaskForm):
    submit = SubmitField(_l("Confirm the cancellation"))
