"""The spaces overview and a space's availability: the day as a timeline, and the week.

The blueprint keeps the name "spaces" for its URLs (`/`, `/spaces/<slug>`) and endpoints (`spaces.overview`, `spaces.show`).
"""
import re
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from coworking import clock
from coworking.bookings.availability import availability
from coworking.bookings.service import own_bookings_between
from coworking.browse.time_first import time_first
from coworking.browse.timeline import day_timeline, week_days
from coworking.browse.today import today_at
from coworking.formatting import medium_date
from coworking.spaces import service
from coworking.spaces.about import about

bp = Blueprint("spaces", __name__)


@bp.get("/")
def overview():
    spaces = service.list_spaces(current_user)
    today = today_at(spaces)
    return render_template("spaces/overview.html",
                           cards=[(space, today[space.id], about(space)) for space in spaces],
                           hours=service.opening_hours_by_weekday)


# What a date in the URL must look like; anything else is garbage, not today in disguise.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _requested_day(space):
    """The date asked for, today, and why another day is shown instead (None when it is not):
    a date before today shows today, one beyond the booking horizon its last day, garbage
    today, each saying so rather than silently."""
    today = clock.utcnow().astimezone(space.zone).date()
    last = today + timedelta(days=space.horizon_days)
    raw = request.args.get("date", "")
    if not raw:
        return today, today, None
    try:
        day = date.fromisoformat(raw) if _ISO_DATE.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None:
        return today, today, _("This is not a valid date – here is today.")
    if day < today:
        return today, today, _("This date is in the past – here is today.")
    if day > last:
        return last, today, _("This date lies outside the booking period (until %(date)s) – "
                              "here is its last day.", date=medium_date(last))
    return day, today, None


def _own_bookings(space, day_availability):
    if not current_user.is_authenticated or not day_availability.intervals:
        return []
    return own_bookings_between(current_user, space, day_availability.intervals[0][0],
                                day_availability.intervals[-1][1])


@bp.get("/spaces/<slug>")
def show(slug):
    space = service.get_space(slug, current_user)
    view = request.args.get("view", "day")
    if view not in ("day", "week"):
        abort(404)
    day, today, notice = _requested_day(space)
    if view == "week":
        first = day - timedelta(days=day.weekday())
        days = availability(space, first, 7)
        return render_template("spaces/week.html", space=space, day=day, today=today,
                               notice=notice, week=week_days(space, days, today))
    (day_availability,) = availability(space, day, 1)
    return render_template("spaces/day.html", space=space, day=day, today=today, notice=notice,
                           availability=day_availability, about=about(space),
                           time_first=time_first(space, day, today, request.args,
                                                 user=current_user),
                           timeline=day_timeline(space, day_availability,
                                                 _own_bookings(space, day_availability)))
