"""Sign-in and registration forms: shape only; the rules live in the accounts service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from coworking.accounts.service import EMAIL_MAX, NAME_MAX, PASSWORD_MAX


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password (at least 8 characters)"),
                             validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Create account"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


class LanguageForm(FlaskForm):
    lang = HiddenField()
    submit = SubmitField()
