"""What a change of a space's hours or a closure does to the bookings it hits: each is moved
to a free time and resource of its kind that day, shortened to the new hours, or cancelled
with its credit returned, as the host chose (a default for the change, overridden per
booking). Every member hears once per change, in one message naming each of their bookings
and what became of it; the bookings keep a record of it for their pages and the API."""
from collections import defaultdict
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import clock, events
from coworking.bookings import service as bookings
from coworking.bookings.events import BookingCancelled, BookingEvent, BookingMoved
from coworking.bookings.models import Booking
from coworking.clock import lenient_local_to_utc
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.spaces.models import BookingChange, Resource, ResourceKind

# What the API's `on_conflict` and the host's page choose from; "refuse" changes nothing.
ON_CONFLICT = ("refuse", "move", "shorten", "cancel")
RESOLUTIONS = ("move", "shorten", "cancel")
OUTCOME = {"move": "moved", "shorten": "shortened", "cancel": "cancelled"}
CHOICE_LABELS = {
    "move": _l("Move (another time or place that day)"),
    "shorten": _l("Shorten to the new hours"),
    "cancel": _l("Cancel and return the credit"),
}


class BookingRescheduled(BookingEvent):
    """The space gave a booking other times (and perhaps another resource of its kind):
    calendars update it; its member hears in the change's summary."""

    name = "booking.rescheduled"


class SpaceChangeNotice(events.Event):
    """What one change of a space did to one member's bookings: [(booking, outcome)], and
    why; notifications turn it into one e-mail."""

    name = "space.change_notice"

    def __init__(self, user, space, items, reason, retired=None, reason_en=None):
        self.user, self.space, self.items, self.reason = user, space, items, reason
        self.retired = retired  # the resource taken out of service, if that was the change
        # The reason in English ("" none written) where it is a text with an English version
        # (a closure's reason); None where only German is ever written.
        self.reason_en = reason_en

    def payload(self):
        return {"user_id": self.user.id, "space_id": self.space.id, "reason": self.reason,
                "bookings": [{"booking_id": b.id, "outcome": o} for b, o in self.items]} | (
            {"retired_resource_id": self.retired.id} if self.retired is not None else {}) | (
            {"reason_en": self.reason_en} if self.reason_en else {})


def checked_on_conflict(value, field="on_conflict"):
    if value not in ON_CONFLICT:
        raise InvalidInput(_l("Choose one of: %(choices)s.", choices=", ".join(ON_CONFLICT)),
                           field=field)
    return value


def checked_choices(choices):
    """{booking id: resolution} as the host overrode the default per booking."""
    checked = {}
    for booking_id, choice in (choices or {}).items():
        if choice not in RESOLUTIONS:
            raise InvalidInput(_l("Choose one of: %(choices)s.",
                                  choices=", ".join(RESOLUTIONS)), field=f"booking-{booking_id}")
        checked[int(booking_id)] = choice
    return checked


def _pieces(booking, day):
    """The parts of the booking's time the new day (`day`: its OpenDay) still holds."""
    return [(max(booking.start_at, opens), min(booking.end_at, closes))
            for opens, closes in day.intervals
            if max(booking.start_at, opens) < min(booking.end_at, closes)]


def _shortened(space, booking, day, now):
    """(start, end) of the longest part the new hours keep, if at least one slot long."""
    pieces = [(start, end) for start, end in _pieces(booking, day) if end > now]
    if not pieces:
        return None
    start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
    return (start, end) if end - start >= timedelta(minutes=space.slot_minutes) else None


def _candidates(resource, space, day_date):
    """Resources the booking may move to: its own first, then the others of its kind in
    service that day (a fixed desk stays its member's)."""
    if resource.kind == ResourceKind.FIXED_DESK:
        return [resource]
    others = db.session.scalars(
        select(Resource).where(Resource.space_id == space.id, Resource.kind == resource.kind,
                               Resource.active.is_(True), Resource.id != resource.id)
        .order_by(Resource.name, Resource.id)).all()
    return [resource] + [r for r in others if r.in_service_on(day_date)]


