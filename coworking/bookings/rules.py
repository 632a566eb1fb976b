"""The booking rules of a space, each with its own message. Pure functions: no queries."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from coworking.clock import floor_to, wall_clock_problem
from coworking.content_language import marked
from coworking.errors import RuleViolation
from coworking.formatting import local_time, medium_date, wall_time
from coworking.spaces.hours import open_day
from coworking.spaces.models import MAX_BOOKING_MINUTES, ResourceKind


def _local(instant, space):
    return instant.astimezone(space.zone)


def check_wall_clock(value, space, field):
    """The time as written and as it falls in the space's zone must each exist exactly once.

    A local time in the spring-forward gap does not exist and one in the fall-back hour is
    ambiguous; both are refused with a message rather than guessed.
    """
    for naive in (value.replace(tzinfo=None), _local(value, space).replace(tzinfo=None)):
        problem = wall_clock_problem(naive, space.zone)
        if problem == "nonexistent":
            raise RuleViolation(
                _l("%(time)s does not exist on %(date)s in %(zone)s (clocks skip that hour).",
                   time=wall_time(naive), date=medium_date(naive.date()), zone=space.timezone),
                field=field)
        if problem == "ambiguous":
            raise RuleViolation(
                _l("%(time)s occurs twice on %(date)s in %(zone)s (clocks go back); "
                   "please choose another time.",
                   time=wall_time(naive), date=medium_date(naive.date()), zone=space.timezone),
                field=field)


def check_booking_window(space, start, end, now, closures, schedule=None):
    """Every rule about *when* a booking may lie. Raises RuleViolation naming the field.
    `schedule`: the space's hours when the caller has them (else its loaded `opening_hours`)."""
    if space.draft:
        raise RuleViolation(_l("%(space)s is not open for bookings yet.", space=space.name),
                            field="start")
    check_wall_clock(start, space, "start")
    check_wall_clock(end, space, "end")
    if end <= start:
        raise RuleViolation(_l("The end must be after the start."), field="end")
    if start < now:
        raise RuleViolation(_l("The start lies in the past."), field="start")
    notice = timedelta(minutes=space.min_notice_minutes)
    if start < now + notice:
        raise RuleViolation(
            _l("Bookings need %(minutes)s minutes' notice.", minutes=space.min_notice_minutes),
            field="start")
    local_start = _local(start, space)
    last_day = _local(now, space).date() + timedelta(days=space.horizon_days)
    if local_start.date() > last_day:
        raise RuleViolation(
            _l("Bookings open %(days)s days ahead, up to %(date)s.",
               days=space.horizon_days, date=medium_date(last_day)),
            field="start")
    check_length(space, start, end)
    day = open_day(space, local_start.date(), closures, schedule)
    if day.closed_reason and day.closed_reason != "regular":
        raise RuleViolation(
            _l("%(space)s is closed on %(date)s (%(reason)s).", space=space.name,
               date=medium_date(local_start.date()), reason=marked(day.closed_reason)),
            field="start")
    interval = next((iv for iv in day.intervals if iv[0] <= start < iv[1]), None)
    if interval is None:
        raise RuleViolation(_l("%(space)s is not open at %(time)s on that day. Opening hours: %(hours)s.",
                               space=space.name, time=local_time(start, space.zone),
                               hours=describe_intervals(day.intervals, space)),
                            field="start")
    opens, closes = interval
    if end > closes:
        raise RuleViolation(_l("%(space)s closes at %(time)s on that day.", space=space.name,
                               time=local_time(closes, space.zone)),
                            field="end")
    step = timedelta(minutes=space.slot_minutes)
    for name, value in (("start", start), ("end", end)):
        if (value - opens) % step:
            raise RuleViolation(
                _l("Times must fall on the %(minutes)s-minute slot grid starting at %(opens)s.",
                   minutes=space.slot_minutes, opens=local_time(opens, space.zone)),
                field=name)


