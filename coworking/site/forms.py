"""The admin's form for a site page: shape only; the rules live in coworking.site.service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField


class SitePageForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Text"), render_kw={"rows": 24})
    submit = SubmitField(_l("Publish"))
    # Offered once the text turned out to hold "[…]" placeholders still.
    publish_anyway = SubmitField(_l("Publish anyway, marked as a draft"))


class BarrierReportForm(FlaskForm):
    """A visitor's report of a barrier, on the accessibility statement."""
    message = TextAreaField(_l("What did you notice, and where?"), render_kw={"rows": 6})
    name = StringField(_l("Your name (optional)"), render_kw={"autocomplete": "name"})
    email = EmailField(_l("Your e-mail address (optional, so that we can answer)"),
                       render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send the report"))
