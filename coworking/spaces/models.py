"""Towns, spaces and what can be booked in them."""
import enum
from datetime import date, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    event,
    false,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from coworking.content_language import shown_text
from coworking.database import UTCDateTime, one_of
from coworking.extensions import db


class ResourceKind(enum.StrEnum):
    """What a resource is: the database, the API's document and the pages all take it from here."""

    HOT_DESK = "hot_desk"
    FIXED_DESK = "fixed_desk"
    MEETING_ROOM = "meeting_room"
    PHONE_BOOTH = "phone_booth"

    @property
    def label(self):
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ResourceKind.HOT_DESK: _l("Hot desk"),
    ResourceKind.FIXED_DESK: _l("Fixed desk"),
    ResourceKind.MEETING_ROOM: _l("Meeting room"),
    ResourceKind.PHONE_BOOTH: _l("Phone booth"),
}

class SpaceType(enum.StrEnum):
    """What kind of place a space is, in the terms of the cooperative's rural coworking
    studies, so that research can compare towns of different types."""

    CLASSIC = "classic"                # classic coworking: members from the town and around
    COMMUTER_HAVEN = "commuter_haven"  # "Pendlerhafen": commuters who stay home some days
    VILLAGE_CENTRE = "village_centre"  # new village centre: work beside other public uses

    @property
    def label(self):
        return _SPACE_TYPE_LABELS[self]


_SPACE_TYPE_LABELS = {
    SpaceType.CLASSIC: _l("Classic coworking"),
    SpaceType.COMMUTER_HAVEN: _l("Commuter haven (Pendlerhafen)"),
    SpaceType.VILLAGE_CENTRE: _l("New village centre"),
}

