"""E-mail through the outbox.

A message is rendered, in its recipient's language, in the unit of work of the change that
causes it and stored as an outbox row of its own; after the commit the worker sends it over
SMTP. A message written on a hot path (a booking's confirmation) is queued `later`: the unit
stores its address, subject and the data it is written from, and the worker writes its text
and attachments when it sends it (`renders` registers how, in `coworking/reactions.py`). A
failed send leaves the row for a later pass (with back-off). Delivery is at least once: a
message the server accepted is marked sent in a commit of its own before the connection is
even closed, so only a crash in that instant sends it again. Every message
carries a Message-ID fixed when it was written, so such a second copy is recognised as the
same message by mail systems.
"""
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from coworking import clock, outbox
from coworking.accounts.models import NO_MAILBOX_DOMAIN

log = logging.getLogger(__name__)

TOPIC = "mail"
SMTP_TIMEOUT = 30


class MailNotConfigured(RuntimeError):
    """Production without MAIL_SERVER: messages wait until it is set."""


def language_of(user):
    return user.language or current_app.config["BABEL_DEFAULT_LOCALE"]


def render(template, language, subject, **context):
    """Subject, plain text and HTML of `mail/<template>.txt|.html` in `language`.

    The subject and any context value given as a function are computed in that language
    too: dates, times and names of things read as the recipient reads them."""
    with force_locale(language):
        values = {key: value() if callable(value) else value for key, value in context.items()}
        return {"subject": str(subject() if callable(subject) else subject),
                "text": _render(f"mail/{template}.txt", values),
                "html": _render(f"mail/{template}.html", values)}


def _render(name, values):
    """Without the pages' context processors: mail is also written where no request is."""
    return current_app.jinja_env.get_template(name).render(values)


def _stored(to, payload, write=outbox.enqueue):
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return write(TOPIC, dict(payload, to=to, message_id=make_msgid(domain=domain),
                             date=format_datetime(clock.utcnow())))


def queue(to, rendered, attachments=()):
    """Store one e-mail for the worker; call inside the unit of work of its cause.

    `attachments`: (filename, content type, text) triples, e.g. a booking's calendar file.
    An address that cannot exist (a deleted account's, a walk-in's who gave only a name) gets
    nothing: None."""
    if to.endswith(NO_MAILBOX_DOMAIN):
        return None
    return _stored(to, dict(rendered, attachments=_attached(attachments)))


def _attached(attachments):
    return [{"filename": name, "content_type": kind, "text": text}
            for name, kind, text in attachments]


def to_user(user, template, subject, attachments=(), **context):
    """Render `template` for `user` in their language and queue it to their address.
    `attachments` may be a function, to be made in that language as well. A deleted
    account has no address any more, nor has a walk-in who gave only a name: nothing is
    written to them."""
    if not user.has_mailbox:
        return None
    language = language_of(user)
    rendered = render(template, language, subject, user=user, **context)
    if callable(attachments):
        with force_locale(language):
            attachments = attachments()
    return queue(user.email, rendered, attachments)


@dataclass
class Written:
    """What a message queued `later` says, as its renderer finds it when it is sent."""

    user: object
    template: str
    context: dict = field(default_factory=dict)
    attachments: Callable | tuple = ()  # a function: made in the recipient's language


_renderers = {}


def renders(kind, renderer):
    """Register how messages of `kind` queued `later` are written: `renderer(**data)` returns
    a `Written`, or None when what the message was about is gone (nothing is sent)."""
    _renderers[kind] = renderer


def later(user, kind, subject, **data):
    """Queue one e-mail to `user`, written when it is sent. The unit of work stores only the
    address and subject as they are now (what the admins' outbox page and a member's data
    export show), the language and `data`: plain JSON values the renderer of `kind` needs.
    Nothing is written to an account without a mailbox."""
    if not user.has_mailbox:
        return
    language = language_of(user)
    with force_locale(language):
        subject = str(subject())
    _stored(user.email, {"subject": subject, "language": language, "render": kind,
                         "data": data}, write=outbox.enqueue_row)


def rendered(payload):
    """The payload as it is sent: a message queued `later` gets its text, HTML and
    attachments now, in the language it was queued in; None when its renderer finds that
    what it was about is gone."""
    kind = payload.get("render")
    if kind is None:
        return payload
    written = _renderers[kind](**payload["data"])
    if written is None:
        return None
    language = payload["language"]
    body = render(written.template, language, payload["subject"], user=written.user,
                  **written.context)
    attachments = written.attachments
    if callable(attachments):
        with force_locale(language):
            attachments = attachments()
    sent = {key: value for key, value in payload.items()
            if key not in ("render", "data", "language")}
    return dict(sent, text=body["text"], html=body["html"], attachments=_attached(attachments))


def build_message(payload, sender):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = payload["date"]
    message["Message-ID"] = payload["message_id"]
    message["Auto-Submitted"] = "auto-generated"
    if payload.get("reply_to"):  # a visitor's report: the admin's answer goes to them
        message["Reply-To"] = payload["reply_to"]
    message.set_content(payload["text"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    for attachment in payload.get("attachments", ()):
        maintype, _, rest = attachment["content_type"].partition("/")
        subtype, *params = [part.strip() for part in rest.split(";")]
        message.add_attachment(
            attachment["text"], subtype=subtype, filename=attachment["filename"],
            params=dict(param.split("=", 1) for param in params))
    return message


def _starttls(smtp, config):
    """STARTTLS as configured: 1 requires it, 0 never, unset whenever the server offers it.
    Credentials are never sent in the clear unless STARTTLS is switched off on purpose."""
    smtp.ehlo()
    wanted = config["MAIL_STARTTLS"]
    if wanted is False:
        return
    if smtp.has_extn("starttls"):
        smtp.starttls(context=ssl.create_default_context(cafile=config["MAIL_CA_FILE"]))
        smtp.ehlo()
    elif wanted or config["MAIL_USERNAME"]:
        raise smtplib.SMTPNotSupportedError("the mail server offers no STARTTLS")


def send(message, accepted=lambda: None):
    """Hand one message to the configured SMTP server (or the log, in development).

    `accepted` is called as soon as the server has taken the message, before the goodbye:
    what fails after that must not make anyone send it again."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        if config["ENV_NAME"] == "production":
            raise MailNotConfigured("MAIL_SERVER is not set; the message waits")
        text = message.get_body(preferencelist=("plain",)).get_content()
        log.warning("MAIL_SERVER is not set; this message is not sent:\nTo: %s\nSubject: %s\n\n%s",
                    message["To"], message["Subject"], text)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        _starttls(smtp, config)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
        accepted()


def deliver(payload):
    payload = rendered(payload)
    if payload is None:
        return
    send(build_message(payload, current_app.config["MAIL_SENDER"]), accepted=outbox.accepted)
