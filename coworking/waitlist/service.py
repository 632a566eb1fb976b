"""The waiting list's use cases: join a full slot, leave, take or decline an offer; and the
matching that offers a freed resource to the first member waiting for it (run when a booking
frees its resource, when an offer is declined, and every minute by the job)."""
from collections import defaultdict
from datetime import UTC

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking import clock, events
from coworking.bookings import events as booking_events, service
from coworking.bookings.models import Booking
from coworking.bookings.rules import check_booking_window
from coworking.database import naive_utc, savepoint, use_case
from coworking.errors import Conflict, Gone, InvalidInput, NotFound
from coworking.extensions import db
from coworking.spaces.models import Resource, Space
from coworking.spaces.service import closures_between
from coworking.waitlist.models import (
    KINDS,
    OFFERED,
    OPEN_STATUSES,
    WAITING,
    EntryStatus,
    WaitlistEntry,
    holding,
    merge,
)

BATCH = 200


class WaitlistOffered(events.Event):
    """A freed resource is held for the first member waiting for it; they are to be asked."""

    name = "waitlist.offered"

    def __init__(self, entry):
        self.entry = entry

    def payload(self):
        entry = self.entry
        return {"entry_id": entry.id, "user_id": entry.user_id,
                "resource_id": entry.resource_id,
                "start": entry.start_at.astimezone(UTC).isoformat(),
                "end": entry.end_at.astimezone(UTC).isoformat(),
                "expires_at": entry.expires_at.astimezone(UTC).isoformat()}


class SlotFree(Conflict):
    """Nobody needs to wait: `resource` is free over the whole range."""

    def __init__(self, resource):
        super().__init__(_l("A place is free after all: %(name)s.", name=resource.name))
        self.resource = resource


# -- Which resources are free over a range ---------------------------------------------------

class FreeMap:
    """The active resources of one space and kind, with what takes each of them (bookings
    that occupy it, open offers) between two instants: three queries, then any number of
    questions "which one is free over [start, end)?" in memory."""

    def __init__(self, space, kind, start, end, now):
        self.resources = db.session.scalars(
            select(Resource).where(Resource.space_id == space.id, Resource.kind == kind,
                                   Resource.active.is_(True))
            .order_by(Resource.name, Resource.id)).all()
        ids = [resource.id for resource in self.resources]
        self.taken = defaultdict(list)
        if not ids:
            return
        for resource_id, taken_from, taken_to in db.session.execute(
                select(Booking.resource_id, naive_utc(Booking.start_at),
                       naive_utc(Booking.end_at))
                .where(Booking.resource_id.in_(ids), *Booking.overlapping(start, end),
                       Booking.occupies(now, space.no_show_grace_minutes))):
            self.taken[resource_id].append((taken_from.replace(tzinfo=UTC),
                                            taken_to.replace(tzinfo=UTC)))
        for resource_id, held_from, held_to in db.session.execute(
                select(WaitlistEntry.resource_id, naive_utc(WaitlistEntry.start_at),
                       naive_utc(WaitlistEntry.end_at))
                .where(*holding(ids, start, end, now))):
            self.taken[resource_id].append((held_from.replace(tzinfo=UTC),
                                            held_to.replace(tzinfo=UTC)))

    def free_over(self, start, end):
        """The first resource (in the grid's order) free over all of [start, end), or None."""
        return next((resource for resource in self.resources
                     if not any(a < end and start < b for a, b in self.taken[resource.id])),
                    None)

    def hold(self, resource, start, end):
        self.taken[resource.id] = merge(self.taken[resource.id] + [(start, end)])


# -- Joining and leaving ---------------------------------------------------------------------

def _position(entry):
    """Where the entry stands: 1 + the open entries of its list before it whose range
    overlaps its own (they would be asked first for a resource that suits both)."""
    return 1 + db.session.scalar(
        select(func.count()).select_from(WaitlistEntry)
        .where(WaitlistEntry.space_id == entry.space_id, WaitlistEntry.kind == entry.kind,
               WaitlistEntry.status.in_(OPEN_STATUSES), WaitlistEntry.start_at < entry.end_at,
               WaitlistEntry.end_at > entry.start_at,
               (WaitlistEntry.created_at < entry.created_at)
               | ((WaitlistEntry.created_at == entry.created_at)
                  & (WaitlistEntry.id < entry.id))))