DESK_KINDS = (ResourceKind.HOT_DESK, ResourceKind.FIXED_DESK)
ROOM_KINDS = (ResourceKind.MEETING_ROOM, ResourceKind.PHONE_BOOTH)
# The validity of hours that applied before anyone recorded a date: since always.
EVER = date(2000, 1, 1)
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
    # Limits per member against hoarding (none when null): upcoming bookings of meeting rooms
    # and phone booths, and days ahead with a desk booked.
    max_room_bookings: Mapped[int | None] = mapped_column(Integer)
    max_desk_days: Mapped[int | None] = mapped_column(Integer)
    # What its hosts tell visitors (null until first written): a short intro, amenities one
    # per line, how to get in, whom to ask, and where exactly it is for the map link.
    description: Mapped[str | None] = mapped_column(Text)
    amenities: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str | None] = mapped_column(Text)
    # The same in English, optional: English visitors read the German text, marked as such,
    # where none is written.
    description_en: Mapped[str | None] = mapped_column(Text)
    amenities_en: Mapped[str | None] = mapped_column(Text)
    access_en: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # A SpaceType value, or None while nobody has classified the space.
    space_type: Mapped[str | None] = mapped_column(String(30))
    # The legal operator that runs the space: its Impressum and privacy notice are the
    # space's pages, and it sells the space's own passes.
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    # The first day it was open: before it, it had no capacity (null: not recorded, always).
    opened_on: Mapped[date | None] = mapped_column(Date)
    # A space an admin has opened but not yet published: only admins and its hosts see it,
    # and nobody books it.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Raised with every change of its own columns, opening hours or closures (see
    # `_raise_settings_version`): a booking that waited on the space's row sees it changed.
    settings_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    town: Mapped[Town] = relationship(back_populates="spaces", lazy="joined")
    operator = relationship("Operator", lazy="joined", innerjoin=True)
    opening_hours: Mapped[list["OpeningHours"]] = relationship(
        back_populates="space", cascade="all, delete-orphan",
        order_by="(OpeningHours.effective_from, OpeningHours.weekday, OpeningHours.opens)",
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
    """One opening interval on a weekday (0 = Monday), in local wall-clock time, of the week
    that applies from `effective_from` until the next week's date: a change adds a week and
    keeps the ones before, so a past day is always read with the hours it had."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    effective_from: Mapped[date] = mapped_column(Date, default=EVER)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    space: Mapped[Space] = relationship(back_populates="opening_hours")


class Closure(db.Model):
    """Days a space is closed beyond its state's public holidays (inclusive range): whole
    days, or on one day only from `start_time` to `end_time` (local wall-clock)."""

    __tablename__ = "closure"
    __table_args__ = (
        CheckConstraint("start_date <= end_date", name="dates_in_order"),
        CheckConstraint("(start_time IS NULL AND end_time IS NULL) OR (start_time < end_time "
                        "AND start_date = end_date)", name="part_of_one_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str] = mapped_column(String(200), default="")
    reason_en: Mapped[str] = mapped_column(String(200), default="", server_default="")

    space: Mapped[Space] = relationship(back_populates="closures")

    @property
    def whole_day(self):
        return self.start_time is None

    @property
    def shown_reason(self):
        """The reason in the visitor's language (German where none is written in English),
        as a string that knows which it is (`content_language.ShownText`)."""
        return shown_text(self.reason, self.reason_en)


class Resource(db.Model):
    __tablename__ = "resource"
    __table_args__ = (
        CheckConstraint(one_of("kind", ResourceKind), name="kind"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(
        Enum(ResourceKind, native_enum=False, length=20, create_constraint=False,
             values_callable=lambda kinds: [kind.value for kind in kinds], validate_strings=True))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    amenities: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Its time in service, local dates inclusive (null: open-ended). An inactive resource
    # without an end date was never recorded as in service for any day.
    in_service_from: Mapped[date | None] = mapped_column(Date)
    in_service_until: Mapped[date | None] = mapped_column(Date)

    space: Mapped[Space] = relationship(back_populates="resources")

    def in_service_on(self, day):
        """Whether it could be booked and counted as capacity on local date `day`."""
        if self.in_service_until is None:
            return self.active and (self.in_service_from is None or self.in_service_from <= day)
        return (self.in_service_from is None or self.in_service_from <= day) \
            and day <= self.in_service_until

    @validates("kind")
    def _as_kind(self, _key, value):
        """A kind given as text (seed data, tests) is the enum member from the start."""
        return ResourceKind(value)

    @property
    def is_desk(self):
        return self.kind in DESK_KINDS

    @property
    def is_room(self):
        """Meeting rooms and phone booths: booked by the hour, limited together."""
        return self.kind in ROOM_KINDS


CHANGE_OUTCOMES = ("moved", "shortened", "cancelled")


class BookingChange(db.Model):
    """What the space did to a booking when new hours, a closure or a retired resource took
    its time: moved, shortened or cancelled it, and why. Its member's page and the API show
    the latest, so a member tells the space's doing from their own."""

    __tablename__ = "booking_change"
    __table_args__ = (
        CheckConstraint("outcome IN ('moved', 'shortened', 'cancelled')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"),
                                            index=True)
    changed_at = mapped_column(UTCDateTime, nullable=False)
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(300), default="")
    before_start = mapped_column(UTCDateTime, nullable=False)
    before_end = mapped_column(UTCDateTime, nullable=False)
    before_resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL"))


@event.listens_for(Session, "before_flush")
def _raise_settings_version(session, _context, _instances):
    """Every flush that changes a space's settings raises its version, once."""
    changed = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (OpeningHours, Closure)):
            # A new one made with its space's id only has no space loaded yet.
            space = obj.space if obj.space is not None or obj.space_id is None \
                else session.get(Space, obj.space_id)
        elif (isinstance(obj, Space) and obj not in session.new and obj not in session.deleted
              and session.is_modified(obj)):
            space = obj
        else:
            continue
        if (space is not None and space not in session.new and space not in session.deleted
                and id(space) not in changed):
            changed.add(id(space))
            space.settings_version = (space.settings_version or 0) + 1
            session.info.setdefault(CHANGED_SPACES, set()).add(space.id)


# The ids of the spaces whose settings a session's transaction has changed and not yet
# committed: what it reads of them is no one else's yet, so nothing keeps it.
CHANGED_SPACES = "changed_spaces"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_changed_spaces(session):
    session.info.pop(CHANGED_SPACES, None)
