"""The rows the research figures rest on, added up in the database: each visit and each desk
booking of the range is read once, its local day (and, for presence, the local hours it
covers) computed in the query, and what leaves the database is one row per space and local
day (per space and hour of the week for presence), never one per visit. Only the visit
records of consenting members come as rows, already in the codebook's order.

Instants are whole epoch seconds (sql.epoch, the same truncation the definitions use) and
local time is the instant shifted by the offset table of sql.offsets, compiled into the
query as a CASE: a local day here is the local day the codebook means, on both engines.
Sets of members arrive as lists of ids per group and are kept as one bit per member in an
integer (Members), so what the tally keeps grows with spaces, days and members, not with
visits; visit records go to a spooled file that spills to disk.
"""
import marshal
import tempfile
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_ as or_bits

from sqlalchemy import and_, bindparam, case, func, literal, or_, select

from coworking.accounts.research_profile import COMMUTE_BAND_MIDPOINTS_KM
from coworking.bookings.models import Booking, BookingStatus
from coworking.checkins.models import Visit
from coworking.checkins.walk_ins import SOURCE as WALK_IN_SOURCE
from coworking.extensions import db
from coworking.research import calendar, sql
from coworking.spaces.models import DESK_KINDS, Resource
from coworking.spreadsheets import text_cell

COUNTED = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
# Visits are split into the clock hours they cover; none lasts longer than a day.
HOURS_A_VISIT_MAY_COVER = 25
WEEK_HOURS = 7 * 24
BATCH = 5000
# Visit records beyond this many bytes wait on disk, not in memory.
SPOOL_BYTES = 1 << 20
QUARTER = 15 * 60


class LocalTime:
    """The offset tables of Scope.zones() by space: for each, the seconds each change takes
    effect and the offsets (one more than changes), for a bisection, no zone database."""

    def __init__(self, zones):
        self.zones = {}
        for space_ids, changes in zones:
            entry = ([start for start, _ in changes[1:]], [offset for _, offset in changes])
            for space_id in space_ids:
                self.zones[space_id] = entry


class Members(dict):
    """Member id (as the text of an id list) -> the member's bit: sets of members are
    integers, united by `|` and counted by bit_count(), in memory that grows with members,
    not with their visits."""

    def __missing__(self, member):
        found = self[member] = 1 << len(self)
        return found

    def of(self, id_list):
        """The set of the members of an id list (sql.id_list), as an integer."""
        return reduce(or_bits, map(self.__getitem__, id_list.split(",")), 0)


@dataclass
class DayUse:
    """What one space saw on one local day. `members`: a bit per member who visited or
    booked (Members)."""

    visits: int = 0
    visit_seconds: int = 0
    lengths: Counter = field(default_factory=Counter)
    bookings: int = 0
    booked_seconds: int = 0
    cancellations: int = 0
    lead_seconds: int = 0
    leads: int = 0
    no_shows: int = 0
    members: int = 0
    new_members: int = 0


@dataclass
class Tally:
    """The pass's result. `days`: {(space id, day number): DayUse} over the disclosure range
    (calendar.disclosure_range); the rest over the scope's own range. `presence`: {(space
    id, hour of the week, Monday 00:00 = 0): (present seconds, distinct members)}."""

    wide: object
    days: dict = field(default_factory=dict)
    presence: dict = field(default_factory=dict)
    visitors: set = field(default_factory=set)
    commute: dict = field(default_factory=dict)
    records: object = None
    towns: dict = None
    spool: object = None

    def day(self, space_id, day):
        found = self.days.get((space_id, day))
        if found is None:
            found = self.days[(space_id, day)] = DayUse()
        return found

    def visit_batches(self):
        """The spooled visit records, lists of tuples in the order they were written."""
        if self.spool is None:
            return
        self.spool.seek(0)
        try:
            while True:
                size = self.spool.read(8)
                if not size:
                    return
                yield marshal.loads(self.spool.read(int.from_bytes(size, "big")))
        finally:
            self.spool.close()
            self.spool = None


def wide_scope(scope):
    """The scope widened to the days whose figures decide what it may publish."""
    first, last = calendar.disclosure_range(scope.first, scope.last)
    return replace(scope, first=first, last=last)


def _local_day(seconds, space_id, zones):
    return sql.local_seconds(seconds, space_id, zones) // sql.DAY


