"""Series bookings: the same local time on chosen weekdays for some weeks, previewed date by
date and booked in one go, each date a booking of its own with its own cover."""
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Time, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload

from coworking import clock, events
from coworking.bookings import service
from coworking.bookings.availability import availability
from coworking.bookings.events import SeriesBooked
from coworking.bookings.limits import count_booking, counted_once
from coworking.bookings.models import ACTIVE_STATUSES, Booking, BookingSource
from coworking.bookings.rules import check_booking_window
from coworking.database import UTCDateTime, savepoint, use_case
from coworking.errors import DomainError, InvalidInput, NotFound, PaymentRequired
from coworking.extensions import db
from coworking.memberships import cover
from coworking.spaces.models import ResourceKind
from coworking.spaces.service import closures_between

MAX_WEEKS = 12
SOURCE = BookingSource.SERIES

# What a date of a series is in the preview, and after booking.
FREE, CLOSED, TAKEN, PAST, BEYOND, YOURS, REFUSED = (
    "free", "closed", "taken", "past", "beyond", "yours", "refused")
BOOKED, NOT_COVERED, LOST = "booked", "not_covered", "lost"


class SeriesItem(db.Model):
    """One booking of a series. A link table, not a column: the booking table keeps its
    overlap guards untouched."""

    __tablename__ = "booking_series_item"

    # A booking belongs to one series at most: its id is the key.
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("booking_series.id", ondelete="CASCADE"), index=True)

    booking = relationship(Booking)


class BookingSeries(db.Model):
    """What the member asked for: weekdays (0 = Monday), local times, first date, weeks."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    weekdays: Mapped[str] = mapped_column(String(7))  # "13": Tuesday and Thursday
    start_time = mapped_column(Time, nullable=False)
    end_time = mapped_column(Time, nullable=False)
    first_day = mapped_column(Date, nullable=False)
    weeks: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, nullable=False)
    cancelled_at = mapped_column(UTCDateTime, nullable=True)

    space = relationship("Space")
    items = relationship(SeriesItem, cascade="all, delete-orphan")

    @property
    def weekday_numbers(self):
        return [int(day) for day in self.weekdays]

    @property
    def bookings(self):
        return sorted((item.booking for item in self.items), key=lambda b: b.start_at)


@dataclass(frozen=True)
class SeriesDate:
    """One date of a series: its state, why (a closure's name, a rule's message), the
    resource that would be (or was) booked, and the booking once made."""

    day: object
    start: datetime
    end: datetime
    state: str
    reason: str | None = None
    resource: object = None
    booking: object = None
    cover: object = None  # a free date's cover.Planned: what would pay for it


def series_dates(first_day, weeks, weekdays):
    """Every date from `first_day` for `weeks` weeks that falls on one of `weekdays`."""
    return [first_day + timedelta(days=offset) for offset in range(weeks * 7)
            if (first_day + timedelta(days=offset)).weekday() in weekdays]


def check_series(space, kind, weekdays, start_time, end_time, first_day, weeks, now):
    """The shape of a series; each date's own rules are the preview's, date by date."""
    if kind not in service.ANY_KINDS:
        raise InvalidInput(_l("Choose one of: %(kinds)s.", kinds=", ".join(service.ANY_KINDS)),
                           field="kind")
    if not weekdays or not set(weekdays) <= set(range(7)):
        raise InvalidInput(_l("Choose at least one weekday."), field="weekdays")
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(_l("A series runs for 1 to %(max)s weeks.", max=MAX_WEEKS),
                           field="weeks")
    if end_time <= start_time:
        raise InvalidInput(_l("The end must be after the start."), field="end_time")
    if first_day < now.astimezone(space.zone).date():
        raise InvalidInput(_l("The first date lies in the past."), field="first_day")


def _at(day, wall, zone):
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def _fits(free, start, end):
    return any(a <= start and end <= b for a, b in free)


def _own_bookings(user, start, end, now):
    """The member's bookings over the whole range that hold what they hold at `now`."""
    return [b for b in db.session.scalars(
        select(Booking).where(Booking.user_id == user.id, *Booking.overlapping(start, end)))
        if b.holds_at(now)]


def _clashes(booking, kind, space, start, end):
    """Whether the member's `booking` stands in the way of this date: one person, one desk
    at a time; a room or booth of the same kind in this space is theirs already."""
    if not (booking.start_at < end and start < booking.end_at):
        return False
    if kind == ResourceKind.HOT_DESK:
        return booking.holds_desk
    return booking.resource.kind == kind and booking.resource.space_id == space.id