def _moved(space, booking, day, now):
    """(start, end, resource): the same length on the same day at the free time nearest to
    the booking's own, on the slot grid of the new hours, its own resource first. Two
    queries: the day's bookings of the candidates, and the member's own desk bookings."""
    length = booking.end_at - booking.start_at
    step = timedelta(minutes=space.slot_minutes)
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    starts = []
    for opens, closes in day.intervals:
        at = opens
        while at + length <= closes:
            if at >= earliest:
                starts.append(at)
            at += step
    if not starts:
        return None
    day_date = booking.start_at.astimezone(space.zone).date()
    resources = _candidates(booking.resource, space, day_date)
    first, last = min(starts), max(starts) + length
    taken = defaultdict(list)
    for resource_id, start, end in db.session.execute(
            select(Booking.resource_id, Booking.start_at, Booking.end_at)
            .where(Booking.resource_id.in_([r.id for r in resources]), Booking.id != booking.id,
                   *Booking.overlapping(first, last),
                   Booking.occupies(now, space.no_show_grace_minutes))):
        taken[resource_id].append((start, end))
    own = [] if not booking.holds_desk else db.session.execute(
        select(Booking.start_at, Booking.end_at)
        .where(Booking.user_id == booking.user_id, Booking.id != booking.id,
               Booking.holds_desk.is_(True), *Booking.overlapping(first, last),
               Booking.occupies(now, space.no_show_grace_minutes))).all()

    def free(intervals, start):
        return not any(s < start + length and start < e for s, e in intervals)

    for start in sorted(starts, key=lambda at: (abs(at - booking.start_at), at)):
        if not free(own, start):
            continue
        for resource in resources:
            if free(taken[resource.id], start):
                return start, start + length, resource
    return None


def resolve(actor, space, hit, default, choices, reason, day_of, moves=None, retired=None,
            reason_en=None):
    """Settle each booking in `hit` as chosen (`choices` per booking id, else `default`):
    "move" falls back to "shorten" and "shorten" to "cancel" where the new day leaves no
    room. `day_of(local date)` is the OpenDay after the change. `moves` ({booking id:
    (start, end, resource) or None}) are where bookings go when the caller planned it (a
    resource taken out of service, `retired`); else the nearest free time that day.
    Returns [{"booking_id", "outcome"}] in the order of `hit`; one notice per member, which
    gives English readers `reason_en` where the reason has an English version."""
    now = clock.utcnow()
    zone = space.zone
    done = []
    for booking in hit:
        wanted = choices.get(booking.id, default)
        before = (booking.start_at, booking.end_at, booking.resource_id)
        day = day_of(booking.start_at.astimezone(zone).date())
        outcome = None
        if wanted == "move":
            target = moves.get(booking.id) if moves is not None else \
                _moved(space, booking, day, now)
            if target is not None:
                booking.start_at, booking.end_at = target[0], target[1]
                booking.resource, booking.resource_id = target[2], target[2].id
                outcome = "moved"
        if outcome is None and wanted in ("move", "shorten"):
            target = _shortened(space, booking, day, now)
            if target is not None:
                booking.start_at, booking.end_at = target
                outcome = "shortened"
        if outcome is None:
            bookings.cancel(actor, booking.id, reason=reason or None, for_space=True)
            outcome = "cancelled"
        else:
            events.record(BookingRescheduled(booking))
        db.session.add(BookingChange(booking_id=booking.id, changed_at=now, outcome=outcome,
                                     reason=reason or "", before_start=before[0],
                                     before_end=before[1], before_resource_id=before[2]))
        db.session.flush()
        done.append((booking, outcome))
    _summarised({booking.id for booking, _outcome in done})
    by_member = defaultdict(list)
    for booking, outcome in done:
        by_member[booking.user_id].append((booking, outcome))
    for items in by_member.values():
        events.record(SpaceChangeNotice(items[0][0].user, space, items, reason, retired,
                                        reason_en))
    return [{"booking_id": booking.id, "outcome": outcome} for booking, outcome in done]


def settled(resolved, reason):
    """What the audit entry of a change keeps of its bookings: ids per outcome, and why."""
    found = {}
    for key, outcome in (("cancelled", "cancelled"), ("shortened", "shortened"),
                         ("rescheduled", "moved")):
        ids = [item["booking_id"] for item in resolved if item["outcome"] == outcome]
        if ids:
            found[key] = ids
    return found | ({"reason": reason} if found and reason else {})


def _summarised(booking_ids):
    """The change's own notice tells the members: the per-booking e-mails stay unsent."""
    for event in db.session().info.get("events", ()):
        if isinstance(event, (BookingCancelled, BookingMoved)) \
                and event.booking.id in booking_ids:
            event.summarised = True


def local_instant(space, day, at: time):
    return lenient_local_to_utc(datetime.combine(day, at), space.zone)
