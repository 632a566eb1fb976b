"""The site's messages to its admins: a visitor's report of a barrier, from the form on the
accessibility statement."""
from sqlalchemy import select

from coworking.accounts.models import User, UserRole
from coworking.extensions import db
from coworking.notifications import mail
from coworking.operators.service import operator_by_slug, portal_operator


def _admins():
    return db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "admin").distinct().order_by(User.id)).all()


def accessibility_feedback(event):
    """Every admin gets the report in their language, with the sender's address as Reply-To
    where one was given. With no admin yet, the portal operator's contact address gets it,
    so a report is never lost."""
    operator = operator_by_slug(event.operator_slug) if event.operator_slug else None
    context = {"feedback": event, "operator": operator}
    admins = [user for user in _admins() if user.has_mailbox]
    for admin in admins:
        rendered = mail.render("accessibility_feedback", mail.language_of(admin),
                               _subject, user=admin, **context)
        mail.queue(admin.email, _with_reply_to(rendered, event))
    if not admins:
        portal = portal_operator()
        if portal is not None and portal.email:
            rendered = mail.render("accessibility_feedback", "de", _subject, user=None, **context)
            mail.queue(portal.email, _with_reply_to(rendered, event))


def _subject():
    from flask_babel import gettext as _

    return _("Accessibility: a visitor reports a barrier")


def _with_reply_to(rendered, event):
    return dict(rendered, reply_to=event.sender_email) if event.sender_email else rendered
