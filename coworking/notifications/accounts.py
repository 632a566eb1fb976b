"""E-mails about the account itself: confirm the address, reset the password, confirm a new
address, and tell the old address that it was replaced.

The links' secrets come from the events' attributes, never from their stored payloads."""
from types import SimpleNamespace

from flask_babel import format_datetime, gettext as _

from coworking import links
from coworking.notifications import mail


def _until(instant):
    """When a link stops working, as the recipient reads times (the programme's zone)."""
    return lambda: format_datetime(instant, "short")


def verification(event):
    mail.to_user(event.user, "account_verify", lambda: _("Please confirm your e-mail address"),
                 link=links.external_url("accounts.verify_email", token=event.secret),
                 valid_until=_until(event.expires_at))


def password_reset(event):
    subject = lambda: _("Choose a new password")  # noqa: E731
    context = {"link": links.external_url("accounts.reset_password", token=event.secret),
               "valid_until": _until(event.expires_at)}
    if event.user is None:
        # No account has this address, so nothing is sent; the message is written all the
        # same, so that the answer takes about as long as for an address with an account.
        stranger = SimpleNamespace(name="", email=event.email, language=None)
        mail.render("password_reset", mail.language_of(stranger), subject, user=stranger,
                    **context)
        return
    mail.to_user(event.user, "password_reset", subject, **context)


def host_invited(event):
    mail.to_user(event.user, "host_invitation",
                 lambda: _("You are invited as host of %(space)s", space=event.space_name),
                 space_name=event.space_name,
                 link=links.external_url("accounts.reset_password", token=event.secret),
                 valid_until=_until(event.expires_at))


def email_change_requested(event):
    """To the new address: nothing changes until its link is followed."""
    user = event.user
    rendered = mail.render(
        "email_change_confirm", mail.language_of(user),
        lambda: _("Please confirm your new e-mail address"), user=user,
        new_email=event.new_email, valid_until=_until(event.expires_at),
        link=links.external_url("accounts.confirm_email_change", token=event.secret))
    mail.queue(event.new_email, rendered)


def email_changed(event):
    """To the old address, which no longer hears anything else from us."""
    user = event.user
    rendered = mail.render(
        "email_changed", mail.language_of(user), lambda: _("Your e-mail address was changed"),
        user=user, old_email=event.old_email, new_email=user.email)
    mail.queue(event.old_email, rendered)
