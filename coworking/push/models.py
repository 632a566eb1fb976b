"""A member's Web Push subscriptions: where a browser's push service takes messages for one
device, and the keys (RFC 8291) that only that device can read them with."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking.database import UTCDateTime
from coworking.extensions import db

ENDPOINT_MAX = 1000


class PushSubscription(db.Model):
    """One device of one member. An endpoint belongs to one browser profile, so it is unique:
    subscribing it again (another member signed in on the same phone) takes it over."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    endpoint: Mapped[str] = mapped_column(String(ENDPOINT_MAX), unique=True)
    # The device's P-256 public key (65 bytes, uncompressed) and its 16-byte auth secret,
    # base64url without padding, as the browser's PushSubscription.toJSON() gives them.
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    created_at = mapped_column(UTCDateTime, nullable=False)
    # The last message its push service took, so the account page tells live devices apart.
    last_sent_at = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User")

    @property
    def service_host(self):
        """Whose push service carries it (fcm.googleapis.com, updates.push.services.mozilla.com,
        web.push.apple.com, ...): what the account page names a device by."""
        from urllib.parse import urlsplit

        return urlsplit(self.endpoint).hostname or ""

    def info(self):
        """What pywebpush takes."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
