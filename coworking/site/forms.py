"""The admin's form for a site page: shape only; the rules live in coworking.site.service."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField


class SitePageForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Text"), render_kw={"rows": 24})
    submit = SubmitField(_l("Publish"))
    # Offered once the text turned out to hold "[…]" placeholders still.
    publish_anyway = SubmitField(_l("Publish anyway, marked as a draft"))
