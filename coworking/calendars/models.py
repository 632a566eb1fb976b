"""The secret tokens of the feed URLs, and the change stamps a feed's ETag comes from."""
import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.accounts.models import hash_token
from coworking.database import UTCDateTime
from coworking.extensions import db

# The owners of feeds: a member (their bookings) and a space (its bookings, for its hosts).
MEMBER, SPACE = "member", "space"


class CalendarToken(db.Model):
    """A feed URL's secret: a member's own feed, or with `space_id` a host's feed of that space.

    The secret is derived from a random nonce with the app's SECRET_KEY, so the account page
    can show the URL again while the database alone reveals none (it keeps the nonce and a
    hash of the secret). At most one token per feed is in force; rotating revokes it.
    """

    __tablename__ = "calendar_token"
    __table_args__ = (
        Index("uq_calendar_token_member", "user_id", unique=True,
              postgresql_where=text("space_id IS NULL AND revoked_at IS NULL"),
              sqlite_where=text("space_id IS NULL AND revoked_at IS NULL")),
        Index("uq_calendar_token_host", "user_id", "space_id", unique=True,
              postgresql_where=text("space_id IS NOT NULL AND revoked_at IS NULL"),
              sqlite_where=text("space_id IS NOT NULL AND revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    revoked_at = mapped_column(UTCDateTime, nullable=True)

    @classmethod
    def new(cls, user_id, space_id=None):
        nonce = secrets.token_hex(16)
        return cls(user_id=user_id, space_id=space_id, nonce=nonce,
                   token_hash=hash_token(secret_for(nonce)), created_at=clock.utcnow())

    @property
    def secret(self):
        return secret_for(self.nonce)

    @property
    def scope(self):
        return MEMBER if self.space_id is None else SPACE


def secret_for(nonce):
    """The URL-safe secret of a token: HMAC-SHA256 of its nonce under SECRET_KEY (a new
    SECRET_KEY therefore retires every feed URL)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"calendar-feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class CalendarStamp(db.Model):
    """When a feed's bookings last changed: a member's (scope "member") or a space's ("space").

    `changed` is Unix time in whole seconds, as HTTP's Last-Modified has it, and rises by at
    least a second with every change, so two changes within one second still differ.
    """

    __tablename__ = "calendar_stamp"
    __table_args__ = (CheckConstraint(f"scope IN ('{MEMBER}', '{SPACE}')", name="scope"),)

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    changed: Mapped[int] = mapped_column(BigInteger)
