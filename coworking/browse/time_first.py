"""Time first: on a space's page the member names a day and a time range and sees how many
desks (or rooms, or booths) are free for all of it, before choosing any particular one."""
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _, ngettext

from coworking import clock
from coworking.bookings.availability import desks_held_by, free_desks
from coworking.bookings.rules import check_booking_window, describe_intervals
from coworking.bookings.service import ANY_KINDS
from coworking.content_language import marked
from coworking.errors import DomainError
from coworking.formatting import local_time, short_date
from coworking.spaces.hours import days_from, open_day
from coworking.spaces.models import ResourceKind
from coworking.spaces.service import active_resources, closures_between

# Today and the six days after it: a week of quick choices fits a phone's width in two rows.
QUICK_DAYS = 7


@dataclass
class DayChoice:
    day: date
    label: str
    closed: str | None  # why nothing can be booked on it; None when it can
    current: bool


@dataclass
class TimeFirst:
    """What the panel shows: the day choices, the kinds, the range selects on the slot grid,
    and the count of free resources for the range (None when there is no valid range)."""

    day: date
    kind: str
    kinds: list
    days: list
    starts: list = field(default_factory=list)   # [(HH:MM, instant)]
    ends: list = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    free: int | None = None
    total: int = 0
    closed: str | None = None
    problems: list = field(default_factory=list)
    summary: str = ""
    # The member's own desk bookings at that time, in words: why nothing is free for them.
    yours: list = field(default_factory=list)
    # A fresh key per panel shown: a double tap on its button books once.
    key: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    zone: object = None

    @property
    def query(self):
        """The page's query for this choice: what sign-in brings the member back to."""
        query = {"date": self.day.isoformat()}
        if self.kind != ResourceKind.HOT_DESK:
            query["kind"] = self.kind
        if self.start and self.end:
            query.update({"from": self.from_value, "until": self.until_value})
        return query

    @property
    def from_value(self):
        return _hm(self.start, self.zone) if self.start else ""

    @property
    def until_value(self):
        return _hm(self.end, self.zone) if self.end else ""


def _hm(instant, zone):
    return local_time(instant, zone)


def _closed_label(reason):
    return _("closed") if reason == "regular" else reason


def _slots(space, intervals, earliest):
    """Starts and ends on the slot grid that a booking made at `earliest` may use."""
    step = timedelta(minutes=space.slot_minutes)
    starts, ends = [], []
    for opens, closes in intervals:
        at = opens
        while at + step <= closes:
            if at >= earliest:
                starts.append(at)
                ends.append(at + step)
            at += step
    return starts, ends


def _choices(instants, zone):
    """[(HH:MM, instant)], the first of a wall-clock time kept should it occur twice."""
    seen, choices = set(), []
    for instant in instants:
        label = _hm(instant, zone)
        if label not in seen:
            seen.add(label)
            choices.append((label, instant))
    return choices


def _summary(kind, free, total, start, end):
    """"X of Y desks free from 09:00 to 17:00", in the words of the kind."""
    values = {"free": free, "start": start, "end": end}
    if kind == ResourceKind.MEETING_ROOM:
        return ngettext("%(free)s of %(num)s meeting room free from %(start)s to %(end)s",
                        "%(free)s of %(num)s meeting rooms free from %(start)s to %(end)s",
                        total, **values)
    if kind == ResourceKind.PHONE_BOOTH:
        return ngettext("%(free)s of %(num)s phone booth free from %(start)s to %(end)s",
                        "%(free)s of %(num)s phone booths free from %(start)s to %(end)s",
                        total, **values)
    return ngettext("%(free)s of %(num)s desk free from %(start)s to %(end)s",
                    "%(free)s of %(num)s desks free from %(start)s to %(end)s", total, **values)


