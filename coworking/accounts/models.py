"""Users, their roles, their API tokens and the single-use links sent to them by e-mail."""
import enum
import hashlib
import secrets
import unicodedata
from datetime import timedelta

import idna
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    String,
    UniqueConstraint,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from coworking import clock
from coworking.accounts.lookalikes import skeleton
from coworking.database import UTCDateTime, one_of
from coworking.extensions import db

ROLES = ("member", "host", "admin", "researcher")
TOKEN_LIFETIME = timedelta(days=365)
# How stale an API token's last_used_at may be: a write a minute, not one per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


# Addresses in the reserved .invalid domain (RFC 2606) cannot exist: rows without a person to
# write to (a deleted account, a walk-in who gave only a name) carry one.
NO_MAILBOX_DOMAIN = ".invalid"


def normalize_email(email):
    """E-mail addresses are unique regardless of case, surrounding blanks and the encoding of
    their characters: NFKC folds compatibility forms (a fullwidth ｍ is an m), and IDNA's
    mapping (UTS #46) gives a domain its one spelling. What is no domain stays as it is, for
    the syntax check to refuse."""
    email = unicodedata.normalize("NFKC", email.strip()).lower()
    local, at, domain = email.rpartition("@")
    if not at or not domain:
        return email
    try:
        domain = idna.decode(idna.encode(domain, uts46=True))
    except (idna.IDNAError, UnicodeError):
        return email
    return f"{local}@{domain}"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # What the address looks like (see lookalikes.skeleton), kept with it: a new address
    # whose skeleton another account has is refused as a look-alike.
    email_skeleton: Mapped[str | None] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    email_verified_at = mapped_column(UTCDateTime, nullable=True)
    # Part of every session cookie; raising it ends all sessions of the user on the server.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # The language the member chose for pages and e-mails; None: the site's default.
    language: Mapped[str | None] = mapped_column(String(5))
    # E-mail reminders the evening before a booking.
    reminders: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The member deleted the account: personal data is erased, the row stays so bookings and
    # aggregates keep their shape.
    deleted_at = mapped_column(UTCDateTime, nullable=True)

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("email")
    def _keep_skeleton(self, key, email):
        self.email_skeleton = skeleton(email) if email is not None else None
        return email

    def get_id(self):
        """What the session cookie carries: a cookie of an ended session names an old epoch."""
        return f"{self.id}:{self.session_epoch}"

    def set_password(self, password):
        """A changed password also ends every session signed in with the old one."""
        if self.password_hash is not None:
            self.session_epoch = (self.session_epoch or 0) + 1
        # Tests choose a cheap method; production keeps Werkzeug's default (scrypt).
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def has_mailbox(self):
        return not self.email.endswith(NO_MAILBOX_DOMAIN)

    @property
    def is_email_verified(self):
        return self.email_verified_at is not None

    @property
    def role_names(self):
        """Distinct role names, member first: what `/api/v1/me` lists."""
        names = {role.role for role in self.roles}
        return [name for name in ROLES if name in names]

    def hosted_space_ids(self):
        """The spaces this user is a host of; what that allows is decided in permissions."""
        return {role.space_id for role in self.roles if role.role == "host"}


class UserRole(db.Model):
    """One role of a user; a host role names the space it covers."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role", "space_id", name="uq_user_role_grant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="roles")


def hash_token(secret):
    """API and calendar tokens are high-entropy, so one SHA-256 round is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(db.Model):
    """A named secret for API clients; it works until it expires or its owner revokes it."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    expires_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow() + TOKEN_LIFETIME,
                               nullable=False)
    # Written at most once a minute (see LAST_USED_GRANULARITY), not on every request.
    last_used_at = mapped_column(UTCDateTime, nullable=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    @staticmethod
    def new_secret():
        return "cw_" + secrets.token_urlsafe(32)


class LinkPurpose(enum.StrEnum):
    """What a link sent by e-mail does when it is followed."""

    VERIFY = "verify"              # confirms the account's address
    RESET = "reset"                # sets a new password
    EMAIL_CHANGE = "email_change"  # makes the address it was sent to the account's


# A reset link is a key to the account, so it lives briefly.
LINK_LIFETIMES = {LinkPurpose.VERIFY: timedelta(days=7), LinkPurpose.RESET: timedelta(hours=1),
                  LinkPurpose.EMAIL_CHANGE: timedelta(days=1)}


class AccountToken(db.Model):
    """A single-use link sent by e-mail; only a hash of its secret is stored.

    Each is bound to its user and to the address it was sent to (`email`): a link sent to
    an address the account no longer has does nothing.
    """

    __tablename__ = "account_token"
    __table_args__ = (
        CheckConstraint(one_of("purpose", LinkPurpose), name="purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(Enum(
        LinkPurpose, native_enum=False, length=20, create_constraint=False,
        values_callable=lambda members: [m.value for m in members], validate_strings=True))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the link went to: the account's own, or the new one of an e-mail change.
    email: Mapped[str] = mapped_column(String(254))
    created_at = mapped_column(UTCDateTime, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user, purpose, email, now):
        """(secret, token) of a new link; the secret goes into the e-mail and nowhere else."""
        secret = secrets.token_urlsafe(32)
        token = cls(user_id=user.id, purpose=purpose, token_hash=hash_token(secret), email=email,
                    created_at=now, expires_at=now + LINK_LIFETIMES[purpose])
        db.session.add(token)
        return secret, token

    @classmethod
    def find(cls, secret, purpose, lock=True):
        """The link with this secret and purpose, used or not (locked to use it); None for
        a secret that names no link."""
        if not isinstance(secret, str) or not 0 < len(secret) <= 200:
            return None
        query = select(cls).where(cls.token_hash == hash_token(secret), cls.purpose == purpose)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return db.session.scalars(query).first()

    def is_usable(self, now):
        """Unused, not expired, and still pointing where it was sent (for every purpose but
        a change of address, the account's current address)."""
        if self.used_at is not None or self.expires_at <= now:
            return False
        return self.purpose == LinkPurpose.EMAIL_CHANGE or self.email == self.user.email

    def use(self, now):
        self.used_at = now

    @classmethod
    def use_up(cls, user_id, purpose, now):
        """Every outstanding link of `purpose` of the user stops working (a new password makes
        the other reset links useless)."""
        db.session.execute(
            update(cls).where(cls.user_id == user_id, cls.purpose == purpose,
                              cls.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False))