def _booking_days(wide, zones):
    """Per space and local day of the start, the desk bookings starting within the range,
    payment holds that never became bookings left out: how many, the seconds kept (until
    the check-out if the member left early; none for what does not count as booked),
    cancellations, their summed and counted leads, no-shows and the members. Instants are
    compared as stored (a check-out a fraction of a second early counts), then read as whole
    seconds."""
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
    rows = (select(Resource.space_id, Booking.user_id, start.label("start"),
                   kept_until.label("kept_until"),
                   case((cancelled, 1), else_=0).label("cancelled"),
                   case((cancelled, sql.epoch(Booking.cancelled_at)),
                        else_=None).label("cancelled_at"),
                   case((Booking.status == BookingStatus.NO_SHOW, 1), else_=0).label("no_show"))
            .join(Resource, Resource.id == Booking.resource_id)
            .where(Resource.space_id.in_(wide.space_ids), Resource.kind.in_(DESK_KINDS),
                   Booking.start_at >= wide.start, Booking.start_at < wide.end, ~never_booked)
            .offset(0).subquery())
    each = (select(rows.c.space_id, rows.c.user_id,
                   _local_day(rows.c.start, rows.c.space_id, zones).label("day"),
                   case((rows.c.kept_until > rows.c.start, rows.c.kept_until - rows.c.start),
                        else_=0).label("kept"),
                   rows.c.cancelled, (rows.c.start - rows.c.cancelled_at).label("lead"),
                   rows.c.no_show)
            .subquery())
    return (select(each.c.space_id, each.c.day, func.count(), sql.total(each.c.kept),
                   sql.total(each.c.cancelled), sql.total(each.c.lead), func.count(each.c.lead),
                   sql.total(each.c.no_show), sql.id_list(each.c.user_id))
            .group_by(each.c.space_id, each.c.day))


def _in_range(scope):
    return and_(Visit.space_id.in_(scope.space_ids), Visit.checked_in_at >= scope.start,
                Visit.checked_in_at < scope.end)


def _visit_days(wide, zones):
    """Per space and local day of the check-in, the visits checked in within the range: how
    many, their summed length, the members, and the length of each ended visit."""
    instants = (select(Visit.space_id, Visit.user_id,
                       sql.epoch(Visit.checked_in_at).label("came"),
                       sql.epoch(Visit.checked_out_at).label("left"))
                .where(_in_range(wide)).offset(0).subquery())
    each = (select(instants.c.space_id, instants.c.user_id,
                   _local_day(instants.c.came, instants.c.space_id, zones).label("day"),
                   (instants.c.left - instants.c.came).label("length"))
            .subquery())
    return (select(each.c.space_id, each.c.day, func.count(), sql.total(each.c.length),
                   sql.id_list(each.c.user_id), sql.id_list(each.c.length))
            .group_by(each.c.space_id, each.c.day))


def _first_visits(wide, zones):
    """Per space and local day, the members whose first visit ever to the space was checked
    in that day, over the range (nobody who came before it is new in it)."""
    firsts = (select(Visit.space_id, func.min(Visit.checked_in_at).label("came"))
              .where(Visit.space_id.in_(wide.space_ids), Visit.checked_in_at < wide.end)
              .group_by(Visit.space_id, Visit.user_id)
              .having(func.min(Visit.checked_in_at) >= wide.start)
              .subquery())
    each = (select(firsts.c.space_id,
                   _local_day(sql.epoch(firsts.c.came), firsts.c.space_id, zones).label("day"))
            .subquery())
    return (select(each.c.space_id, each.c.day, func.count())
            .group_by(each.c.space_id, each.c.day))


