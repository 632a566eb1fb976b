"""A space's hours over time and its closures: the week that applies on a day (public), new
hours from a date and closures for its hosts and admins, with what to do with the bookings
they hit (`on_conflict`)."""
import re
from datetime import time

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import json_fields, query_fields
from coworking.errors import InvalidInput
from coworking.management import closures, hours
from coworking.management.access import space_to_manage
from coworking.management.hour_changes import ON_CONFLICT
from coworking.spaces import service
from coworking.spaces.hours import schedule_of

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _week_json(week):
    return {name: [[f"{opens:%H:%M}", f"{closes:%H:%M}"] for opens, closes in week.get(n, ())]
            for n, name in enumerate(DAYS)}


@bp.get("/spaces/<slug>/hours")
def space_hours(slug):
    space = service.get_space(slug)
    fields = query_fields()
    on = fields.day("on", required=False)
    fields.raise_if_invalid()
    on = on or service.local_today(space)
    schedule = schedule_of(space)
    start = schedule.effective_from(on)
    return jsonify({"effective_from": start.isoformat() if start else None,
                    "hours": _week_json(schedule.week_on(on))})


def _clock_time(fields, name):
    """An "HH:MM" local time, or None when absent."""
    value = fields.string(name, 5, required=False)
    if value is None:
        return None
    match = _HH_MM.match(value)
    if not match:
        fields.errors[name] = [_l("Not a time in the form HH:MM.")]
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _week_texts(fields):
    """{"monday": "08:00–12:00, …"} from `hours: {mon: [["08:00", "12:00"]], …}`."""
    given = fields.object("hours")
    texts = {}
    for name in sorted(set(given) - set(DAYS)):
        fields.errors[f"hours.{name}"] = [_l("There is no such field.")]
    for short, long in zip(DAYS, service.WEEKDAYS):
        intervals = given.get(short, [])
        if not isinstance(intervals, list) or not all(
                isinstance(pair, list) and len(pair) == 2
                and all(isinstance(t, str) and _HH_MM.match(t) for t in pair)
                for pair in intervals):
            fields.errors[f"hours.{short}"] = [_l("Send a list of [\"HH:MM\", \"HH:MM\"] pairs.")]
            continue
        texts[long] = ", ".join(f"{opens}–{closes}" for opens, closes in intervals)
    return texts


def _renamed(error, names):
    """The service's field names as the API's body spells them."""
    if error.errors:
        renamed = {}
        for field, messages in error.errors.items():
            renamed.setdefault(names.get(field, field), []).extend(messages)
        error._errors, error.field = renamed, None
    return error


def _choices(fields):
    """The optional per-booking outcomes: {"<booking id>": "move" | "shorten" | "cancel"}."""
    given = fields.object("outcomes", required=False)
    choices = {}
    for key, value in given.items():
        if not key.isdigit() or value not in ON_CONFLICT[1:]:
            fields.errors[f"outcomes.{key}"] = [_l("Must be one of: %(choices)s.",
                                                   choices=", ".join(ON_CONFLICT[1:]))]
        else:
            choices[int(key)] = value
    return choices


@bp.put("/spaces/<slug>/hours")
@login_required
def put_space_hours(slug):
    space_to_manage(current_user, slug)  # who may ask comes before what they asked
    fields = json_fields()
    effective_from = fields.day("effective_from")
    texts = _week_texts(fields)
    on_conflict = fields.choice("on_conflict", ON_CONFLICT, required=False) or "refuse"
    reason = fields.string("reason", 300, required=False) or ""
    choices = _choices(fields)
    fields.raise_if_invalid()
    names = {long: f"hours.{short}" for short, long in zip(DAYS, service.WEEKDAYS)}
    try:
        _space, resolved = hours.set_opening_hours(
            current_user, slug, texts, reason=reason, confirmed=None,
            effective_from=effective_from, on_conflict=on_conflict, choices=choices)
    except InvalidInput as error:
        raise _renamed(error, names) from None
    return jsonify({"effective_from": effective_from.isoformat(), "affected": resolved})


@bp.post("/spaces/<slug>/closures")
@login_required
def post_closure(slug):
    space_to_manage(current_user, slug)
    fields = json_fields()
    day = fields.day("date")
    start, end = _clock_time(fields, "start"), _clock_time(fields, "end")
    reason = fields.string("reason", 300)
    reason_en = fields.string("reason_en", 300, required=False) or ""
    on_conflict = fields.choice("on_conflict", ON_CONFLICT, required=False) or "refuse"
    choices = _choices(fields)
    fields.raise_if_invalid()
    try:
        closure, resolved = closures.add_closure(
            current_user, slug, day, day, reason, confirmed=None, start_time=start,
            end_time=end, on_conflict=on_conflict, choices=choices, reason_en=reason_en)
    except InvalidInput as error:
        raise _renamed(error, {"start_date": "date", "end_date": "date"}) from None
    return jsonify({"id": closure.id, "affected": resolved}), 201
