"""Billing forms: a button each; which payment or membership is in the address."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class PayForm(FlaskForm):
    submit = SubmitField(_l("Continue to payment"))


class PortalForm(FlaskForm):
    submit = SubmitField(_l("Manage subscription"))
