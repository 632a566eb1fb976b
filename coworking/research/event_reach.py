"""Events held and people reached per town and month: how the spaces serve as the town's
meeting place. People reached are the attendees checked in (members, and guests, whose count
outlives their deletion); a month of a town that rests on fewer than RESEARCH_MIN_CELL people
is suppressed like any cell."""
from sqlalchemy import func, select

from coworking.extensions import db
from coworking.research import disclosure, stats
from coworking.space_events.models import EventRegistration, SpaceEvent
from coworking.spaces.models import Town

FIELDS = [
    ("town", "string", "The town.", "Der Ort."),
    ("month", "yearmonth", "Local month of the event's start.", "Lokaler Monat des Beginns."),
    ("events_held", "integer", "Events that took place (not cancelled).",
     "Stattgefundene (nicht abgesagte) Veranstaltungen."),
    ("people_reached", "integer", "Attendees checked in at them, members and guests.",
     "Bei ihnen eingecheckte Teilnehmende, Mitglieder und Gäste."),
    ("suppressed", "boolean", "As in space_metrics; here on people_reached.",
     "Wie in space_metrics; hier nach people_reached."),
]
DESCRIPTION = ("Events held and people reached per town and month.",
               "Veranstaltungen und erreichte Menschen je Ort und Monat.")
KEY = ["town", "month"]


def counts(scope):
    """[{town, month, events_held, people_reached}] before disclosure control."""
    if not scope.spaces:
        return []
    held = db.session.scalars(
        select(SpaceEvent).where(SpaceEvent.space_id.in_(scope.space_ids),
                                 SpaceEvent.cancelled_at.is_(None),
                                 SpaceEvent.start_at >= scope.start,
                                 SpaceEvent.start_at < scope.end)).all()
    attended = dict(db.session.execute(
        select(EventRegistration.event_id, func.count())
        .where(EventRegistration.event_id.in_([event.id for event in held]),
               EventRegistration.checked_in_at.is_not(None))
        .group_by(EventRegistration.event_id)).all()) if held else {}
    towns = dict(db.session.execute(select(Town.id, Town.name)).all())
    cells = {}
    for event in held:
        local = event.start_at.astimezone(event.space.zone).date()
        if not scope.first <= local <= scope.last:
            continue
        key = (towns[event.space.town_id], local.isoformat()[:7])
        cell = cells.setdefault(key, {"town": key[0], "month": key[1], "events_held": 0,
                                      "people_reached": 0})
        cell["events_held"] += 1
        cell["people_reached"] += attended.get(event.id, 0) + event.purged_guests_attended
    return sorted(cells.values(), key=lambda cell: (cell["town"], cell["month"]))


def rows(scope):
    """The published rows: a cell reaching fewer than RESEARCH_MIN_CELL people is null."""
    cells = counts(scope)
    disclosure.primary(cells, stats.min_cell(), members="people_reached")
    return [disclosure.blank(cell, ("town", "month")) for cell in cells]
