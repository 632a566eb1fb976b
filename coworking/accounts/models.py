"""Users, their roles and their API tokens."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db

ROLES = ("member", "host", "admin", "researcher")
TOKEN_LIFETIME = timedelta(days=365)
# How stale an API token's last_used_at may be: a write a minute, not one per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def normalize_email(email):
    """E-mail addresses are unique regardless of case and surrounding blanks."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
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

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

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
