"""One pass over the rows the research figures rest on: each visit and each desk booking of
the range is read once, its local day and hour computed once, and every figure of every
published table is added up from that pass.

The database hands over whole epoch seconds (sql.epoch, the same truncation the definitions
use) and the few per-row decisions the codebook defines on exact instants (what of a booking
was kept); the zone offsets come from the same table sql.offsets gives, so a local day here
is the local day the codebook means. What the pass keeps grows with spaces, days and members,
not with visits: per space and day the sums, the members seen and how many visits had each
length (for the median); visit records of consenting members go to a spooled file that
spills to disk, and leave in the codebook's order.
"""
import marshal
import tempfile
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, case, literal, or_, select

from coworking.accounts.research_profile import COMMUTE_BAND_MIDPOINTS_KM
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit
from coworking.checkins.walk_ins import SOURCE as WALK_IN_SOURCE
from coworking.extensions import db
from coworking.research import calendar, sql
from coworking.spaces.models import DESK_KINDS, Resource

COUNTED = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
# Visits are split into the clock hours they cover; none lasts longer than a day.
HOURS_A_VISIT_MAY_COVER = 25
WEEK_HOURS = 7 * 24
BATCH = 5000
# Visit records beyond this many bytes wait on disk, not in memory.
SPOOL_BYTES = 1 << 20
QUARTER = 15 * 60


class LocalTime:
    """UTC epoch seconds to the local epoch seconds of a space, from the same offsets over
    the same span as the queries used (sql.offsets): a bisection, no zone database."""

    def __init__(self, scope):
        self.zones = {}
        offsets = []
        for space_ids, changes in scope.zones():
            entry = ([start for start, _ in changes[1:]], [offset for _, offset in changes])
            offsets += entry[1]
            for space_id in space_ids:
                self.zones[space_id] = entry
        # The earliest local time any zone shows: after this the visit records of a local
        # date are complete (see _RecordWriter).
        self.least = min(offsets, default=0)

    def offset(self, space_id, seconds):
        starts, offsets = self.zones[space_id]
        return offsets[bisect_right(starts, seconds)] if starts else offsets[0]


@dataclass
class DayUse:
    """What one space saw on one local day."""

    visits: int = 0
    visit_seconds: int = 0
    lengths: Counter = field(default_factory=Counter)
    bookings: int = 0
    booked_seconds: int = 0
    cancellations: int = 0
    lead_seconds: int = 0
    leads: int = 0
    no_shows: int = 0
    members: int = 0  # a bit per member (Tally.bit)
    new_members: int = 0


@dataclass
class Tally:
    """The pass's result. `days`: {(space id, day number): DayUse} over the disclosure range
    (calendar.disclosure_range); the rest over the scope's own range. `presence`: {space id:
    (seconds, members)} per hour of the week (see _present)."""

    wide: object
    days: dict = field(default_factory=dict)
    presence: dict = field(default_factory=dict)
    profiles: dict = field(default_factory=dict)
    visitors: set = field(default_factory=set)
    commute: dict = field(default_factory=dict)
    records: object = None
    towns: dict = None
    months: dict = field(default_factory=dict)
    bits: dict = field(default_factory=dict)
    spool: object = None

    def bit(self, user_id):
        """The member as one bit: sets of members are integers, united by `|` and counted
        by bit_count(), in memory that grows with members, not with visits."""
        found = self.bits.get(user_id)
        if found is None:
            found = self.bits[user_id] = 1 << len(self.bits)
        return found

    def day(self, space_id, day):
        found = self.days.get((space_id, day))
        if found is None:
            found = self.days[(space_id, day)] = DayUse()
        return found

    def visit_records(self):
        """The spooled visit records as tuples, in the order they were written (a day's
        records at a time)."""
        if self.spool is None:
            return
        self.spool.seek(0)
        try:
            while True:
                size = self.spool.read(8)
                if not size:
                    return
                yield from marshal.loads(self.spool.read(int.from_bytes(size, "big")))
        finally:
            self.spool.close()
            self.spool = None


def wide_scope(scope):
    """The scope widened to the days whose figures decide what it may publish."""
    first, last = calendar.disclosure_range(scope.first, scope.last)
    return replace(scope, first=first, last=last)


