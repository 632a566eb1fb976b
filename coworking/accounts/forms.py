"""Sign-in, registration and account forms: shape only; the rules live in the accounts
service. The account page holds several forms at once, so each has a prefix of its own and
no two fields share an id."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from coworking.accounts.research_profile import NO_ANSWER_TEXT, QUESTION_TEXTS, QUESTIONS
from coworking.accounts.service import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, TOKEN_NAME_MAX


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
    next = HiddenField()
    submit = SubmitField(_l("Create account"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


class LanguageForm(FlaskForm):
    lang = HiddenField()
    submit = SubmitField()


class ResendVerificationForm(FlaskForm):
    next = HiddenField()
    submit = SubmitField(_l("Send the link again"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX)],
                       render_kw={"autocomplete": "email"})
    next = HiddenField()
    submit = SubmitField(_l("Send me a link"))


def _new_password(label):
    return PasswordField(label, validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                         render_kw={"autocomplete": "new-password"})


def _repeated(field):
    return PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo(field, message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password (at least 8 characters)"))
    password_again = _repeated("password")
    submit = SubmitField(_l("Save the new password"))


def _current_password():
    return PasswordField(_l("Current password"),
                         validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                         render_kw={"autocomplete": "current-password"})


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)],
                       render_kw={"autocomplete": "name"})
    submit = SubmitField(_l("Save the name"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="profile", **kwargs)


class AccountLanguageForm(FlaskForm):
    # Each language named in itself, as language pickers do.
    language = SelectField(_l("Language of pages and e-mails"),
                           choices=[SelectChoice("de", "Deutsch", render_kw={"lang": "de"}),
                                    SelectChoice("en", "English", render_kw={"lang": "en"})])
    submit = SubmitField(_l("Save the language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="preferences", **kwargs)


class EmailChangeForm(FlaskForm):
    new_email = EmailField(_l("New e-mail address"),
                           validators=[DataRequired(), Length(max=EMAIL_MAX)],
                           render_kw={"autocomplete": "email"})
    current_password = _current_password()
    submit = SubmitField(_l("Send a confirmation link"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="email", **kwargs)


class PasswordChangeForm(FlaskForm):
    current_password = _current_password()
    new_password = _new_password(_l("New password (at least 8 characters)"))
    new_password_again = _repeated("new_password")
    submit = SubmitField(_l("Change the password"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="password", **kwargs)


class RemindersForm(FlaskForm):
    reminders = BooleanField(_l("Remind me by e-mail the evening before a booking"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reminders", **kwargs)


class NewTokenForm(FlaskForm):
    name = StringField(_l("What the token is for"),
                       validators=[DataRequired(), Length(max=TOKEN_NAME_MAX)])
    current_password = _current_password()
    submit = SubmitField(_l("Create a token"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="token", **kwargs)


class EndSessionsForm(FlaskForm):
    submit = SubmitField(_l("Sign out everywhere"))


def _answers(question):
    return [("", NO_ANSWER_TEXT)] + list(QUESTIONS[question].items())


def _question(question):
    return SelectField(QUESTION_TEXTS[question], choices=_answers(question), default="")


class ResearchForm(FlaskForm):
    consent = BooleanField(_l("Yes, my visits may be used for the research, under a pseudonym"))
    work_mode = _question("work_mode")
    commute_km_band = _question("commute_km_band")
    employment = _question("employment")
    residence = _question("residence")
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="research", **kwargs)

    def answers(self):
        return {question: getattr(self, question).data or None for question in QUESTIONS}


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Delete my account for good"))


class BillingDetailsForm(FlaskForm):
    """Who invoices are made out to; the formats (postcode by country, VAT id, Leitweg-ID)
    are checked by the billing details service. `next`: the order step to go on with."""

    name = StringField(_l("Name on the invoice"), render_kw={"autocomplete": "name"})
    company = StringField(_l("Company (optional)"), render_kw={"autocomplete": "organization"})
    street = StringField(_l("Street and house number"),
                         render_kw={"autocomplete": "street-address"})
    postcode = StringField(_l("Postcode"), render_kw={"autocomplete": "postal-code"})
    city = StringField(_l("Town or city"), render_kw={"autocomplete": "address-level2"})
    country = SelectField(_l("Country"), validate_choice=False,
                          render_kw={"autocomplete": "country"})
    vat_id = StringField(_l("VAT id (optional)"))
    buyer_reference = StringField(_l("Leitweg-ID (optional, for public authorities)"))
    next = HiddenField()
    submit = SubmitField(_l("Save billing details"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="billing", **kwargs)

    def values(self):
        return {name: getattr(self, name).data for name in (
            "name", "company", "street", "postcode", "city", "country", "vat_id",
            "buyer_reference")}