def _ended_visits(scope, zones, own_days):
    """The ended visits of the range as runs of clock hours, grouped alike: per space, hour
    of the week the first clock hour begins in and number of clock hours covered, how many
    visits, the seconds of their first and of their last clock hour, and their members.

    A visit no change of offset falls in covers consecutive hours of the week; one that a
    change falls in keeps its check-in and check-out second (`came`, `left`, None
    otherwise) and is split hour by hour (see _split)."""
    ended = (select(Visit.space_id, Visit.user_id,
                    sql.epoch(Visit.checked_in_at).label("came"),
                    sql.epoch(Visit.checked_out_at).label("left"))
             .where(_in_range(scope), Visit.checked_out_at.is_not(None))
             .offset(0).subquery())
    first_hour = ended.c.came - ended.c.came % sql.HOUR
    spans = (ended.c.left - first_hour + sql.HOUR - 1) // sql.HOUR
    runs = (select(ended.c.space_id, ended.c.user_id, ended.c.came, ended.c.left,
                   first_hour.label("first_hour"),
                   case((spans > HOURS_A_VISIT_MAY_COVER, HOURS_A_VISIT_MAY_COVER),
                        else_=spans).label("hours"))
            .where(_local_day(ended.c.came, ended.c.space_id, zones).between(*own_days),
                   ended.c.left > first_hour)
            .offset(0).subquery())
    last_hour = runs.c.first_hour + (runs.c.hours - 1) * sql.HOUR
    local_first = sql.local_seconds(runs.c.first_hour, runs.c.space_id, zones)
    local_last = sql.local_seconds(last_hour, runs.c.space_id, zones)
    shifted = local_last - last_hour != local_first - runs.c.first_hour
    keyed = (select(runs.c.space_id, runs.c.user_id, runs.c.hours,
                    # Day 0 (1970-01-01) was a Thursday: hour 72 of the week.
                    ((local_first // sql.HOUR + 72) % WEEK_HOURS).label("cell"),
                    case((shifted, runs.c.came), else_=None).label("came"),
                    case((shifted, runs.c.left), else_=None).label("left"),
                    (case((runs.c.left < runs.c.first_hour + sql.HOUR, runs.c.left),
                          else_=runs.c.first_hour + sql.HOUR) - runs.c.came).label("first"),
                    (case((runs.c.left < last_hour + sql.HOUR, runs.c.left),
                          else_=last_hour + sql.HOUR) - last_hour).label("last"))
             .subquery())
    key = (keyed.c.space_id, keyed.c.cell, keyed.c.hours, keyed.c.came, keyed.c.left)
    return (select(*key, func.count(), sql.total(keyed.c.first), sql.total(keyed.c.last),
                   sql.id_list(keyed.c.user_id))
            .group_by(*key))


def _presence(scope, zones, own_days, bits):
    """{(space id, hour of the week, Monday 00:00 = 0): (seconds, members)}: each ended
    visit split into the UTC clock hours it covers, each piece counted at the local weekday
    and hour that clock hour begins in."""
    clock = LocalTime(zones)
    cells = {}
    for space_id, cell, hours, came, left, visits, first, last, users in _rows(
            _ended_visits(scope, zones, own_days)):
        seconds, members = cells.get(space_id) or cells.setdefault(
            space_id, ([0] * WEEK_HOURS, [0] * WEEK_HOURS))
        users = bits.of(users)
        if came is not None:
            starts, offsets = clock.zones[space_id]
            for at, piece in _split(starts, offsets, came, left):
                seconds[at] += piece * visits
                members[at] |= users
            continue
        if hours == 1:
            seconds[cell] += first
        else:
            seconds[cell] += first
            for at in range(cell + 1, cell + hours - 1):
                seconds[at % WEEK_HOURS] += sql.HOUR * visits
            seconds[(cell + hours - 1) % WEEK_HOURS] += last
        for at in range(cell, cell + hours):
            members[at % WEEK_HOURS] |= users
    return {(space_id, cell): (seconds[cell], members[cell].bit_count())
            for space_id, (seconds, members) in cells.items()
            for cell in range(WEEK_HOURS) if members[cell]}


def _split(starts, offsets, came, left):
    """(hour of the week, seconds) of each clock hour a visit across a change of offset
    covers."""
    hour_start = came - came % sql.HOUR
    index = bisect_right(starts, hour_start)
    for _ in range(HOURS_A_VISIT_MAY_COVER):
        if hour_start >= left:
            break
        while index < len(starts) and hour_start >= starts[index]:
            index += 1
        hour_end = hour_start + sql.HOUR
        # Day 0 (1970-01-01) was a Thursday: hour 72 of the week.
        yield (((hour_start + offsets[index]) // sql.HOUR + 72) % WEEK_HOURS,
               (left if left < hour_end else hour_end) - (came if came > hour_start
                                                          else hour_start))
        hour_start = hour_end


def _consenting_visits(scope, zones, own_days, members):
    """The visits of the range of `members` (those who consent), in the codebook's order of
    visit records (local date, space, start hour, length, then check-in): space, member,
    local day, local hour, length (None while present), whether they walked in."""
    came = sql.epoch(Visit.checked_in_at)
    walked_in = or_(Visit.booking_id.is_(None), Booking.source == WALK_IN_SOURCE)
    each = (select(Visit.id, Visit.space_id, Visit.user_id,
                   sql.local_seconds(came, Visit.space_id, zones).label("local"),
                   (sql.epoch(Visit.checked_out_at) - came).label("length"),
                   case((walked_in, literal(1)), else_=literal(0)).label("walked_in"))
            .outerjoin(Booking, Booking.id == Visit.booking_id)
            # The ids as literals: as many members as consent, no limit on parameters.
            .where(_in_range(scope),
                   Visit.user_id.in_(bindparam("members", members, expanding=True,
                                               literal_execute=True)))
            .offset(0).subquery())
    day = each.c.local // sql.DAY
    hour = each.c.local % sql.DAY // sql.HOUR
    order = case({space.id: n for n, space in enumerate(scope.spaces)},
                 value=each.c.space_id)
    return (select(each.c.space_id, each.c.user_id, day, hour, each.c.length,
                   each.c.walked_in)
            .where(day.between(*own_days))
            .order_by(day, order, hour, each.c.length, each.c.local, each.c.id))


def _stream(query):
    """Rows as plain tuples in batches, through the session's connection (no ORM)."""
    result = db.session.connection().execute(
        query.execution_options(yield_per=BATCH, stream_results=True))
    return result.tuples()


def _rows(query):
    return db.session.connection().execute(query).tuples()


def read(scope, presence=False, records=None):
    """The Tally of `scope`: the usage metrics over its disclosure range always; with
    `presence` the weekday x hour presence; with `records` (a function of a member id giving
    their pseudonym, and a {member id: profile answers} of those who consent) also the
    visit records, profile answers and commute, all over the scope's own range."""
    wide = wide_scope(scope)
    found = Tally(wide, records=records)
    if not scope.spaces:
        return found
    zones = wide.zones()
    low, high = sql.day_number(wide.first), sql.day_number(wide.last)
    own_days = (sql.day_number(scope.first), sql.day_number(scope.last))
    bits = Members()
    for space_id, day, visits, seconds, members, lengths in _rows(_visit_days(wide, zones)):
        if not low <= day <= high:
            continue
        use = found.day(space_id, day)
        use.visits = visits
        use.visit_seconds = seconds or 0
        use.members |= bits.of(members)
        if lengths:
            use.lengths.update(map(int, lengths.split(",")))
    for space_id, day, *figures, members in _rows(_booking_days(wide, zones)):
        if not low <= day <= high:
            continue
        use = found.day(space_id, day)
        (use.bookings, use.booked_seconds, use.cancellations, use.lead_seconds, use.leads,
         use.no_shows) = (value or 0 for value in figures)
        use.members |= bits.of(members)
    for space_id, day, members in _rows(_first_visits(wide, zones)):
        if low <= day <= high:
            found.day(space_id, day).new_members = members
    if presence:
        found.presence = _presence(scope, zones, own_days, bits)
    if records is not None:
        _records(found, scope, zones, own_days, records)
    return found


def _records(found, scope, zones, own_days, records):
    """The visit records of consenting members into a spooled file, in the order the query
    gives; who of them visited each town, and the commute they avoided per town and month."""
    answers = records.answers
    if not answers:
        return
    towns = {space.id: space.town_id for space in scope.spaces}
    # As the data package's cells (package._cell): none of them is None or a boolean.
    slugs = {space.id: text_cell(space.slug) for space in scope.spaces}
    names = {}
    dates = {}
    months = {}
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    batch = []
    for space_id, user_id, day, hour, length, walked_in in _stream(
            _consenting_visits(scope, zones, own_days, sorted(answers))):
        given = answers[user_id]
        town_id = towns[space_id]
        found.visitors.add((town_id, user_id))
        km = COMMUTE_BAND_MIDPOINTS_KM.get(given.get("commute_km_band"))
        if km is not None:
            month = months.get(day)
            if month is None:
                month = months[day] = calendar.period_start(sql.day_of(day), "month")
            trips = found.commute.get((town_id, month))
            if trips is None:
                trips = found.commute[(town_id, month)] = [set(), 0, 0.0]
            trips[0].add(user_id)
            trips[1] += 1
            trips[2] += 2 * km
        if length is None:
            continue
        name = names.get(user_id)
        if name is None:
            name = names[user_id] = text_cell(records.pseudonym(user_id))
        date = dates.get(day)
        if date is None:
            date = dates[day] = sql.day_of(day).isoformat()
        batch.append((name, slugs[space_id], date, hour, (length + QUARTER // 2) // QUARTER,
                      "walk_in" if walked_in else "booked"))
        if len(batch) == BATCH:
            _spool(spool, batch)
            batch = []
    if batch:
        _spool(spool, batch)
    found.spool = spool


def _spool(spool, batch):
    data = marshal.dumps(batch)
    spool.write(len(data).to_bytes(8, "big"))
    spool.write(data)


@dataclass
class Records:
    """What visit records and profile counts need to know of members: their pseudonym, and
    the answers of those who consent now ({member id: {question: answer}})."""

    pseudonym: object
    answers: dict
