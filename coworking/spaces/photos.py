"""Photos of a space, kept in the database with everything else (so a backup holds them and
every page loads them from the site's own origin): up to six per space, in the order shown,
each with the alt text that says what it shows."""
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.content_language import shown
from coworking.database import UTCDateTime
from coworking.extensions import db

MAX_PHOTOS = 6
ALT_MAX = 200


class SpacePhoto(db.Model):
    __tablename__ = "space_photo"
    __table_args__ = (UniqueConstraint("space_id", "position",
                                       name="uq_space_photo_space_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # What the photo shows, for people who cannot see it (required), and in English.
    alt: Mapped[str] = mapped_column(String(ALT_MAX))
    alt_en: Mapped[str] = mapped_column(String(ALT_MAX), default="", server_default="")
    # The JPEG as served: resized and re-encoded on upload, so no camera metadata is kept.
    image: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def shown_alt(self):
        return shown(self.alt, self.alt_en)


def photos_of(space_id):
    """The space's photos in their order, without their bytes."""
    return db.session.scalars(select(SpacePhoto).where(SpacePhoto.space_id == space_id)
                              .order_by(SpacePhoto.position)).all()
