"""Events as calendar entries: a town's events feed, and the events a member registered for
in their own feed (cancelled ones kept as cancelled with a higher SEQUENCE)."""
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import get_locale
from icalendar import Event

from coworking.links import external_url


def event_component(event, domain=None):
    """One VEVENT with a stable UID, the space's address as LOCATION and its page as URL."""
    domain = domain or urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    language = str(get_locale())
    space = event.space
    url = external_url("space_events.event_page", event_id=event.id)
    component = Event()
    component.add("uid", f"space-event-{event.id}@{domain}")
    component.add("dtstamp", event.cancelled_at or event.created_at)
    component.add("sequence", 1 if event.is_cancelled else 0)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("summary", event.title_in(language))
    component.add("location", f"{space.name}, {space.address}")
    component.add("description", "\n\n".join(
        text for text in (event.description_in(language), url) if text))
    component.add("url", url)
    component.add("dtstart", event.start_at.astimezone(space.zone))
    component.add("dtend", event.end_at.astimezone(space.zone))
    if event.is_cancelled:
        component.add("transp", "TRANSPARENT")
    return component


def town_feed(space, events):
    """The town's public events as a calendar anyone may subscribe to."""
    from flask_babel import gettext as _

    from coworking.calendars import ics

    calendar = ics._calendar("PUBLISH")
    calendar.add("x-wr-calname", _("Events at %(space)s", space=space.name))
    calendar.add("x-wr-timezone", space.timezone)
    years = {event.start_at.year for event in events} | {event.end_at.year for event in events}
    years = years or {ics.clock_year()}
    ics._add_timezones(calendar, {space.timezone}, min(years), max(years))
    for event in events:
        calendar.add_component(event_component(event))
    return calendar.to_ical()
