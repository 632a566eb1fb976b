"""A member's directory profile. No row: not in the directory (the default)."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking import clock
from coworking.database import UTCDateTime
from coworking.extensions import db


class DirectoryProfile(db.Model):
    """What I do, what I can help with, my town: shown to signed-in members only, never to
    research (no research query reads this table) and gone when its member deletes it."""

    __tablename__ = "directory_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    what_i_do: Mapped[str] = mapped_column(String(300))
    can_help_with: Mapped[str] = mapped_column(String(300), default="")
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    updated_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    user = relationship("User", lazy="joined", innerjoin=True)
    town = relationship("Town", lazy="joined", innerjoin=True)
