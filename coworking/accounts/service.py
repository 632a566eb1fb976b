"""Registration, sign-in, roles and API tokens: used by the web views, the API and the CLI."""
import secrets
from functools import partial

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coworking import clock, events
from coworking.accounts.events import CredentialsEnded, VerificationRequested
from coworking.accounts.lookalikes import mixed_script_parts, skeleton
from coworking.accounts.models import (
    LAST_USED_GRANULARITY,
    NO_MAILBOX_DOMAIN,
    ROLES,
    TOKEN_LIFETIME,
    AccountToken,
    ApiToken,
    LinkPurpose,
    User,
    UserRole,
    hash_token,
    normalize_email,
)
from coworking.database import savepoint, use_case, write_later
from coworking.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from coworking.extensions import db, limiter

PASSWORD_MIN, PASSWORD_MAX = 8, 256
NAME_MAX, EMAIL_MAX = 200, 254
TOKEN_NAME_MAX = 100
# Compared against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummysa$" + "0" * 128


def email_problem(email):
    """Why a (normalised) e-mail address is not accepted, or None."""
    if not email:
        return _l("Please enter your e-mail address.")
    if len(email) > EMAIL_MAX:
        return _l("Please enter a valid e-mail address.")
    try:
        # Strictly by syntax (RFC 5321's length limits too) and by syntax alone: no DNS
        # lookups, since the app works offline and demos and tests use example.org.
        validate_email(email, check_deliverability=False, strict=True)
    except EmailNotValidError:
        return _l("Please enter a valid e-mail address.")
    return None


def password_problem(password):
    """Why a new password is not accepted, or None."""
    if not password or len(password) < PASSWORD_MIN:
        return _l("The password needs at least %(n)s characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _l("The password may have at most %(n)s characters.", n=PASSWORD_MAX)
    return None


def name_problem(name):
    """Why a (stripped) name is not accepted, or None."""
    if not name:
        return _l("Please enter your name.")
    if len(name) > NAME_MAX:
        return _l("The name may have at most %(n)s characters.", n=NAME_MAX)
    return None


MIXED_SCRIPTS = _l("This address mixes letters of different alphabets (such as Latin and "
                   "Cyrillic) in one part. Please write each part in one alphabet.")
LOOKALIKE = _l("This address can hardly be told apart from the address of another account. "
               "Please use a different one.")


def new_email_problem(email):
    """Why a (normalised) address is not accepted for a new account or a change of address,
    or None: the syntax, and letters of two alphabets in one part, the mark of a look-alike.
    Addresses accounts have already are not judged by the second rule when they sign in."""
    problem = email_problem(email)
    if problem is None and mixed_script_parts(email):
        problem = MIXED_SCRIPTS
    return problem


def lookalike_taken(email, user_id=None):
    """Whether another account (not `user_id`'s) has an address that looks the same as this
    (normalised) one without being it; the very same address is the caller's Conflict."""
    return db.session.scalar(
        select(User.id).where(User.email_skeleton == skeleton(email), User.email != email,
                              User.id != (user_id or 0)).limit(1)) is not None


def validate_registration(email, password, name):
    """Field -> messages for everything wrong with a registration; empty when fine."""
    problems = {"email": new_email_problem(normalize_email(email or "")),
                "password": password_problem(password),
                "name": name_problem((name or "").strip())}
    return {field: [problem] for field, problem in problems.items() if problem}


def _email_taken():
    return Conflict(_l("An account with this e-mail address already exists."), field="email")


@use_case
def register(email, password, name, client_address=None, roles=(("member", None),),
             verified=False, language=None):
    """Create a member account. Raises InvalidInput, Conflict, or RateLimited.

    A member who registers is sent a link that confirms their address; an account an admin
    makes (`verified`) starts confirmed. `language`: the one the registration form was read
    in, so that link already comes in it."""
    if client_address is not None:
        limiter.hit(current_app.config["RATELIMIT_REGISTER_PER_ADDRESS"], "register", client_address)
    errors = validate_registration(email, password, name)
    if errors:
        raise InvalidInput(_l("Please check the highlighted fields."), errors=errors)
    email = normalize_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise _email_taken()
    if lookalike_taken(email):
        raise InvalidInput(LOOKALIKE, field="email")
    now = clock.utcnow()
    user = User(email=email, name=name.strip(), email_verified_at=now if verified else None,
                language=language if language in current_app.config["LANGUAGES"] else None)
    user.set_password(password)
    user.roles = [UserRole(role=role, space_id=space_id) for role, space_id in roles]
    try:
        with savepoint():
            db.session.add(user)
    except IntegrityError:
        raise _email_taken() from None
    if not verified:
        send_verification_link(user, now)
    return user


def send_verification_link(user, now):
    """A link that confirms the account's present address, e-mailed to that address."""
    secret, token = AccountToken.issue(user, LinkPurpose.VERIFY, user.email, now)
    events.record(VerificationRequested(user, secret, token.expires_at))


def authenticate(email, password, client_address, known_device=None):
    """The user with these credentials, or AuthenticationFailed / RateLimited.

    Only failures count against the account (10 a minute by default); the client address
    gets a generous limit, since everyone working in one space shares its address. From a
    browser that signed in as this user before (`known_device`), failures count against
    that browser instead, so strangers guessing the password cannot lock the owner out.
    """
    config = current_app.config
    limit = config["RATELIMIT_LOGIN_PER_ACCOUNT"]
    email = normalize_email(email or "")[:EMAIL_MAX]
    limiter.hit(config["RATELIMIT_AUTH_PER_ADDRESS"], "auth-address", client_address or "-")
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is not None and known_device is not None and known_device.knows(user):
        failures = ("auth-device", known_device.device_id, str(user.id))
    else:
        failures = ("auth-account", email)
    limiter.check(limit, *failures)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password or "")
    if user is None or not user.check_password(password or ""):
        limiter.hit(limit, *failures)
        raise AuthenticationFailed(_l("E-mail address or password is wrong."))
    return user