def _open_entry(user, space, kind, start, end):
    return db.session.scalar(
        select(WaitlistEntry).where(
            WaitlistEntry.user_id == user.id, WaitlistEntry.space_id == space.id,
            WaitlistEntry.kind == kind, WaitlistEntry.start_at == start,
            WaitlistEntry.end_at == end, WaitlistEntry.status.in_(OPEN_STATUSES)))


def place_on_list(user, space, kind, start, end):
    """The member's place on the list for exactly this range, or None when not on it: a page
    that would offer joining says "you are on the waiting list" instead."""
    if not user.is_authenticated or start is None or end is None:
        return None
    entry = _open_entry(user, space, kind, start, end)
    return _position(entry) if entry is not None else None


@use_case
def join(user, space, kind, start, end):
    """Put `user` on the list of `space` for a resource of `kind` over [start, end).

    Only for a range a booking could have (the same rules) where no such resource is free
    (SlotFree names one that is). Joining twice changes nothing. Returns (entry, position,
    whether it is new).
    """
    if kind not in KINDS:
        raise InvalidInput(_l("There is no waiting list for this kind of place."), field="kind")
    now = clock.utcnow()
    local_day = start.astimezone(space.zone).date()
    check_booking_window(space, start, end, now, closures_between(space, local_day, local_day))
    entry = _open_entry(user, space, kind, start, end)
    if entry is not None:
        return entry, _position(entry), False
    free = FreeMap(space, kind, start, end, now).free_over(start, end)
    if free is not None:
        raise SlotFree(free)
    entry = WaitlistEntry(user_id=user.id, space_id=space.id, space=space, kind=kind,
                          start_at=start, end_at=end, created_at=now, status=WAITING)
    try:
        with savepoint():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        # The same member joined the same range at the same moment (a double tap).
        entry = _open_entry(user, space, kind, start, end)
        if entry is None:
            raise
        return entry, _position(entry), False
    return entry, _position(entry), True


def own_entry(user, entry_id, lock=False):
    """The member's own entry; NotFound for anyone else's, so ids leak nothing."""
    if not 0 < entry_id < 2**31:
        raise NotFound(_l("There is no waiting-list offer %(id)s for you.", id=entry_id))
    query = (select(WaitlistEntry).where(WaitlistEntry.id == entry_id)
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(of=WaitlistEntry)
    entry = db.session.scalar(query)
    if entry is None or entry.user_id != user.id:
        raise NotFound(_l("There is no waiting-list offer %(id)s for you.", id=entry_id))
    return entry


@use_case
def leave(user, entry_id):
    """Leave the list (or decline the offer): an offered resource goes to the next member at
    once. Leaving twice changes nothing."""
    entry = own_entry(user, entry_id, lock=True)
    if entry.status not in OPEN_STATUSES:
        return entry
    was_offered = entry.status == OFFERED
    entry.end(EntryStatus.WITHDRAWN, clock.utcnow())
    if was_offered:
        db.session.flush()
        offer_freed(entry.space, entry.kind)
    return entry


def leave_all(user):
    """The member closes their account: they wait for nothing any more, and what was offered
    to them goes to the next member."""
    entry_ids = db.session.scalars(
        select(WaitlistEntry.id).where(WaitlistEntry.user_id == user.id,
                                       WaitlistEntry.status.in_(OPEN_STATUSES))
        .order_by(WaitlistEntry.id)).all()
    for entry_id in entry_ids:
        leave(user, entry_id)


@use_case
def accept(user, entry_id, pay=None, online=False, purchase=None):
    """Take the offer: book the held resource through the normal booking (cover, or a day
    pass, as any booking). Returns (entry, booking, whether this call booked it); a second
    acceptance books nothing more."""
    entry = own_entry(user, entry_id, lock=True)
    now = clock.utcnow()
    if entry.status == EntryStatus.BOOKED:
        return entry, entry.booking_id and db.session.get(Booking, entry.booking_id), False
    if not entry.offer_open_at(now):
        raise Gone(_l("This offer has lapsed."))
    booking = service.book(user, entry.resource_id, entry.start_at, entry.end_at,
                           source="web", pay=pay, online=online, purchase=purchase)
    entry.end(EntryStatus.BOOKED, now, booking.id)
    return entry, booking, True


def entries_of(user):
    """The member's entries still on the list, soonest first, for "my bookings"."""
    return db.session.scalars(
        select(WaitlistEntry).where(WaitlistEntry.user_id == user.id,
                                    WaitlistEntry.status.in_(OPEN_STATUSES),
                                    WaitlistEntry.end_at > clock.utcnow())
        .order_by(WaitlistEntry.start_at, WaitlistEntry.id)).all()


# -- Offering ---------------------------------------------------------------------------------

def offer_freed(space, kind):
    """Offer what is free now to the members waiting in `space` for `kind`, in the order they
    joined: each gets the first resource free over their whole range (a freed 10-12 does not
    help someone waiting for 9-17), held for them until their offer lapses. Entries are
    locked, so two passes at once never offer one resource twice. Returns how many were
    offered."""
    now = clock.utcnow()
    waiting = [entry for entry in db.session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.space_id == space.id, WaitlistEntry.kind == kind,
               WaitlistEntry.status == WAITING, WaitlistEntry.start_at > now)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .with_for_update(of=WaitlistEntry)
        .execution_options(populate_existing=True)).all()
        if entry.status == WAITING]
    # One who could no longer book it in time is not asked.
    waiting = [entry for entry in waiting if entry.latest_offer_end() > now]
    if not waiting:
        return 0
    free = FreeMap(space, kind, min(e.start_at for e in waiting),
                   max(e.end_at for e in waiting), now)
    offered = 0
    for entry in waiting:
        resource = free.free_over(entry.start_at, entry.end_at)
        if resource is None:
            continue
        entry.offer(resource, now)
        free.hold(resource, entry.start_at, entry.end_at)
        events.record(WaitlistOffered(entry))
        offered += 1
    return offered


