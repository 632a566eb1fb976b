"""Bookings as iCalendar (RFC 5545), built with the icalendar library: one event per booking,
a single booking's .ics (downloads, e-mail attachments) and the feed calendars.

No database here: callers pass bookings with their resource, space and town loaded. Texts
are in the language in force (flask_babel), URLs on BASE_URL.
"""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, vDuration

from coworking import formatting
from coworking.bookings.models import BookingStatus
from coworking.calendars.timezones import vtimezone
from coworking.links import external_url

PRODID = "-//StadtLabor Kleinstadt//Coworking//DE"
REFRESH = timedelta(hours=1)

# Pending payment is a desk held, not yet confirmed; a no-show's desk was released.
ICAL_STATUS = {
    BookingStatus.PENDING_PAYMENT: "TENTATIVE",
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.CHECKED_IN: "CONFIRMED",
    BookingStatus.COMPLETED: "CONFIRMED",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.NO_SHOW: "CANCELLED",
}
# Every transition stamps one of these; how many are set counts the changes.
TRANSITION_STAMPS = ("confirmed_at", "cancelled_at", "checked_in_at", "completed_at",
                     "no_show_at")


def sequence(booking):
    """RFC 5545's revision number: one more with every transition the booking went through,
    so a cancelled booking always shows a higher SEQUENCE than it had while confirmed."""
    return sum(getattr(booking, name) is not None for name in TRANSITION_STAMPS)


def last_change(booking):
    """DTSTAMP: when the booking was last changed (UTC)."""
    return max([booking.created_at] + [stamp for name in TRANSITION_STAMPS
                                       if (stamp := getattr(booking, name)) is not None])


class Texts:
    """What events say, translated once per calendar rather than once per event."""

    def __init__(self):
        self.summary = _("%(resource)s · %(town)s")
        self.with_member = _("%(summary)s · %(name)s")
        self.prefixes = {BookingStatus.CANCELLED: _("Cancelled: %(summary)s"),
                         BookingStatus.NO_SHOW: _("No-show: %(summary)s"),
                         BookingStatus.PENDING_PAYMENT: _("Awaiting payment: %(summary)s")}
        self.labels = {status: str(status.label) for status in BookingStatus}
        self._kinds = {}
        self.status = _("Status: %(status)s")
        self.member = _("Member: %(name)s")
        self.booking_link = _("Your booking: %(url)s")
        self.day_link = _("The day at the space: %(url)s")
        self.domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
        self.mine = external_url("bookings.mine")
        self._day_pages = {}

    def kind(self, resource):
        """"Platz 1 (Hot-Desk)": the name with its kind, once per resource."""
        if resource.id not in self._kinds:
            self._kinds[resource.id] = formatting.with_kind(resource)
        return self._kinds[resource.id]

    def day_page(self, space, day):
        if space.slug not in self._day_pages:
            self._day_pages[space.slug] = external_url("spaces.show", slug=space.slug)
        return f"{self._day_pages[space.slug]}?date={day.isoformat()}"


def booking_event(booking, member_name=None, texts=None):
    """The VEVENT of a booking. `member_name` makes it the host's view: the member named, the
    URL on the space's day page rather than on the member's own bookings."""
    texts = texts or Texts()
    resource = booking.resource
    space = resource.space
    zone = space.zone
    start, end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    summary = texts.summary % {"resource": resource.name, "town": space.town.name}
    if member_name is not None:
        summary = texts.with_member % {"summary": summary, "name": member_name}
    if booking.status in texts.prefixes:
        summary = texts.prefixes[booking.status] % {"summary": summary}
    if member_name is None:
        url = f"{texts.mine}#booking-{booking.id}"
        link = texts.booking_link % {"url": url}
    else:
        url = texts.day_page(space, start.date())
        link = texts.day_link % {"url": url}
    description = [f"{texts.kind(resource)}, {space.name}", space.address,
                   texts.status % {"status": texts.labels[booking.status]}]
    if member_name is not None:
        description.append(texts.member % {"name": member_name})
    description.append(link)

    event = Event()
    event.add("uid", f"booking-{booking.id}@{texts.domain}")
    event.add("dtstamp", last_change(booking))
    event.add("sequence", sequence(booking))
    event.add("status", ICAL_STATUS[booking.status])
    event.add("summary", summary)
    event.add("location", f"{space.name}, {space.address}")
    event.add("description", "\n".join(description))
    event.add("url", url)
    event.add("dtstart", start)
    event.add("dtend", end)
    if ICAL_STATUS[booking.status] == "CANCELLED":
        event.add("transp", "TRANSPARENT")  # takes no time in the member's free/busy
    return event


def _calendar(method=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _add_timezones(calendar, zones, first_year, last_year):
    """One VTIMEZONE per zone the events use, right from the year before the first event to
    the year after the last (years are counted in UTC; local New Year may differ)."""
    for zone_name in sorted(zones):
        calendar.add_component(vtimezone(zone_name, first_year - 1, last_year + 1))


def booking_ics(booking, method="PUBLISH"):
    """One booking as a complete calendar file (downloads and the confirmation e-mail)."""
    calendar = _calendar(method)
    _add_timezones(calendar, {booking.resource.space.timezone}, booking.start_at.year,
                   booking.end_at.year)
    calendar.add_component(booking_event(booking))
    return calendar.to_ical()


def bookings_ics(bookings, method="PUBLISH"):
    """Several bookings as one calendar file: a series' confirmation adds all its dates at
    once."""
    calendar = _calendar(method)
    _add_timezones(calendar, {b.resource.space.timezone for b in bookings},
                   min(b.start_at.year for b in bookings), max(b.end_at.year for b in bookings))
    texts = Texts()
    for booking in bookings:
        calendar.add_component(booking_event(booking, texts=texts))
    return calendar.to_ical()


def clock_year():
    from coworking import clock

    return clock.utcnow().year


def feed_ics(name, zone_name, bookings, since, member_names=None, space_events=()):
    """A feed calendar of `bookings` (a host's feed names each booking's member from
    `member_names`, booking id -> name) and of the `space_events` a member registered for.
    `since` is where the feed's window begins: its time zones are right from there on,
    whatever the first event."""
    from coworking.calendars.event_ics import event_component

    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone_name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    texts = Texts()
    zones, years = {zone_name}, {since.year}
    events = []
    for booking in bookings:
        zones.add(booking.resource.space.timezone)
        years.update((booking.start_at.year, booking.end_at.year))
        name_shown = member_names.get(booking.id, "") if member_names is not None else None
        events.append(booking_event(booking, name_shown, texts))
    for space_event in space_events:
        zones.add(space_event.space.timezone)
        years.update((space_event.start_at.year, space_event.end_at.year))
        events.append(event_component(space_event, texts.domain))
    _add_timezones(calendar, zones, min(years), max(years))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
