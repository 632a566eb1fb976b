"""The rules an event's time and size obey, each with its own message. No queries."""
from flask_babel import lazy_gettext as _l

from coworking.bookings.rules import check_wall_clock, describe_intervals
from coworking.content_language import marked
from coworking.errors import RuleViolation
from coworking.formatting import local_time, medium_date
from coworking.spaces.hours import open_day

MAX_CAPACITY = 10_000


def check_event_time(space, start, end, now, closures):
    """An event lies within one opening interval of its day, not on a closure, not in the
    past. Raises RuleViolation naming the field."""
    check_wall_clock(start, space, "start")
    check_wall_clock(end, space, "end")
    if end <= start:
        raise RuleViolation(_l("The end must be after the start."), field="end")
    if start < now:
        raise RuleViolation(_l("The start lies in the past."), field="start")
    local_day = start.astimezone(space.zone).date()
    day = open_day(space, local_day, closures)
    if day.closed_reason and day.closed_reason != "regular":
        raise RuleViolation(_l("%(space)s is closed on %(date)s (%(reason)s).", space=space.name,
                               date=medium_date(local_day), reason=marked(day.closed_reason)),
                            field="start")
    interval = next((iv for iv in day.intervals if iv[0] <= start < iv[1]), None)
    if interval is None:
        raise RuleViolation(
            _l("An event lies within the opening hours: %(space)s is not open at %(time)s on "
               "that day. Opening hours: %(hours)s.", space=space.name,
               time=local_time(start, space.zone),
               hours=describe_intervals(day.intervals, space)), field="start")
    if end > interval[1]:
        raise RuleViolation(
            _l("An event lies within the opening hours: %(space)s closes at %(time)s on that "
               "day.", space=space.name, time=local_time(interval[1], space.zone)), field="end")


def check_capacity(capacity):
    if capacity is None or capacity < 1:
        raise RuleViolation(_l("An event has room for at least one person."), field="capacity")
    if capacity > MAX_CAPACITY:
        raise RuleViolation(_l("At most %(n)s places.", n=MAX_CAPACITY), field="capacity")
