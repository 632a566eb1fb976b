"""The spaces overview and a space's availability grid (day and week).

They live with bookings because they show availability; the blueprint keeps the name "spaces"
for its URLs (`/`, `/spaces/<slug>`) and endpoints (`spaces.overview`, `spaces.show`).
"""
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request

from coworking import clock
from coworking.bookings.availability import availability, free_slots
from coworking.spaces import service

bp = Blueprint("spaces", __name__)


@bp.get("/")
def overview():
    spaces = service.list_spaces()
    return render_template("spaces/overview.html", spaces=spaces,
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


def slot_grid(space, day_availability):
    """Rows for the day grid: for each resource its slots, free or taken, in local time."""
    step = timedelta(minutes=space.slot_minutes)
    grid = []
    for rd in day_availability.resources:
        free = set(free_slots(rd, step))
        slots = []
        for opens, closes in day_availability.intervals:
            start = opens
            while start + step <= closes:
                if start in free:
                    state = "free"
                elif any(a <= start < b for a, b in rd.taken):
                    state = "taken"
                else:
                    state = "past"
                slots.append((start, state))
                start += step
        grid.append((rd.resource, slots))
    return grid


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
                           availability=day_availability,
                           grid=slot_grid(space, day_availability))