def _booking_rows(wide):
    """Desk bookings starting within the range, payment holds that never became bookings
    left out: space, member, start second, the second it was kept until (None: it does not
    count as booked), cancelled, cancellation lead, no-show. Instants are compared in the
    database as stored (a check-out a fraction of a second early counts), then read as
    whole seconds once each."""
    start = sql.epoch(Booking.start_at)
    # A desk retired since counts for the days it was in service, as in the open desk time.
    counted_desk = or_(Resource.active.is_(True), Resource.in_service_until.is_not(None))
    kept_until = case((~and_(Booking.status.in_(COUNTED), counted_desk), None),
                      (and_(Booking.status == BookingStatus.COMPLETED,
                            Booking.completed_at.is_not(None),
                            Booking.completed_at < Booking.end_at),
                       sql.epoch(Booking.completed_at)),
                      else_=sql.epoch(Booking.end_at))
    never_booked = and_(Booking.confirmed_at.is_(None),
                        Booking.status.in_((BookingStatus.PENDING_PAYMENT,
                                            BookingStatus.CANCELLED)))
    cancelled = and_(Booking.status == BookingStatus.CANCELLED,
                     Booking.confirmed_at.is_not(None))
    return (select(Resource.space_id, Booking.user_id, start, kept_until,
                   case((cancelled, 1), else_=0),
                   case((cancelled, sql.epoch(Booking.cancelled_at)), else_=None),
                   case((Booking.status == BookingStatus.NO_SHOW, 1), else_=0))
            .join(Resource, Resource.id == Booking.resource_id)
            .where(Resource.space_id.in_(wide.space_ids), Resource.kind.in_(DESK_KINDS),
                   Booking.start_at >= wide.start, Booking.start_at < wide.end, ~never_booked))


def _visit_rows(wide, records):
    """Visits checked in within the range: id, space, member, check-in and check-out second
    (None while present), and with `records` whether they walked in, in order of check-in."""
    columns = [Visit.id, Visit.space_id, Visit.user_id, sql.epoch(Visit.checked_in_at),
               sql.epoch(Visit.checked_out_at)]
    query = select(*columns).where(Visit.space_id.in_(wide.space_ids),
                                   Visit.checked_in_at >= wide.start,
                                   Visit.checked_in_at < wide.end)
    if records:
        walked_in = or_(Visit.booking_id.is_(None), Booking.source == WALK_IN_SOURCE)
        query = (query.add_columns(case((walked_in, literal(1)), else_=literal(0)))
                 .outerjoin(Booking, Booking.id == Visit.booking_id)
                 .order_by(Visit.checked_in_at, Visit.id))
    return query


def _earlier_visitors(wide):
    """(space id, member) of everyone who came before the range: nobody new in it."""
    return set(db.session.execute(
        select(Visit.space_id, Visit.user_id).distinct()
        .where(Visit.space_id.in_(wide.space_ids), Visit.checked_in_at < wide.start)).all())


def _stream(query):
    """Rows as plain tuples in batches, through the session's connection (no ORM)."""
    result = db.session.connection().execute(
        query.execution_options(yield_per=BATCH, stream_results=True))
    return result.tuples()


def read(scope, presence=False, records=None):
    """The Tally of `scope`: the usage metrics over its disclosure range always; with
    `presence` the weekday x hour presence; with `records` (a function of a member id giving
    their pseudonym, and a {member id: profile answers} of those who consent) also the
    visit records, profile answers and commute, all over the scope's own range."""
    wide = wide_scope(scope)
    found = Tally(wide, records=records)
    if not scope.spaces:
        return found
    clock = LocalTime(wide)
    wide_days = (sql.day_number(wide.first), sql.day_number(wide.last))
    own_days = (sql.day_number(scope.first), sql.day_number(scope.last))
    own_seconds = (sql.seconds_of(scope.start), sql.seconds_of(scope.end))
    _bookings(found, clock, wide, wide_days)
    firsts = _visits(found, clock, scope, wide, wide_days, own_days, own_seconds, presence,
                     records)
    earlier = _earlier_visitors(wide)
    for (space_id, user_id), (came, day) in firsts.items():
        if (space_id, user_id) not in earlier and wide_days[0] <= day <= wide_days[1]:
            found.day(space_id, day).new_members += 1
    return found


def _bookings(found, clock, wide, wide_days):
    offset = clock.offset
    bit = found.bit
    low, high = wide_days
    for space_id, user_id, start, kept_until, cancelled, cancelled_at, no_show in _stream(
            _booking_rows(wide)):
        day = (start + offset(space_id, start)) // sql.DAY
        if not low <= day <= high:
            continue
        use = found.day(space_id, day)
        use.bookings += 1
        if kept_until is not None and kept_until > start:
            use.booked_seconds += kept_until - start
        use.members |= bit(user_id)
        use.cancellations += cancelled
        if cancelled and cancelled_at is not None:
            use.lead_seconds += start - cancelled_at
            use.leads += 1
        use.no_shows += no_show


