"""Feedback on the accessibility statement (BITV 2.0 asks for a way to report barriers): a
visitor writes, the admins get it by e-mail. Signed in or not; counted per client address so
the form cannot be used to flood the admins' mailboxes."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from coworking import events
from coworking.accounts.models import normalize_email
from coworking.accounts.service import email_problem
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.extensions import limiter
from coworking.text_input import control_characters_problem

MESSAGE_MAX, NAME_MAX = 4000, 120


@dataclass
class AccessibilityFeedback(events.Event):
    """Someone reported a barrier; `page` is the address they wrote from."""

    name = "site.accessibility_feedback"
    operator_slug: str | None
    message: str
    sender_name: str
    sender_email: str
    page: str

    def payload(self):
        return {"operator": self.operator_slug, "page": self.page}


def _problems(message, name, email):
    errors = {}
    if not message:
        errors["message"] = [_l("Please describe what you noticed.")]
    elif len(message) > MESSAGE_MAX:
        errors["message"] = [_l("At most %(max)s characters, please.", max=MESSAGE_MAX)]
    elif problem := control_characters_problem(message, multiline=True):
        errors["message"] = [problem]
    if len(name) > NAME_MAX:
        errors["name"] = [_l("At most %(max)s characters, please.", max=NAME_MAX)]
    elif problem := control_characters_problem(name):
        errors["name"] = [problem]
    if email and (problem := email_problem(email)):
        errors["email"] = [problem]
    return errors


@use_case
def send_feedback(operator, message, name="", email="", page="", client_address=None):
    """Check the report and hand it to the admins (by the subscriber in notifications). The
    sender's address is optional: without it nobody can answer, which the form says."""
    message = (message or "").replace("\r\n", "\n").strip()
    name, email = (name or "").strip(), normalize_email(email or "")
    errors = _problems(message, name, email)
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    limiter.hit(current_app.config["RATELIMIT_MAIL_PER_ADDRESS"], "accessibility-feedback",
                client_address or "-")
    events.record(AccessibilityFeedback(operator.slug if operator else None, message, name,
                                        email, page))