def user_for_session(session_id):
    """The user a session cookie names, unless that session has ended (see `end_sessions`)."""
    user_id, _, epoch = (session_id or "").partition(":")
    if not (user_id.isdecimal() and epoch.isdecimal()):
        return None  # also cookies from before sessions could end: they sign in again
    user = db.session.scalars(
        select(User).where(User.id == int(user_id)).options(joinedload(User.roles))
    ).unique().first()
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


@use_case
def end_sessions(user):
    """Sign-out: every session cookie issued to the user so far stops working, copies too."""
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_epoch=User.session_epoch + 1))


def end_credentials(user, now):
    """Every session, API token and calendar feed URL of the user stops working: what a
    password reset and signing out everywhere promise, so a token or feed URL taken from a
    borrowed session does not outlive it. `user`: locked (see `locked`), inside the caller's
    unit of work."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.execute(update(ApiToken)
                       .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    events.record(CredentialsEnded(user))


@use_case
def sign_out_everywhere(user):
    """The account page's "sign out everywhere": sessions, API tokens and feed URLs end."""
    end_credentials(locked(user), clock.utcnow())


def _token_name(name):
    name = (name or "").strip()
    if len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(_l("The name may have at most %(n)s characters.", n=TOKEN_NAME_MAX),
                           field="name")
    return name or None


@use_case
def create_api_token(user, name=None):
    """(secret, token) of a new API token; only its hash is stored, so the secret is shown once."""
    name = _token_name(name)
    secret = ApiToken.new_secret()
    now = clock.utcnow()
    token = ApiToken(user_id=user.id, token_hash=hash_token(secret), name=name, created_at=now,
                     expires_at=now + TOKEN_LIFETIME)
    db.session.add(token)
    return secret, token


@use_case
def create_api_token_confirmed(user, current_password, name=None):
    """A token made in the browser: the current password is asked first, so a session left
    open on a borrowed computer cannot mint a key that outlives it."""
    check_current_password(user, current_password)
    return create_api_token(user, name)


def issue_api_token(user, name=None):
    """The secret of a new API token, for callers that need nothing else (the command line)."""
    return create_api_token(user, name)[0]


def active_api_token(secret):
    """The token with this secret if it still works (neither revoked nor expired), with its user."""
    if not secret:
        return None
    # Token, user and roles in one statement: this runs before every token request.
    return db.session.scalars(
        select(ApiToken).options(joinedload(ApiToken.user).joinedload(User.roles))
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None),
               ApiToken.expires_at > clock.utcnow())
    ).unique().first()


def note_api_token_use(token, later=False):
    """Keep last_used_at about right without a write on every request: at most one a minute.

    `later`: for a request that writes anyway, within its own unit of work rather than in a
    commit of its own (a reading request writes it at once, so what it shows counts itself).
    """
    now = clock.utcnow()
    stale = now - LAST_USED_GRANULARITY
    if token.last_used_at is None or token.last_used_at <= stale:
        touch = partial(_touch_api_token, token.id, now, stale)
        if later:
            write_later(touch)
        else:
            touch()


@use_case
def _touch_api_token(token_id, now, stale):
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id,
               or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale))
        .values(last_used_at=now).execution_options(synchronize_session=False)
    )


def api_tokens_of(user):
    """The user's tokens that are not revoked, newest first; expired ones show they expired."""
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


@use_case
def revoke_api_token(user, token_id):
    """Revoke one of the user's tokens; NotFound for another user's, or one already revoked."""
    token = None
    if isinstance(token_id, int) and 0 < token_id < 2**31:
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                                   ApiToken.revoked_at.is_(None)).with_for_update())
    if token is None:
        raise NotFound(_l("You have no API token %(id)s to revoke.", id=token_id))
    token.revoked_at = clock.utcnow()
    return token


