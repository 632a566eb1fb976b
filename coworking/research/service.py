"""The researchers' use cases: read the aggregated figures, and export the data package.
Researchers and admins only; every export is audit-logged in its own unit of work before the
first byte leaves."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from coworking import audit, clock, permissions
from coworking.database import use_case
from coworking.errors import Forbidden, InvalidInput, Unavailable
from coworking.research import calendar, package, stats


def require_reader(user):
    if not permissions.can_read_research(user):
        raise Forbidden(_l("Research figures are for researchers and admins."))


def checked_range(first, last):
    """[first, last] as asked, or a 422 naming the field that is wrong."""
    if last < first:
        raise InvalidInput(_l("The end date must not lie before the start date."), field="to")
    if (last - first).days + 1 > calendar.MAX_DAYS:
        raise InvalidInput(_l("At most %(days)s days at once.", days=calendar.MAX_DAYS),
                           field="to")
    return first, last


def window(first, last, granularity):
    """The range every published figure covers: [first, last] checked, then widened outward
    to whole periods of `granularity` (the API's granularity; "month" for the dashboard and
    the data package, which show months). One rule for all three, so no two of them can be
    subtracted to recover a suppressed day."""
    checked_range(first, last)
    return calendar.whole_periods(first, last, checked_granularity(granularity))


def checked_granularity(granularity):
    if granularity not in calendar.GRANULARITIES:
        raise InvalidInput(_l("Must be one of: %(choices)s.",
                              choices=", ".join(calendar.GRANULARITIES)), field="granularity")
    return granularity


def scope_of(first, last, slug=None):
    found = calendar.scope(first, last, slug)
    if slug is not None and not found.spaces:
        raise InvalidInput(_l("There is no space called “%(slug)s”.", slug=slug), field="space")
    return found


def figures(user, first, last, granularity="month", slug=None):
    """{min_cell, rows}: the metrics rows of one granularity, disclosure control applied."""
    require_reader(user)
    first, last = window(first, last, granularity)
    scope = scope_of(first, last, slug)
    if not scope.spaces:
        return {"min_cell": stats.min_cell(), "rows": []}
    return {"min_cell": stats.min_cell(),
            "rows": stats.space_metrics(scope, (granularity,))[granularity]}


def research_key():
    key = current_app.config.get("RESEARCH_KEY")
    if not key:
        raise Unavailable(_l("The research export needs RESEARCH_KEY to be set."))
    return key


@use_case
def _record_export(actor_id, first, last, via):
    audit.record(actor_id, "research.exported", "research_export", None,
                 after={"from": first.isoformat(), "to": last.isoformat(), "via": via})


def export(user, first, last, via):
    """The data package as a stream of zip bytes, once the export is in the audit log.
    `user` None: the command line, run by whoever runs the server."""
    if user is not None:
        require_reader(user)
    key = research_key()
    first, last = window(first, last, "month")
    scope = scope_of(first, last)
    _record_export(user.id if user is not None else None, first, last, via)
    return package.chunks(scope, key, stats.min_cell())


def default_range():
    """The twelve whole months before the current one, where the dashboard opens."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = clock.utcnow().astimezone(zone).date()
    last = today.replace(day=1) - timedelta(days=1)
    year, month = last.year, last.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), last


def file_name(first, last):
    """Named after the months the package really covers."""
    first, last = calendar.whole_periods(first, last, "month")
    return f"coworking-research-{first.isoformat()}-{last.isoformat()}.zip"