def preview_series(user, space, kind, weekdays, start_time, end_time, first_day, weeks,
                   now=None, with_cover=True):
    """[SeriesDate]: each date free (with the resource `book_any` would take: the one the
    member had last, so the same desk date after date while it is free, and with what would
    pay for it: `cover`), closed, taken, past, beyond the horizon, already the member's, or
    refused by another rule (its message).

    A fixed number of statements whatever the number of dates: availability over the range
    (three), the closures, the member's bookings and their last resource; with the cover, the
    member's memberships and what they have used (three)."""
    now = now or clock.utcnow()
    check_series(space, kind, weekdays, start_time, end_time, first_day, weeks, now)
    zone = space.zone
    dates = series_dates(first_day, weeks, weekdays)
    days = {day.day: day for day in availability(space, dates[0],
                                                 (dates[-1] - dates[0]).days + 1, now)}
    closures = closures_between(space, dates[0], dates[-1])
    own = _own_bookings(user, _at(dates[0], start_time, zone), _at(dates[-1], end_time, zone),
                        now)
    earliest = now + timedelta(minutes=space.min_notice_minutes)
    last_day = now.astimezone(zone).date() + timedelta(days=space.horizon_days)
    last = service.last_resource_id(user, space, kind, _at(dates[0], start_time, zone))
    preview = []
    for day in dates:
        start, end = _at(day, start_time, zone), _at(day, end_time, zone)
        found = _state(space, kind, days[day], start, end, now, earliest, last_day, closures,
                       [b for b in own if _clashes(b, kind, space, start, end)])
        if found.state == FREE:
            chosen = next((r for r in found.resource if r.id == last), found.resource[0])
            found, last = replace(found, resource=chosen), chosen.id
        preview.append(found)
    return _with_cover(user, space, preview) if with_cover else preview


