"""Registration, sign-in, roles and API tokens: used by the web views, the API and the CLI."""
import re

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from flask_babel import lazy_gettext as _l

from coworking import clock
from coworking.accounts.models import ROLES, ApiToken, User, UserRole, hash_token, normalize_email
from coworking.database import savepoint, use_case
from coworking.errors import AuthenticationFailed, Conflict, InvalidInput
from coworking.extensions import db, limiter

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN, PASSWORD_MAX = 8, 256
NAME_MAX, EMAIL_MAX = 200, 254
# Compared against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


def validate_registration(email, password, name):
    """Field -> messages for everything wrong with a registration; empty when fine."""
    errors = {}
    email = normalize_email(email or "")
    if not email:
        errors["email"] = [_l("Please enter your e-mail address.")]
    elif len(email) > EMAIL_MAX or not EMAIL_PATTERN.match(email):
        errors["email"] = [_l("Please enter a valid e-mail address.")]
    if not password or len(password) < PASSWORD_MIN:
        errors["password"] = [_l("The password needs at least %(n)s characters.", n=PASSWORD_MIN)]
    elif len(password) > PASSWORD_MAX:
        errors["password"] = [_l("The password may have at most %(n)s characters.", n=PASSWORD_MAX)]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_l("Please enter your name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_l("The name may have at most %(n)s characters.", n=NAME_MAX)]
    return errors


def _email_taken():
    return Conflict(_l("An account with this e-mail address already exists."), field="email")


@use_case
def register(email, password, name, client_address=None, roles=(("member", None),)):
    """Create a member account. Raises InvalidInput, Conflict, or RateLimited."""
    if client_address is not None:
        limiter.hit(current_app.config["RATELIMIT_REGISTER_PER_ADDRESS"], "register", client_address)
    errors = validate_registration(email, password, name)
    if errors:
        raise InvalidInput(_l("Please check the highlighted fields."), errors=errors)
    email = normalize_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise _email_taken()
    user = User(email=email, name=name.strip())
    user.set_password(password)
    user.roles = [UserRole(role=role, space_id=space_id) for role, space_id in roles]
    try:
        with savepoint():
            db.session.add(user)
    except IntegrityError:
        raise _email_taken() from None
    return user


def authenticate(email, password, client_address):
    """The user with these credentials, or AuthenticationFailed / RateLimited.

    Only failures count against the account (10 a minute by default); the client address
    gets a generous limit, since everyone working in one space shares its address.
    """
    config = current_app.config
    email = normalize_email(email or "")[:EMAIL_MAX]
    limiter.hit(config["RATELIMIT_AUTH_PER_ADDRESS"], "auth-address", client_address or "-")
    limiter.check(config["RATELIMIT_LOGIN_PER_ACCOUNT"], "auth-account", email)
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password or "")
    if user is None or not user.check_password(password or ""):
        limiter.hit(config["RATELIMIT_LOGIN_PER_ACCOUNT"], "auth-account", email)
        raise AuthenticationFailed(_l("E-mail address or password is wrong."))
    return user


@use_case
def issue_api_token(user):
    """A new API token for `user`; only its hash is stored, so the secret is shown once."""
    secret = ApiToken.new_secret()
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(secret), created_at=clock.utcnow()))
    return secret


def user_for_api_token(secret):
    if not secret:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
    )
    return token.user if token else None


def user_by_email(email):
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email, name, password, role="member", space_id=None):
    """Create a user with one role (a host of the space `space_id`); the `users create` command."""
    if role not in ROLES:
        raise InvalidInput(_l("Unknown role."), field="role")
    if role == "host" and space_id is None:
        raise InvalidInput(_l("A host needs --space."), field="space")
    roles = [("member", None)]
    if role != "member":
        roles.append((role, space_id if role == "host" else None))
    return register(email, password, name, roles=roles)
