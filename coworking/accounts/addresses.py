"""The account's e-mail address: confirmed by following a link sent to it, and changed by
following a link sent to the new one (nothing changes before that)."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import clock, events
from coworking.accounts.events import EmailChanged, EmailChangeRequested
from coworking.accounts.models import AccountToken, LinkPurpose, User, normalize_email
from coworking.accounts.service import (
    LOOKALIKE,
    check_current_password,
    locked,
    lookalike_taken,
    new_email_problem,
    send_verification_link,
)
from coworking.database import savepoint, use_case
from coworking.errors import Conflict, Gone, InvalidInput
from coworking.extensions import db, limiter

VERIFY_GONE = _l("This link no longer works: it has expired, or it was sent to an address your "
                 "account no longer has. Sign in and ask for a new one on your account page.")
CHANGE_GONE = _l("This link no longer works: it has been used already or has expired. You can "
                 "ask for a new one on your account page.")


def _taken():
    return Conflict(_l("Another account uses this e-mail address."), field="new_email")


def _count_mail(kind, user, client_address):
    """Links sent on request are limited per account, and generously per client address."""
    config = current_app.config
    limiter.hit(config["RATELIMIT_MAIL_PER_ADDRESS"], "mail-address", client_address or "-")
    limiter.hit(config["RATELIMIT_MAIL_PER_ACCOUNT"], kind, str(user.id))


@use_case
def resend_verification(user, client_address):
    """Another link that confirms the account's address (the banner's button)."""
    if user.is_email_verified:
        raise Conflict(_l("Your e-mail address is confirmed already."))
    _count_mail("verify", user, client_address)
    send_verification_link(locked(user), clock.utcnow())


@use_case
def verify(secret):
    """Confirm the address a verification link was sent to; the account it belongs to.

    A link followed again (a mail program may have opened it first) confirms what is
    confirmed already; a link sent to an address the account no longer has does nothing."""
    now = clock.utcnow()
    token = AccountToken.find(secret, LinkPurpose.VERIFY)
    if token is None:
        raise Gone(VERIFY_GONE)
    user = token.user
    if token.is_usable(now):
        token.use(now)
        user = locked(user)
        if user.email_verified_at is None:
            user.email_verified_at = now
        return user
    if token.used_at is not None and token.email == user.email and user.is_email_verified:
        return user
    raise Gone(VERIFY_GONE)


@use_case
def request_change(user, new_email, current_password, client_address):
    """Send a link to `new_email` that makes it the account's address once followed."""
    new_email = normalize_email(new_email or "")
    problem = new_email_problem(new_email)
    if problem:
        raise InvalidInput(problem, field="new_email")
    user = locked(user)
    check_current_password(user, current_password)
    if new_email == user.email:
        raise InvalidInput(_l("This is your address already."), field="new_email")
    if db.session.scalar(select(User.id).where(User.email == new_email)):
        raise _taken()
    if lookalike_taken(new_email, user.id):
        raise InvalidInput(LOOKALIKE, field="new_email")
    _count_mail("email-change", user, client_address)
    secret, token = AccountToken.issue(user, LinkPurpose.EMAIL_CHANGE, new_email, clock.utcnow())
    events.record(EmailChangeRequested(user, new_email, secret, token.expires_at))
    return token


@use_case
def confirm_change(secret):
    """Follow an e-mail change link: the address it was sent to becomes the account's,
    confirmed; the old address is told. Conflict when another account took it meanwhile."""
    now = clock.utcnow()
    token = AccountToken.find(secret, LinkPurpose.EMAIL_CHANGE)
    if token is None or not token.is_usable(now):
        raise Gone(CHANGE_GONE)
    user = locked(token.user)
    if db.session.scalar(select(User.id).where(User.email == token.email, User.id != user.id)):
        raise _taken()
    old_email = user.email
    try:
        with savepoint():
            user.email = token.email
            user.email_verified_at = now
            db.session.flush()
    except IntegrityError:
        raise _taken() from None
    # Links to other new addresses asked for before are settled by this one.
    AccountToken.use_up(user.id, LinkPurpose.EMAIL_CHANGE, now)
    token.use(now)
    events.record(EmailChanged(user, old_email))
    return user
