"""Event forms: shape only; the rules live in the events' services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional


class EventForm(FlaskForm):
    title = StringField(_l("Title (German)"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Text (German)"), validators=[Length(max=20_000)])
    title_en = StringField(_l("Title (English, optional)"),
                           validators=[Optional(), Length(max=200)])
    description_en = TextAreaField(_l("Text (English, optional)"),
                                   validators=[Optional(), Length(max=20_000)])
    day = DateField(_l("Day"), validators=[InputRequired()])
    start_time = TimeField(_l("From"), validators=[InputRequired()])
    end_time = TimeField(_l("Until"), validators=[InputRequired()])
    capacity = IntegerField(_l("Places"), validators=[InputRequired()])
    visibility = SelectField(_l("Who can see it"), choices=[
        ("public", _l("Everyone (public)")), ("members", _l("Signed-in members only"))])
    resource_id = SelectField(_l("Room"), coerce=str, validate_choice=True)
    submit = SubmitField(_l("Save the event"))


class GuestForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(_l("Your e-mail address"), validators=[InputRequired(), Length(max=254)])
    submit = SubmitField(_l("Register"))


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