@use_case
def revoke_all_api_tokens(user):
    """Revoke every token of the user (a lost laptop, a leaked script); returns what it revoked."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id).with_for_update()).all()
    now = clock.utcnow()
    for token in tokens:
        token.revoked_at = now
    return tokens


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
    return register(email, password, name, roles=roles, verified=True)


def locked(user):
    """The user's row, locked and read afresh, for a use case that changes it."""
    return db.session.scalars(
        select(User).where(User.id == user.id).with_for_update()
        .execution_options(populate_existing=True)).one()


def check_current_password(user, password, field="current_password"):
    """What the account page asks before it changes the address or the password. Wrong
    answers count against the account like failed sign-ins, so a borrowed session cannot
    try passwords without end."""
    limit = current_app.config["RATELIMIT_LOGIN_PER_ACCOUNT"]
    limiter.check(limit, "account-password", str(user.id))
    if not user.check_password(password or ""):
        limiter.hit(limit, "account-password", str(user.id))
        raise InvalidInput(_l("This is not your current password."), field=field)


@use_case
def rename(user, name):
    name = (name or "").strip()
    problem = name_problem(name)
    if problem:
        raise InvalidInput(problem, field="name")
    locked(user).name = name


@use_case
def set_language(user, language):
    """The language of the member's pages and e-mails."""
    if language not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Please choose one of the languages offered."), field="language")
    locked(user).language = language


@use_case
def set_reminders(user, wanted):
    """E-mail reminders the evening before a booking, on or off."""
    locked(user).reminders = bool(wanted)


# Matches no password (not a hash of anything): a guest's account works once they set one.
UNUSABLE_PASSWORD_HASH = "!"


def guest_problems(email, name):
    """Field -> messages for an account a host makes for someone at the front desk."""
    errors = {}
    email = normalize_email(email or "")
    if not email:
        errors["email"] = [_l("Please enter the e-mail address.")]
    else:
        # The registration rule for addresses; a guest chooses no password, so one that
        # passes stands in for it.
        problems = validate_registration(email, "-" * PASSWORD_MIN, "-")
        if "email" in problems:
            errors["email"] = problems["email"]
    problem = _guest_name_problem(
        name, _l("This e-mail address is new here: please enter the guest's name."))
    if problem:
        errors["name"] = [problem]
    return errors


def _guest_name_problem(name, missing):
    """What is wrong with a guest's name, `missing` when there is none; None when it will do."""
    name = (name or "").strip()
    if not name:
        return missing
    if len(name) > NAME_MAX:
        return _l("The name may have at most %(n)s characters.", n=NAME_MAX)
    return None


@use_case
def create_guest(email, name):
    """A member account made by a host for a walk-in: no password works until they set one
    with a password reset. Raises InvalidInput or Conflict (the address is taken)."""
    errors = guest_problems(email, name)
    if errors:
        raise InvalidInput(_l("Please check the highlighted fields."), errors=errors)
    if lookalike_taken(normalize_email(email)):
        raise InvalidInput(LOOKALIKE, field="email")
    user = User(email=normalize_email(email), name=name.strip(),
                password_hash=UNUSABLE_PASSWORD_HASH)
    user.roles = [UserRole(role="member", space_id=None)]
    try:
        with savepoint():
            db.session.add(user)
    except IntegrityError:
        raise _email_taken() from None
    return user


def name_only_guest(name):
    """A walk-in who gives only a name: a row their booking and visit belong to, not an
    account. It has no address anyone can reach, no password and no role, so nobody signs in
    as it and nothing is written to it. Raises InvalidInput for a missing or long name."""
    problem = _guest_name_problem(
        name, _l("Please enter the guest's name, or their e-mail address."))
    if problem:
        raise InvalidInput(problem, field="name")
    user = User(email=f"walk-in-{secrets.token_hex(12)}@walk-in{NO_MAILBOX_DOMAIN}",
                name=name.strip(),
                password_hash=UNUSABLE_PASSWORD_HASH)
    db.session.add(user)
    return user


DELETED_NAME = "Gelöschtes Konto"


def erase(user, now):
    """What deleting an account leaves of it: a row without a person. Its address, name and
    password are gone, every session and token of it ends, and its roles with them; the id
    stays, so past bookings and the statistics built on them keep their shape."""
    for model in (ApiToken, AccountToken):
        db.session.execute(delete(model).where(model.user_id == user.id))
    user.email = f"deleted-{user.id}@deleted{NO_MAILBOX_DOMAIN}"
    user.name = DELETED_NAME
    user.password_hash = "!"
    user.session_epoch = (user.session_epoch or 0) + 1
    user.email_verified_at = None
    user.language = None
    user.reminders = False
    user.roles = []
    user.deleted_at = now
