"""The spaces overview and a space's availability grid (day and week).

They live with bookings because they show availability; the blueprint keeps the name "spaces"
for its URLs (`/`, `/spaces/<slug>`) and endpoints (`spaces.overview`, `spaces.show`).
"""
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from coworking import clock
from coworking.bookings.availability import availability, free_slots
from coworking.bookings.service import own_bookings_between
from coworking.bookings.today import today_at
from coworking.spaces import service
from coworking.spaces.about import about

bp = Blueprint("spaces", __name__)


@bp.get("/")
def overview():
    spaces = service.list_spaces()
    today = today_at(spaces)
    return render_template("spaces/overview.html",
                           cards=[(space, today[space.id], about(space)) for space in spaces],
                           hours=service.opening_hours_by_weekday)


def _requested_day(space):
    """The date asked for, kept between today and the end of the booking horizon."""
    today = clock.utcnow().astimezone(space.zone).date()
    raw = request.args.get("date", "")
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else today
    except ValueError:
        day = today
    return min(max(day, today), today + timedelta(days=space.horizon_days)), today


def slot_grid(space, day_availability, own_bookings=()):
    """Rows for the day grid: for each resource its slots in local time, free, taken (by the
    member's own booking when it is one of `own_bookings`, then named with it) or past."""
    step = timedelta(minutes=space.slot_minutes)
    grid = []
    for rd in day_availability.resources:
        free = set(free_slots(rd, step))
        own = [b for b in own_bookings if b.resource_id == rd.resource.id]
        slots = []
        for opens, closes in day_availability.intervals:
            start = opens
            while start + step <= closes:
                booking = None
                if start in free:
                    state = "free"
                elif booking := next((b for b in own if b.start_at <= start < b.end_at), None):
                    state = "mine"
                elif any(a <= start < b for a, b in rd.taken):
                    state = "taken"
                else:
                    state = "past"
                slots.append((start, state, booking))
                start += step
        grid.append((rd.resource, slots))
    return grid


def _own_bookings(space, day_availability):
    if not current_user.is_authenticated or not day_availability.intervals:
        return []
    return own_bookings_between(current_user, space, day_availability.intervals[0][0],
                                day_availability.intervals[-1][1])


@bp.get("/spaces/<slug>")
def show(slug):
    space = service.get_space(slug)
    view = request.args.get("view", "day")
    if view not in ("day", "week"):
        abort(404)
    day, today = _requested_day(space)
    if view == "week":
        first = day - timedelta(days=day.weekday())
        days = availability(space, first, 7)
        return render_template("spaces/week.html", space=space, days=days, day=day, today=today,
                               step=timedelta(minutes=space.slot_minutes),
                               free_slots=free_slots)
    (day_availability,) = availability(space, day, 1)
    return render_template("spaces/day.html", space=space, day=day, today=today,
                           availability=day_availability, about=about(space),
                           grid=slot_grid(space, day_availability,
                                          _own_bookings(space, day_availability)))
