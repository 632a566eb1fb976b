"""The one calendar form: a button that rotates a feed's secret (CSRF-protected)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class RotateForm(FlaskForm):
    submit = SubmitField(_l("New calendar link"))
