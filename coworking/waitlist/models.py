"""The waiting list for a full slot: its entries, and the offer that holds a freed resource
for the first member on the list for 30 minutes (other bookings and the grid respect it)."""
import enum
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coworking.database import UTCDateTime, naive_utc, one_of, plain_enum
from coworking.errors import Conflict
from coworking.extensions import db
from coworking.formatting import local_time
from coworking.spaces.models import ResourceKind

# How long an offered member has to take the resource before the next one is asked.
OFFER_LIFETIME = timedelta(minutes=30)
# What one can wait for; a fixed desk is never free for others.
KINDS = (ResourceKind.HOT_DESK, ResourceKind.MEETING_ROOM, ResourceKind.PHONE_BOOTH)


class EntryStatus(enum.StrEnum):
    WAITING = "waiting"      # on the list
    OFFERED = "offered"      # a resource is held for them until `expires_at`
    BOOKED = "booked"        # they took the offer
    LAPSED = "lapsed"        # the offer ran out unanswered
    WITHDRAWN = "withdrawn"  # they left the list or declined the offer
    OVER = "over"            # the range began with no offer taken

    @property
    def label(self):
        return _LABELS[self]


_LABELS = {
    EntryStatus.WAITING: _l("waiting"),
    EntryStatus.OFFERED: _l("offered to you"),
    EntryStatus.BOOKED: _l("booked"),
    EntryStatus.LAPSED: _l("offer lapsed"),
    EntryStatus.WITHDRAWN: _l("withdrawn"),
    EntryStatus.OVER: _l("over"),
}

WAITING, OFFERED = EntryStatus.WAITING, EntryStatus.OFFERED
# An entry in one of these states is still on the list; one per member, space, kind and range.
OPEN_STATUSES = (WAITING, OFFERED)


class WaitlistEntry(db.Model):
    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(one_of("status", EntryStatus), name="status"),
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        # The list of a space and kind, in the order it is served.
        Index("ix_waitlist_entry_space_kind", "space_id", "kind", "created_at"),
        Index("ix_waitlist_entry_user_id", "user_id"),
        # Open offers hold their resource: what booking and the grid look up.
        Index("ix_waitlist_entry_offered", "resource_id", "start_at",
              postgresql_where=text("status = 'offered'"),
              sqlite_where=text("status = 'offered'")),
        # A second join of the same range is refused by the database too (two taps at once).
        Index("uq_waitlist_entry_open", "user_id", "space_id", "kind", "start_at", "end_at",
              unique=True,
              postgresql_where=text("status IN ('waiting', 'offered')"),
              sqlite_where=text("status IN ('waiting', 'offered')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    start_at = mapped_column(UTCDateTime, nullable=False)
    end_at = mapped_column(UTCDateTime, nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[EntryStatus] = mapped_column(
        plain_enum(EntryStatus, length=10))
    # The offer: which resource is held for them, since when and until when.
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL"))
    offered_at = mapped_column(UTCDateTime, nullable=True)
    expires_at = mapped_column(UTCDateTime, nullable=True)
    # When it left the list: booked, lapsed, withdrawn or over.
    ended_at = mapped_column(UTCDateTime, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))

    user = relationship("User")
    space = relationship("Space", lazy="joined", innerjoin=True)
    resource = relationship("Resource")

    @property
    def kind_label(self):
        return ResourceKind(self.kind).label

    def offer_open_at(self, now):
        return self.status == OFFERED and self.expires_at > now

    def latest_offer_end(self):
        """The range's start less the space's notice: after it they could not book any more."""
        return self.start_at - timedelta(minutes=self.space.min_notice_minutes)

    def offer(self, resource, now):
        """Hold `resource` for this member for 30 minutes, but never beyond
        `latest_offer_end()`."""
        self.status, self.resource, self.resource_id = OFFERED, resource, resource.id
        self.offered_at = now
        self.expires_at = min(now + OFFER_LIFETIME, self.latest_offer_end())

    def end(self, status, now, booking_id=None):
        self.status, self.ended_at = status, now
        if booking_id is not None:
            self.booking_id = booking_id


def holding(resource_ids, start, end, now):
    """Conditions for the open offers on these resources overlapping [start, end): each
    holds its resource until it lapses, job or no job."""
    return (WaitlistEntry.resource_id.in_(resource_ids), WaitlistEntry.status == OFFERED,
            WaitlistEntry.expires_at > now, WaitlistEntry.start_at < end,
            WaitlistEntry.end_at > start)


def check_not_held(user, resource, start, end, now, held_until=None):
    """Refuse a resource an open waiting-list offer holds for another member; the message
    says until when, after which it is free again (or offered to the next on the list).

    `held_until`: what `held_until_sql` found, read along with a booking's other facts;
    without it the offers are read here."""
    if held_until is None:
        held = db.session.scalar(
            select(WaitlistEntry)
            .where(*holding([resource.id], start, end, now), WaitlistEntry.user_id != user.id)
            .order_by(WaitlistEntry.expires_at.desc()).limit(1))
        held_until = held.expires_at if held is not None else None
    if held_until is not None:
        zone = resource.space.zone
        raise Conflict(_l("%(name)s is held for a member of the waiting list until %(time)s.",
                          name=resource.name, time=local_time(held_until, zone)),
                       field="start")


def held_until_sql(resource_ids, start, end, now, user_id):
    """SQL: until when an open offer to someone other than `user_id` holds one of these
    resources within [start, end) (NULL: none), for a read that brings it along."""
    return (select(func.max(WaitlistEntry.expires_at))
            .where(*holding(resource_ids, start, end, now), WaitlistEntry.user_id != user_id)
            .scalar_subquery())


def offered_rows(resource_ids, start, end, now):
    """SELECT (resource id, start, end as naive UTC) of the open offers holding these
    resources within [start, end): the grid unions it with the bookings, one query for both."""
    return (select(WaitlistEntry.resource_id,
                   naive_utc(WaitlistEntry.start_at).label("taken_from"),
                   naive_utc(WaitlistEntry.end_at).label("taken_to"))
            .where(*holding(resource_ids, start, end, now)))


def offered_starts(resource_ids, start, end, now):
    """SELECT (resource id, start) of the open offers holding these resources within
    [start, end): where a walk-in could sit, unioned with the bookings."""
    return (select(WaitlistEntry.resource_id, WaitlistEntry.start_at)
            .where(*holding(resource_ids, start, end, now)))


def merge(intervals):
    """Sorted intervals, overlapping or touching ones merged."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