def booking_freed(event):
    """A booking let go of its resource: the first member waiting for it is asked, in the
    same unit of work."""
    resource = (event.from_resource if isinstance(event, booking_events.BookingMoved)
                else event.booking.resource)
    if resource.kind in KINDS:
        offer_freed(resource.space, resource.kind)


@use_case
def end_lapsed_and_over(limit=BATCH):
    """Offers that ran out end as lapsed; entries whose range has begun without an offer
    taken end as over. Rows another runner holds are skipped. Returns (lapsed, over)."""
    now = clock.utcnow()
    lapsed = _claim(OFFERED, WaitlistEntry.expires_at, now, limit)
    for entry in lapsed:
        entry.end(EntryStatus.LAPSED, now)
    over = _claim(WAITING, WaitlistEntry.start_at, now, limit)
    for entry in over:
        entry.end(EntryStatus.OVER, now)
    return len(lapsed), len(over)


def _claim(status, instant, now, limit):
    """Up to `limit` entries in `status` whose `instant` has come, earliest first, locked;
    rows another runner holds are skipped."""
    return db.session.scalars(
        select(WaitlistEntry).where(WaitlistEntry.status == status, instant <= now)
        .order_by(instant, WaitlistEntry.id).limit(limit)
        .with_for_update(of=WaitlistEntry, skip_locked=True)
        .execution_options(populate_existing=True)).all()


@use_case
def _offer_in(space_id, kind):
    return offer_freed(db.session.get(Space, space_id), kind)


def offer_waitlist_job():
    """Every minute: lapsed offers move on to the next member, and anything free for someone
    waiting (a lapse, a desk added, a release the events did not see) is offered."""
    lapsed = over = 0
    while True:
        done = end_lapsed_and_over()
        lapsed, over = lapsed + done[0], over + done[1]
        if max(done) < BATCH:
            break
    lists = db.session.execute(
        select(WaitlistEntry.space_id, WaitlistEntry.kind).distinct()
        .where(WaitlistEntry.status == WAITING, WaitlistEntry.start_at > clock.utcnow())).all()
    offered = sum(_offer_in(space_id, kind) for space_id, kind in lists)
    return {"offered": offered, "lapsed": lapsed, "over": over}


# -- What pages show --------------------------------------------------------------------------

def can_wait(resource, start, end, alternatives):
    """{kind, start, end} for the booking page's join form when the member lost `resource`
    over [start, end) and no other of its kind is free then (`alternatives`: what the page
    offers instead); else None."""
    if resource.kind not in KINDS or any(other.kind == resource.kind and at == start
                                         and until == end for other, at, until in alternatives):
        return None
    return {"kind": resource.kind, "start": start, "end": end}

