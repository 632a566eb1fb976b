"""Directory forms: shape only; the rules live in the directory service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField


class ProfileForm(FlaskForm):
    what_i_do = TextAreaField(_l("What I do"))
    can_help_with = TextAreaField(_l("What I can help with"))
    town_id = SelectField(_l("My town"), validate_choice=False)
    submit = SubmitField(_l("Show me in the directory"))


class DeleteProfileForm(FlaskForm):
    submit = SubmitField(_l("Delete my profile"))
