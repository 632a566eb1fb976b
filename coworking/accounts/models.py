"""Users, their roles and their API tokens."""
import hashlib
import secrets

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db

ROLES = ("member", "host", "admin", "researcher")


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

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password):
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
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    @staticmethod
    def new_secret():
        return "cw_" + secrets.token_urlsafe(32)

    @property
    def is_active(self):
        return self.revoked_at is None
