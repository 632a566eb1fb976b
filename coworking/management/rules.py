"""A space's booking rules: how far ahead, how much notice, how long, until when members
cancel with their credit back, the grace before a no-show, and limits per member. They
govern bookings made from now on; bookings already made stay as they are."""
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l

from coworking import audit
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.management.access import space_to_manage
from coworking.spaces.models import MAX_BOOKING_MINUTES

WEEK_MINUTES = 7 * 24 * 60


@dataclass
class BookingRules:
    horizon_days: int | None
    min_notice_minutes: int | None
    max_booking_minutes: int | None
    cancel_deadline_minutes: int | None
    no_show_grace_minutes: int | None
    # None: no limit.
    max_room_bookings: int | None = None
    max_desk_days: int | None = None

    @classmethod
    def of(cls, space):
        return cls(**{f.name: getattr(space, f.name) for f in fields(cls)})


RULE_NAMES = [field.name for field in fields(BookingRules)]


def _problems(rules, slot_minutes):
    """Field -> messages for every rule out of range; the same words as the form's hints."""
    def between(value, low, high):
        return value is not None and low <= value <= high

    errors = {}
    if not between(rules.horizon_days, 1, 730):
        errors["horizon_days"] = _l("Bookings open between 1 and 730 days ahead.")
    if not between(rules.min_notice_minutes, 0, WEEK_MINUTES):
        errors["min_notice_minutes"] = _l("The notice lies between 0 minutes and a week "
                                          "(%(max)s minutes).", max=WEEK_MINUTES)
    if not between(rules.max_booking_minutes, slot_minutes, MAX_BOOKING_MINUTES):
        errors["max_booking_minutes"] = _l(
            "A booking may last at most 24 hours (%(max)s minutes) and must allow at least one "
            "slot (%(slot)s minutes).", max=MAX_BOOKING_MINUTES, slot=slot_minutes)
    if not between(rules.cancel_deadline_minutes, 0, WEEK_MINUTES):
        errors["cancel_deadline_minutes"] = _l(
            "The cancellation deadline lies between 0 minutes and a week (%(max)s minutes) "
            "before the start.", max=WEEK_MINUTES)
    if not between(rules.no_show_grace_minutes, 0, 240):
        errors["no_show_grace_minutes"] = _l("The grace period lies between 0 and 240 minutes.")
    if rules.max_room_bookings is not None and not between(rules.max_room_bookings, 1, 100):
        errors["max_room_bookings"] = _l("Leave it empty for no limit, or allow 1 to 100 "
                                         "bookings.")
    if rules.max_desk_days is not None and not between(rules.max_desk_days, 1, 366):
        errors["max_desk_days"] = _l("Leave it empty for no limit, or allow 1 to 366 days.")
    return {name: [message] for name, message in errors.items()}


@use_case
def set_booking_rules(actor, slug, rules):
    """Change the rules together or not at all: one value out of range changes nothing."""
    space = space_to_manage(actor, slug, lock=True)
    errors = _problems(rules, space.slot_minutes)
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    before, after = {}, {}
    for field in fields(BookingRules):
        old, new = getattr(space, field.name), getattr(rules, field.name)
        if old != new:
            before[field.name], after[field.name] = old, new
            setattr(space, field.name, new)
    if after:
        audit.record(actor.id, "space.rules_changed", "space", space.id, space_id=space.id,
                     before=before, after=after)
    return space
