"""A booking as an iCalendar event: the fields calendar apps rely on, a UID that stays and a
SEQUENCE that grows, and the right instants on the days the clocks change."""
from datetime import UTC, datetime

from flask_babel import force_locale

from coworking.bookings import service
from coworking.bookings.models import Booking
from coworking.calendars.ics import booking_ics, sequence
from coworking.database import use_case
from coworking.extensions import db
from tests.calendars.conftest import at, parse
from tests.factories import make_plan


def as_file(booking, lang="de"):
    db.session.expire_all()
    with force_locale(lang):
        return parse(booking_ics(db.session.get(Booking, booking.id)))


def test_a_booking_file_has_every_field_calendar_apps_need(app, space, desks, make_user):
    member = make_user(name="Jana Example")
    booking = service.book(member, desks[0].id, at("2027-03-02T09:00:00+01:00"),
                           at("2027-03-02T12:30:00+01:00"))
    parsed = as_file(booking)
    calendar = parsed.ical
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH" and "StadtLabor" in str(calendar["PRODID"])
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Berlin"
    event = parsed.event(booking.id)
    assert str(event["UID"]) == f"booking-{booking.id}@127.0.0.1"
    assert event["DTSTAMP"].dt == booking.created_at
    assert "DTSTAMP:20270301T060000Z" in parsed.text
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == f"Desk 1 · {space.town.name}"
    assert str(event["LOCATION"]) == f"{space.name}, {space.address}"
    url = f"http://127.0.0.1:5000/bookings#booking-{booking.id}"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    assert url in description and "Status: bestätigt" in description
    assert "Jana" not in parsed.text  # names only in a host's feed
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "DTSTART;TZID=Europe/Berlin:20270302T090000" in parsed.text
    assert event["DTEND"].dt == at("2027-03-02T12:30:00+01:00")
    vevent = parsed.vevent(booking.id)
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2027, 3, 2, 8, tzinfo=UTC)


def test_texts_follow_the_language_in_force(app, space, desks, make_user):
    booking = service.book(make_user(), desks[0].id, at("2027-03-02T09:00:00+01:00"),
                           at("2027-03-02T10:00:00+01:00"))
    service.cancel(booking.user, booking.id)
    assert str(as_file(booking, "de").event(booking.id)["SUMMARY"]).startswith("Storniert: ")
    english = as_file(booking, "en").event(booking.id)
    assert str(english["SUMMARY"]).startswith("Cancelled: Desk 1")
    assert "Status: cancelled" in str(english["DESCRIPTION"])


def test_cancelling_keeps_the_uid_and_raises_the_sequence(app, space, desks, make_user):
    member = make_user()
    booking = service.book(member, desks[0].id, at("2027-03-02T09:00:00+01:00"),
                           at("2027-03-02T10:00:00+01:00"))
    confirmed = as_file(booking).event(booking.id)
    service.cancel(member, booking.id)
    cancelled_file = as_file(booking)
    cancelled = cancelled_file.event(booking.id)
    assert str(cancelled["UID"]) == str(confirmed["UID"])
    assert cancelled["SEQUENCE"] > confirmed["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["TRANSP"]) == "TRANSPARENT"
    assert cancelled_file.vevent(booking.id).status.value == "CANCELLED"


def moved(booking_id, move, when):
    """The booking after one transition at `when`, in a unit of work as the services do it."""
    @use_case
    def run():
        booking = db.session.get(Booking, booking_id)
        getattr(booking, move)(when)
        return booking

    return run()


def test_the_sequence_counts_every_transition(app, space, desks, make_user, frozen):
    booking = service.book(make_user(), desks[0].id, at("2027-03-02T09:00:00+01:00"),
                           at("2027-03-02T10:00:00+01:00"))
    seen = [sequence(booking)]
    for move, when in (("check_in", "2027-03-02T08:50:00+01:00"),
                       ("check_out", "2027-03-02T10:00:00+01:00")):
        seen.append(sequence(moved(booking.id, move, frozen.set(when))))
    assert seen == [1, 2, 3]
    assert as_file(booking).event(booking.id)["DTSTAMP"].dt == frozen.set(
        "2027-03-02T10:00:00+01:00")


def test_times_on_the_days_the_clocks_change_are_the_right_instants(app, space, desks,
                                                                     make_user):
    """01:00–04:00 local lasts two hours in spring and four in autumn; both parsers agree."""
    member = make_user()
    spring = service.book(member, desks[0].id, at("2027-03-28T01:00:00+01:00"),
                          at("2027-03-28T04:00:00+02:00"))
    autumn = service.book(member, desks[0].id, at("2027-10-31T01:00:00+02:00"),
                          at("2027-10-31T04:00:00+01:00"))
    for booking, start, end in ((spring, datetime(2027, 3, 28, 0, tzinfo=UTC),
                                 datetime(2027, 3, 28, 2, tzinfo=UTC)),
                                (autumn, datetime(2027, 10, 30, 23, tzinfo=UTC),
                                 datetime(2027, 10, 31, 3, tzinfo=UTC))):
        parsed = as_file(booking)
        event, vevent = parsed.event(booking.id), parsed.vevent(booking.id)
        assert (event["DTSTART"].dt.astimezone(UTC), event["DTEND"].dt.astimezone(UTC)) == (
            start, end)
        # vobject reads the times with the file's own VTIMEZONE, not its own zone database.
        assert "tzicalvtz" in type(vevent.dtstart.value.tzinfo).__name__
        assert (vevent.dtstart.value.astimezone(UTC), vevent.dtend.value.astimezone(UTC)) == (
            start, end)


def test_a_held_booking_is_tentative_and_a_no_show_cancelled(app, space, desks, make_user,
                                                            frozen):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    member = make_user(covered=False)
    held = service.book(member, desks[0].id, at("2027-03-02T09:00:00+01:00"),
                        at("2027-03-02T10:00:00+01:00"), pay="day_pass", online=True)
    event = as_file(held).event(held.id)
    assert str(event["STATUS"]) == "TENTATIVE" and event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]).startswith("Zahlung ausstehend: ")

    booking = service.book(make_user(), desks[1].id, at("2027-03-02T09:00:00+01:00"),
                           at("2027-03-02T10:00:00+01:00"))
    moved(booking.id, "mark_no_show", frozen.set("2027-03-02T09:31:00+01:00"))
    event = as_file(booking).event(booking.id)
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
    assert str(event["SUMMARY"]).startswith("Nicht erschienen: ")
