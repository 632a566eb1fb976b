"""The admins' status page's one form: shape only, the retry's rules live in `parked`."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    submit = SubmitField(_l("Retry"))
