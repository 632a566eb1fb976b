"""Towns, spaces and what can be booked in them."""
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coworking.extensions import db

RESOURCE_KINDS = ("hot_desk", "fixed_desk", "meeting_room", "phone_booth")
DESK_KINDS = ("hot_desk", "fixed_desk")
# The longest booking the schema admits (migration 0005); a space's own limit may only be lower.
MAX_BOOKING_MINUTES = 24 * 60


class Town(db.Model):
    __tablename__ = "town"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # ISO 3166-2 subdivision code without the country, e.g. "BB": picks the public holidays.
    state: Mapped[str] = mapped_column(String(4))
    state_name: Mapped[str] = mapped_column(String(60))
    population: Mapped[int | None] = mapped_column(Integer)
    town_type: Mapped[str | None] = mapped_column(String(60))
    location_type: Mapped[str | None] = mapped_column(String(60))

    spaces: Mapped[list["Space"]] = relationship(back_populates="town")


class Space(db.Model):
    __tablename__ = "space"
    __table_args__ = (
        CheckConstraint("slot_minutes > 0 AND 1440 % slot_minutes = 0", name="slot_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    town_id: Mapped[int] = mapped_column(ForeignKey("town.id"), index=True)
    address: Mapped[str] = mapped_column(String(250))
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Berlin")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # Booking rules.
    horizon_days: Mapped[int] = mapped_column(Integer, default=365)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=0)
    max_booking_minutes: Mapped[int] = mapped_column(Integer, default=600)
    cancel_deadline_minutes: Mapped[int] = mapped_column(Integer, default=120)
    no_show_grace_minutes: Mapped[int] = mapped_column(Integer, default=30)
    public_holidays_closed: Mapped[bool] = mapped_column(Boolean, default=True)

    town: Mapped[Town] = relationship(back_populates="spaces", lazy="joined")
    opening_hours: Mapped[list["OpeningHours"]] = relationship(
        back_populates="space", cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )
    closures: Mapped[list["Closure"]] = relationship(
        back_populates="space", cascade="all, delete-orphan", order_by="Closure.start_date"
    )
    resources: Mapped[list["Resource"]] = relationship(
        back_populates="space", order_by="(Resource.kind, Resource.name, Resource.id)"
    )

    @property
    def zone(self):
        return ZoneInfo(self.timezone)

    @validates("max_booking_minutes")
    def _within_schema_limit(self, _key, minutes):
        if minutes is not None and not 0 < minutes <= MAX_BOOKING_MINUTES:
            raise ValueError(f"max_booking_minutes must lie between 1 and {MAX_BOOKING_MINUTES}")
        return minutes


class OpeningHours(db.Model):
    """One opening interval on a weekday (0 = Monday), in local wall-clock time."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    space: Mapped[Space] = relationship(back_populates="opening_hours")


class Closure(db.Model):
    """Whole days a space is closed beyond its state's public holidays (inclusive range)."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    space: Mapped[Space] = relationship(back_populates="closures")


class Resource(db.Model):
    __tablename__ = "resource"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('hot_desk', 'fixed_desk', 'meeting_room', 'phone_booth')", name="kind"
        ),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    amenities: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    space: Mapped[Space] = relationship(back_populates="resources")

    @property
    def is_desk(self):
        return self.kind in DESK_KINDS