def time_first(space, day, today, args, now=None, user=None):
    """The panel for `day` (already kept within today and the horizon by the page) from the
    query `args` (`date`, `kind`, `from`, `until` as HH:MM). A value that does not fit gives
    a message in `problems`, never an error. Four statements: closures, resources, and
    `free_desks`' two; one more for a signed-in `user` looking for a desk, whose own desk at
    that time rules out every other one (one person, one desk at a time)."""
    now = now or clock.utcnow()
    zone = space.zone
    problems = []
    raw_date = args.get("date", "")
    if raw_date and not _is_date(raw_date):
        problems.append(_("That is not a date we know. Shown instead: %(day)s", day=short_date(day)))

    last_quick = min(today + timedelta(days=QUICK_DAYS - 1),
                     today + timedelta(days=space.horizon_days))
    closures = closures_between(space, min(today, day), max(last_quick, day))
    earliest = now + timedelta(minutes=space.min_notice_minutes)

    def bookable(a_day):
        """(intervals, why not) of one day: closed, or nothing left to book today."""
        opened = open_day(space, a_day, closures)
        if not opened.is_open:
            return opened, _closed_label(opened.closed_reason)
        if not _slots(space, opened.intervals, earliest)[0]:
            return opened, _("over")
        return opened, None

    names = {today: _("Today"), today + timedelta(days=1): _("Tomorrow")}
    days = [DayChoice(d, names.get(d) or short_date(d), bookable(d)[1], d == day)
            for d in days_from(today, (last_quick - today).days + 1)]

    resources = active_resources(space)
    totals = {kind: sum(1 for r in resources if r.kind == kind) for kind in ANY_KINDS}
    kinds = [(kind, ResourceKind(kind).label) for kind in ANY_KINDS if totals[kind]]
    # Desks first; a space of rooms only starts with its rooms.
    default = kinds[0][0] if kinds else ResourceKind.HOT_DESK.value
    kind = args.get("kind") or default
    if kind not in dict(kinds):
        if kinds:
            problems.append(_("Please choose what to book from the list."))
        kind = default
    panel = TimeFirst(day=day, kind=kind, kinds=kinds, days=days, total=totals[kind],
                      problems=problems, zone=zone)
    if not kinds:
        panel.closed = _("Nothing here can be booked at the moment.")
        return panel
    opened, closed = bookable(day)
    if closed is not None:
        panel.closed = (_("Nothing more can be booked today.") if opened.is_open
                        else _("Closed on this day.") if opened.closed_reason == "regular"
                        else _("Closed: %(reason)s", reason=marked(closed)))
        return panel
    starts, ends = _slots(space, opened.intervals, earliest)
    panel.starts, panel.ends = _choices(starts, zone), _choices(ends, zone)
    # The rest of today from the next slot, or the whole opening stretch of another day.
    start = starts[0]
    end = next(closes for opens, closes in opened.intervals if opens <= start < closes)
    hours = describe_intervals(opened.intervals, space)
    valid = True
    for name, choices in (("from", panel.starts), ("until", panel.ends)):
        raw = args.get(name)
        if not raw:
            continue
        chosen = dict(choices).get(raw)
        if chosen is None:
            problems.append(_("Please choose times within the opening hours (%(hours)s).",
                              hours=hours))
            valid = False
            break
        if name == "from":
            start = chosen
            if not args.get("until"):
                end = next(c for o, c in opened.intervals if o <= start < c)
        else:
            end = chosen
    panel.start, panel.end = start, end
    if not valid:
        return panel
    try:
        check_booking_window(space, start, end, now, closures)
    except DomainError as error:
        problems.append(str(error.message))
        return panel
    held = (desks_held_by(user, start, end, now)
            if kind == ResourceKind.HOT_DESK and user is not None and user.is_authenticated
            else [])
    if held:
        panel.free = 0
        panel.yours = [_("%(desk)s in %(town)s, %(start)s–%(end)s", desk=b.resource.name,
                         town=b.resource.space.town.name, start=_hm(b.start_at, zone),
                         end=_hm(b.end_at, zone)) for b in held]
        panel.summary = _("You already have a desk at this time, so no other desk is "
                          "counted as free for you.")
        return panel
    panel.free = len(free_desks(space, start, end, now, kind=ResourceKind(kind)))
    panel.summary = _summary(kind, panel.free, panel.total, _hm(start, zone), _hm(end, zone))
    return panel


def _is_date(raw):
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return len(raw) == 10
