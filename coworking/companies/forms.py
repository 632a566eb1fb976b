"""Company forms: shape only; the rules live in the companies service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Optional

from coworking.accounts.forms import BillingDetailsForm


class CompanyForm(BillingDetailsForm):
    """The company's name and the billing details its invoices are made out to."""

    company_name = StringField(_l("Company name"), render_kw={"autocomplete": "organization"})
    submit = SubmitField(_l("Open company account"))


class InvitationForm(FlaskForm):
    email = EmailField(_l("Employee's e-mail address"), render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Create invitation link"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)


class CompanyPlanForm(FlaskForm):
    plan_id = SelectField(_l("How the company pays"), validate_choice=False)
    seats = IntegerField(_l("Seats"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="plan", **kwargs)


class JoinForm(FlaskForm):
    submit = SubmitField(_l("Join the company"))


class LeaveForm(FlaskForm):
    submit = SubmitField(_l("Leave the company"))