def start_refusal(space, start, now, closures):
    """Why a link's start cannot be booked at all (past, closed, beyond the horizon), as the
    message a member reads; None when the rules allow it and only the desk being taken stops
    it. Checked for one slot from `start`."""
    try:
        check_booking_window(space, start, start + timedelta(minutes=space.slot_minutes), now,
                             closures)
    except RuleViolation as error:
        return error.message
    return None


def describe_intervals(intervals, space):
    if not intervals:
        return str(_l("closed"))
    return ", ".join(
        f"{local_time(a, space.zone)}–{local_time(b, space.zone)}" for a, b in intervals
    )


def check_resource_bookable(resource, holds_it=False, day=None):
    """Inactive resources nobody books, nor one out of service on local date `day`; a fixed
    desk only its holder."""
    if not resource.active or (day is not None and not resource.in_service_on(day)):
        raise RuleViolation(_l("%(name)s cannot be booked at the moment.", name=resource.name),
                            field="resource_id")
    if resource.kind == ResourceKind.FIXED_DESK and not holds_it:
        raise RuleViolation(_l("%(name)s is a fixed desk assigned to a member; please choose "
                               "a hot desk.", name=resource.name), field="resource_id")


def walk_in_slot(space, now, closures, schedule=None):
    """(start, closes) of a walk-in arriving at `now`: the beginning of the slot under way,
    and the end of the opening interval it lies in. RuleViolation when the space is closed."""
    local_day = _local(now, space).date()
    day = open_day(space, local_day, closures, schedule)
    if day.closed_reason and day.closed_reason != "regular":
        raise RuleViolation(_l("%(space)s is closed today (%(reason)s).", space=space.name,
                               reason=marked(day.closed_reason)))
    interval = next((iv for iv in day.intervals if iv[0] <= now < iv[1]), None)
    if interval is None:
        raise RuleViolation(_l("%(space)s is not open now. Opening hours today: %(hours)s.",
                               space=space.name,
                               hours=describe_intervals(day.intervals, space)))
    opens, closes = interval
    return floor_to(now, opens, timedelta(minutes=space.slot_minutes)), closes


def check_walk_in_window(space, start, end, now, closures, schedule=None):
    """A walk-in begins in the slot under way and ends after now, on the slot grid (or at
    closing time), by closing time. Raises RuleViolation naming the field."""
    slot_start, closes = walk_in_slot(space, now, closures, schedule)
    if start != slot_start:
        raise RuleViolation(_l("A walk-in starts now."), field="start")
    check_wall_clock(end, space, "end")
    if end <= now:
        raise RuleViolation(_l("The end must be after now."), field="end")
    if end > closes:
        raise RuleViolation(_l("%(space)s closes at %(time)s today.", space=space.name,
                               time=local_time(closes, space.zone)), field="end")
    check_length(space, start, end)
    step = timedelta(minutes=space.slot_minutes)
    if end != closes and (end - start) % step:
        raise RuleViolation(
            _l("The end must fall on the %(minutes)s-minute slot grid, or be closing time.",
               minutes=space.slot_minutes), field="end")


def walk_in_ends(space, start, closes):
    """The ends a walk-in may choose: every slot end up to closing time (or the longest
    booking the space allows), closing time included."""
    step = timedelta(minutes=space.slot_minutes)
    last = min(closes, start + timedelta(minutes=min(space.max_booking_minutes,
                                                     MAX_BOOKING_MINUTES)))
    ends = []
    end = start + step
    while end <= last:
        ends.append(end)
        end += step
    if closes <= last and (not ends or ends[-1] != closes):
        ends.append(closes)
    return ends


def check_length(space, start, end):
    """No longer than the space allows, and never beyond the schema's own limit."""
    longest = min(space.max_booking_minutes, MAX_BOOKING_MINUTES)
    if end - start > timedelta(minutes=longest):
        hours, minutes = divmod(longest, 60)
        raise RuleViolation(
            _l("A booking may last at most %(hours)s:%(minutes)s hours.",
               hours=hours, minutes=f"{minutes:02d}"),
            field="end")
