"""Passwords: reset with a single-use link sent by e-mail, changed on the account page.

Asking for a reset never tells whether an account has the address: the answer, and the
work done to give it, are the same either way."""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import clock, events
from coworking.accounts.events import HostInvited, PasswordResetRequested
from coworking.accounts.models import (
    LINK_LIFETIMES,
    AccountToken,
    LinkPurpose,
    User,
    hash_token,
    normalize_email,
)
from coworking.accounts.service import (
    check_current_password,
    email_problem,
    end_credentials,
    locked,
    password_problem,
)
from coworking.database import use_case
from coworking.errors import Gone, InvalidInput
from coworking.extensions import db, limiter

RESET_GONE = _l("This link has been used already or has expired. Please ask for a new one.")


@use_case
def request_reset(email, client_address):
    """E-mail a reset link to the account with this address, if there is one.

    Requests count per address asked for, whether it has an account or not (so a limited
    answer tells nothing either), and generously per client address."""
    email = normalize_email(email or "")
    problem = email_problem(email)
    if problem:
        raise InvalidInput(problem, field="email")
    config = current_app.config
    limiter.hit(config["RATELIMIT_MAIL_PER_ADDRESS"], "mail-address", client_address or "-")
    limiter.hit(config["RATELIMIT_MAIL_PER_ACCOUNT"], "password-reset", email)
    user = db.session.scalar(select(User).where(User.email == email))
    now = clock.utcnow()
    if user is not None:
        secret, token = AccountToken.issue(user, LinkPurpose.RESET, user.email, now)
        expires_at = token.expires_at
    else:
        secret = secrets.token_urlsafe(32)
        hash_token(secret)
        expires_at = now + LINK_LIFETIMES[LinkPurpose.RESET]
    # Recorded either way: the subscriber writes the e-mail either way, and sends it only
    # when there is an account to send it to.
    events.record(PasswordResetRequested(user, email, secret, expires_at))


# An invitation's link sets the first password of an account nobody else can use yet, so it
# may live for days, unlike a reset link of an account in use.
INVITATION_LIFETIME = timedelta(days=7)


def invite(user, space_name):
    """Inside the caller's unit: e-mail `user` (a new account without a password) a link to
    choose their password, as the host of `space_name` an admin made them."""
    now = clock.utcnow()
    secret, token = AccountToken.issue(user, LinkPurpose.RESET, user.email, now)
    token.expires_at = now + INVITATION_LIFETIME
    events.record(HostInvited(user, space_name, secret, token.expires_at))
    return token


def usable_reset_link(secret):
    """Whether the reset link still works, for the page that asks for the new password."""
    token = AccountToken.find(secret, LinkPurpose.RESET, lock=False)
    return token is not None and token.is_usable(clock.utcnow())


@use_case
def reset(secret, password):
    """Set a new password with a reset link: Gone when the link is used, expired or
    unknown, InvalidInput for a password that will not do (the link then still works).

    Every session, API token and calendar feed URL of the account ends (whoever had the old
    password may have made some), the account's other reset links stop working, and its
    address counts as confirmed: the link proved the member reads mail there."""
    now = clock.utcnow()
    token = AccountToken.find(secret, LinkPurpose.RESET)
    if token is None or not token.is_usable(now):
        raise Gone(RESET_GONE)
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, field="password")
    user = locked(token.user)
    user.set_password(password)
    end_credentials(user, now)
    AccountToken.use_up(user.id, LinkPurpose.RESET, now)
    token.use(now)
    if user.email_verified_at is None:
        user.email_verified_at = now
    return user


@use_case
def change(user, current_password, new_password):
    """A new password chosen on the account page; it ends every session, this one too."""
    check_current_password(user, current_password)
    problem = password_problem(new_password)
    if problem:
        raise InvalidInput(problem, field="new_password")
    user = locked(user)
    user.set_password(new_password)
    return user