def _with_cover(user, space, preview):
    """The free dates with what would pay for each, decided as booking them one after the
    other would (`cover.forecast`: earlier dates use up credits and quota days)."""
    free = [d for d in preview if d.state == FREE]
    planned = iter(cover.forecast(user.id, space.id, [
        (service.cover_kind(d.resource), d.resource.id, d.day,
         int((d.end - d.start).total_seconds() // 60), d.start) for d in free]))
    return [replace(d, cover=next(planned)) if d.state == FREE else d for d in preview]


@dataclass(frozen=True)
class CoverSummary:
    """How a preview's free dates would be paid: [(membership, dates)] in the order they
    first pay, the dates nothing covers, and the day pass a single booking of one of those
    could be paid with (None when none is on sale, or not for this kind)."""

    covered: list
    uncovered: list
    day_pass: object = None

    @property
    def total(self):
        return sum(len(dates) for _m, dates in self.covered) + len(self.uncovered)


def cover_summary(space, preview):
    """The summary line of a preview's cover (`CoverSummary`)."""
    covered, uncovered = {}, []
    for date in preview:
        if date.state != FREE or date.cover is None:
            continue
        if date.cover.membership is None:
            uncovered.append(date)
        else:
            covered.setdefault(date.cover.membership, []).append(date)
    day_pass = (cover.day_pass_plan(space.id)
                if uncovered and uncovered[0].cover.kind == cover.DESK else None)
    return CoverSummary(list(covered.items()), uncovered, day_pass)


def _state(space, kind, day, start, end, now, earliest, last_day, closures, clashing):
    """One date's SeriesDate; a free one carries all its free resources, in page order."""
    if day.closed_reason:
        return SeriesDate(day.day, start, end, CLOSED, day.closed_reason)
    if start < earliest:
        return SeriesDate(day.day, start, end, PAST)
    if day.day > last_day:
        return SeriesDate(day.day, start, end, BEYOND)
    try:
        check_booking_window(space, start, end, now, closures)
    except DomainError as error:
        return SeriesDate(day.day, start, end, REFUSED, str(error.message))
    if clashing:
        return SeriesDate(day.day, start, end, YOURS, booking=clashing[0])
    free = [rd.resource for rd in day.resources
            if rd.resource.kind == kind and _fits(rd.free, start, end)]
    if not free:
        return SeriesDate(day.day, start, end, TAKEN)
    return SeriesDate(day.day, start, end, FREE, resource=free)


@dataclass
class SeriesResult:
    series: object       # None when no date was booked (nothing is kept then)
    dates: list          # SeriesDate per date: booked, or why not

    @property
    def booked(self):
        return [d for d in self.dates if d.state == BOOKED]

    @property
    def skipped(self):
        return [d for d in self.dates if d.state != BOOKED]


@use_case(race_message=service.TAKEN_MESSAGE)
def book_series(user, space, kind, weekdays, start_time, end_time, first_day, weeks):
    """Book every free date of the series in one unit, each like a single booking (rules,
    limits, cover: a credit or a quota day each), the member's last desk first.

    A date lost since the preview, refused by a limit or not covered any more (a pass that
    runs out after eight of ten dates) is reported, and the others are booked. Only when no
    date is covered at all is it PaymentRequired with the offers, like a single booking. The
    series counts once against the member's booking rate, not once per date."""
    count_booking(user)
    now = clock.utcnow()
    preview = preview_series(user, space, kind, weekdays, start_time, end_time, first_day,
                             weeks, now, with_cover=False)
    series = BookingSeries(user_id=user.id, space_id=space.id, kind=str(kind),
                           weekdays="".join(str(d) for d in sorted(set(weekdays))),
                           start_time=start_time, end_time=end_time, first_day=first_day,
                           weeks=weeks, created_at=now)
    dates, uncovered = [], None
    with counted_once():
        for date in preview:
            if date.state != FREE:
                dates.append(date)
                continue
            try:
                booking = _book_date(user, space, kind, date.start, date.end)
            except PaymentRequired as error:
                uncovered = error
                dates.append(replace(date, state=NOT_COVERED, resource=None))
            except DomainError as error:
                dates.append(replace(date, state=LOST, reason=str(error.message),
                                     resource=None))
            else:
                series.items.append(SeriesItem(booking=booking))
                dates.append(replace(date, state=BOOKED, resource=booking.resource,
                                     booking=booking))
    if not series.items:
        if uncovered is not None:
            raise PaymentRequired(
                _l("No membership or pass of yours covers these dates. Buy one of the offers "
                   "and book the series again."), offers=uncovered.offers)
        return SeriesResult(None, dates)
    db.session.add(series)
    db.session.flush()
    events.record(SeriesBooked(series, series.bookings))
    return SeriesResult(series, dates)


@use_case(race_message=service.TAKEN_MESSAGE)
def _book_date(user, space, kind, start, end):
    """One date inside the series' unit: whatever fails rolls back to here only."""
    with savepoint():
        return service.book_any(user, space, kind, start, end, source=SOURCE)


def own_series(user, series_id, for_update=False):
    """The member's series; NotFound for anyone else's, so ids leak nothing."""
    query = (select(BookingSeries).where(BookingSeries.id == series_id,
                                         BookingSeries.user_id == user.id)
             .options(selectinload(BookingSeries.items).joinedload(SeriesItem.booking)))
    if for_update:
        query = query.with_for_update(of=BookingSeries)
    series = db.session.scalar(query) if 0 < series_id < 2**31 else None
    if series is None:
        raise NotFound(_l("There is no series %(id)s for you.", id=series_id))
    return series


@use_case
def cancel_series(user, series_id):
    """Cancel every booking of the series that has not started yet, each as a single
    cancellation would (its credit back before the deadline, its own e-mail with the calendar
    update). Returns (cancelled, kept): kept are those past their cancellation deadline, with
    why. Dates that have begun stay; cancelling twice changes nothing."""
    series = own_series(user, series_id, for_update=True)
    now = clock.utcnow()
    cancelled, kept = [], []
    for booking in series.bookings:
        if booking.status not in ACTIVE_STATUSES or booking.start_at <= now:
            continue
        refusal = booking.cancel_refusal(user, now)
        if refusal is not None:
            kept.append((booking, refusal))
            continue
        cancelled.append(service.cancel(user, booking.id))
    series.cancelled_at = series.cancelled_at or now
    return cancelled, kept


def series_of_bookings(booking_ids):
    """{booking id: its series} for the given bookings, in one statement."""
    if not booking_ids:
        return {}
    rows = db.session.execute(
        select(SeriesItem.booking_id, BookingSeries)
        .join(BookingSeries, BookingSeries.id == SeriesItem.series_id)
        .where(SeriesItem.booking_id.in_(booking_ids))
        .options(joinedload(BookingSeries.space))).all()
    return {booking_id: series for booking_id, series in rows}


def group_by_series(bookings):
    """([(series, its bookings)], the other bookings): how "my bookings" lists a series."""
    by_booking = series_of_bookings([b.id for b in bookings])
    groups = {}
    for booking in bookings:
        if booking.id in by_booking:
            groups.setdefault(by_booking[booking.id], []).append(booking)
    return list(groups.items()), [b for b in bookings if b.id not in by_booking]