def _visits(found, clock, scope, wide, wide_days, own_days, own_seconds, presence, records):
    """Adds every visit of the range to `found`; returns {(space, member): (first check-in
    second, its local day)} over what was read."""
    offset = clock.offset
    low, high = wide_days
    own_low, own_high = own_days
    since, until = own_seconds
    firsts = {}
    writer = _RecordWriter(scope, clock, records) if records else None
    towns = {space.id: space.town_id for space in scope.spaces}
    bit = found.bit
    for row in _stream(_visit_rows(wide, records is not None)):
        visit_id, space_id, user_id, came, left = row[:5]
        local = came + offset(space_id, came)
        day = local // sql.DAY
        first = firsts.get((space_id, user_id))
        if first is None or came < first[0]:
            firsts[(space_id, user_id)] = (came, day)
        if writer is not None:
            writer.advance(came)
        if not low <= day <= high:
            continue
        use = found.day(space_id, day)
        use.visits += 1
        member = bit(user_id)
        use.members |= member
        if left is not None:
            use.visit_seconds += left - came
            use.lengths[left - came] += 1
        if not (own_low <= day <= own_high and since <= came < until):
            continue
        if presence and left is not None:
            _present(found.presence, clock, space_id, member, came, left)
        if records is not None:
            _profiled(found, records, towns[space_id], user_id, local)
            if left is not None and user_id in records.answers:
                writer.add(visit_id, space_id, user_id, local, left - came, row[5])
    if writer is not None:
        found.spool = writer.close()
    return firsts


def _present(cells, clock, space_id, member, came, left):
    """The visit split into the UTC clock hours it covers, each piece counted at the local
    weekday and hour that clock hour begins in. `cells`: {space id: (seconds, members)},
    each a list of the 168 hours of the week, Monday 00:00 first; `member` its bit."""
    starts, offsets = clock.zones[space_id]
    seconds, members = cells.get(space_id) or cells.setdefault(
        space_id, ([0] * WEEK_HOURS, [0] * WEEK_HOURS))
    first_hour = came // sql.HOUR * sql.HOUR
    index = bisect_right(starts, first_hour)
    change = starts[index] if index < len(starts) else None
    hour_start = first_hour
    for _ in range(HOURS_A_VISIT_MAY_COVER):
        if hour_start >= left:
            break
        while change is not None and hour_start >= change:
            index += 1
            change = starts[index] if index < len(starts) else None
        hour_end = hour_start + sql.HOUR
        # Day 0 (1970-01-01) was a Thursday: hour 72 of the week.
        cell = ((hour_start + offsets[index]) // sql.HOUR + 72) % WEEK_HOURS
        seconds[cell] += (left if left < hour_end else hour_end) - (
            came if came > hour_start else hour_start)
        members[cell] |= member
        hour_start = hour_end


def _profiled(found, records, town_id, user_id, local):
    answers = records.answers.get(user_id)
    if answers is None:
        return
    found.visitors.add((town_id, user_id))
    km = COMMUTE_BAND_MIDPOINTS_KM.get(answers.get("commute_km_band"))
    if km is None:
        return
    day = local // sql.DAY
    month = found.months.get(day)
    if month is None:
        month = found.months[day] = calendar.period_start(sql.day_of(day), "month")
    trips = found.commute.get((town_id, month))
    if trips is None:
        trips = found.commute[(town_id, month)] = [set(), 0, 0.0]
    trips[0].add(user_id)
    trips[1] += 1
    trips[2] += 2 * km


@dataclass
class Records:
    """What visit records and profile counts need to know of members: their pseudonym, and
    the answers of those who consent now ({member id: {question: answer}})."""

    pseudonym: object
    answers: dict


class _RecordWriter:
    """Visit records in the codebook's order (local date, space, start hour, length; then
    check-in order), spooled a day at a time: the visits come in order of check-in, so a
    local date is complete once the check-ins have passed its end in every zone."""

    def __init__(self, scope, clock, records):
        self.order = {space.id: n for n, space in enumerate(scope.spaces)}
        self.slugs = {space.id: space.slug for space in scope.spaces}
        self.least = clock.least
        self.records = records
        self.names = {}
        self.dates = {}
        self.waiting = {}
        self.earliest = None
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def add(self, visit_id, space_id, user_id, local, length, walked_in):
        day = local // sql.DAY
        if self.earliest is None or day < self.earliest:
            self.earliest = day
        name = self.names.get(user_id)
        if name is None:
            name = self.names[user_id] = self.records.pseudonym(user_id)
        self.waiting.setdefault(day, []).append((
            (self.order[space_id], (local % sql.DAY) // sql.HOUR, length, local, visit_id),
            (name, self.slugs[space_id], self._iso(day),
             (local % sql.DAY) // sql.HOUR, (length + QUARTER // 2) // QUARTER,
             "walk_in" if walked_in else "booked")))

    def _iso(self, day):
        found = self.dates.get(day)
        if found is None:
            found = self.dates[day] = sql.day_of(day).isoformat()
        return found

    def advance(self, came):
        """Write the days no later check-in can fall on."""
        if self.earliest is None or (came + self.least) // sql.DAY <= self.earliest:
            return
        done = (came + self.least) // sql.DAY
        for day in sorted(day for day in self.waiting if day < done):
            self._write(day)
        self.earliest = min(self.waiting, default=None)

    def _write(self, day):
        ordered = sorted(self.waiting.pop(day), key=lambda item: item[0])
        data = marshal.dumps([record for _key, record in ordered])
        self.spool.write(len(data).to_bytes(8, "big"))
        self.spool.write(data)

    def close(self):
        for day in sorted(self.waiting):
            self._write(day)
        return self.spool
