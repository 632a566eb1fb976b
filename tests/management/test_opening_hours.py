"""Hosts edit the weekly opening hours, several intervals a day as the model allows. An edit
that closes a time with bookings lists them (member, date, time) before anything changes;
confirmed, they are cancelled and their members told why; otherwise nothing changes."""
from datetime import time

import pytest
from sqlalchemy import select

from coworking import clock
from coworking.bookings.models import Booking, BookingStatus
from coworking.database import unit_of_work
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.management import hours
from coworking.management.access import ConfirmationNeeded
from coworking.spaces.models import OpeningHours
from tests.factories import resources_of
from tests.management.conftest import audit_entries, forget_mail, mails, post_form

WEEK = {"monday": "08:00–18:00", "tuesday": "08:00–18:00", "wednesday": "08:00–18:00",
        "thursday": "08:00–18:00", "friday": "08:00–18:00", "saturday": "", "sunday": ""}


def stored_hours(space):
    db.session.expire_all()
    return [(h.weekday, h.opens, h.closes) for h in db.session.scalars(
        select(OpeningHours).where(OpeningHours.space_id == space.id)
        .order_by(OpeningHours.weekday, OpeningHours.opens))]


def test_the_form_shows_the_hours_as_they_are(client, space, host):
    page = client.get(f"/manage/{space.slug}/hours").get_data(as_text=True)
    assert '<label for="monday">Montag</label>' in page
    assert 'id="monday" maxlength="200" name="monday" type="text" value="08:00–18:00"' in page
    assert 'id="saturday" maxlength="200" name="saturday" type="text" value=""' in page


def test_a_host_opens_on_saturday_with_a_lunch_break(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {**WEEK, "saturday": "9-12, 13:00 – 16:30"})
    assert response.status_code == 302
    assert (5, time(9), time(12)) in stored_hours(space)
    assert (5, time(13), time(16, 30)) in stored_hours(space)
    (entry,) = audit_entries("space.hours_changed")
    assert (entry.before, entry.after) == ({"saturday": ""},
                                           {"saturday": "09:00–12:00, 13:00–16:30"})
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat die Öffnungszeiten ab 01.03.2027 geändert" in page  # today, in its time
    assert "Samstag: geschlossen <span aria-hidden=\"true\">→</span>" in page


@pytest.mark.parametrize("text,message", [
    ("8 bis halb 6", "Schreib die Zeiten als 08:00–12:00"),
    ("18:00–08:00", "18:00–08:00: Die Schließzeit muss nach der Öffnungszeit liegen."),
    ("25:00–26:00", "Schreib die Zeiten als 08:00–12:00"),
    ("08:00–08:15", "08:00–08:15 ist kürzer als ein Buchungstakt (30 Minuten)."),
    ("08:00–13:00, 12:00–18:00", "08:00–13:00 und 12:00–18:00 überschneiden oder berühren"),
])
def test_unreadable_hours_are_refused_beside_their_day(client, space, host, text, message):
    response = post_form(client, f"/manage/{space.slug}/hours", {**WEEK, "tuesday": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="tuesday-error"' in page and message in page
    assert stored_hours(space) == [(d, time(8), time(18)) for d in range(5)]
    assert audit_entries() == []


def test_closing_a_day_with_bookings_lists_them_and_changes_nothing(client, space, host,
                                                                    booked):
    desk = resources_of(space)[0]
    tuesday = booked(desk, "09:00", "12:00", name="Mia Member")
    booked(desk, "09:00", "12:00", day="2027-03-03")  # Wednesday stays open
    response = post_form(client, f"/manage/{space.slug}/hours", {**WEEK, "tuesday": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Neue Öffnungszeiten bestätigen" in page
    assert "Die neuen Zeiten schließen eine Zeit mit 1 Buchung. Noch ist nichts geändert." in page
    assert "Mia Member" in page and "02.03.2027" in page and "09:00–12:00" in page
    assert f'name="confirmed" type="hidden" value="{tuesday.id}"' in page
    assert stored_hours(space) == [(d, time(8), time(18)) for d in range(5)]
    assert db.session.get(type(tuesday), tuesday.id).status == BookingStatus.CONFIRMED
    assert audit_entries() == []


def test_confirmed_the_bookings_are_cancelled_and_the_members_told_why(client, space, host,
                                                                       booked):
    desk = resources_of(space)[0]
    early = booked(desk, "08:00", "09:00")
    late = booked(desk, "09:00", "12:00")
    forget_mail()
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {**WEEK, "tuesday": "09:00–18:00", "confirmed": str(early.id),
                          "reason": "Dienstags öffnen wir erst um neun."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(early), early.id).status == BookingStatus.CANCELLED
    assert db.session.get(type(late), late.id).status == BookingStatus.CONFIRMED
    assert (1, time(9), time(18)) in stored_hours(space)
    (mail,) = mails()
    assert mail["subject"] == "Änderung in Space 1: was aus deinen Buchungen wird"
    assert "vom Standort abgesagt" in mail["text"]
    assert "Dienstags öffnen wir erst um neun." in mail["text"]
    (entry,) = audit_entries("space.hours_changed")
    assert entry.after == {"tuesday": "09:00–18:00", "cancelled": [early.id],
                           "reason": "Dienstags öffnen wir erst um neun."}
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "1 Buchung ist storniert; das Mitglied bekommt eine E-Mail." in page


def test_a_booking_made_since_the_list_was_shown_is_listed_again(space, host, booked):
    desk = resources_of(space)[0]
    shown = booked(desk, "09:00", "10:00")
    with pytest.raises(ConfirmationNeeded) as needed:
        hours.set_opening_hours(host, space.slug, {**WEEK, "tuesday": ""})
    assert [b.id for b in needed.value.bookings] == [shown.id]
    since = booked(desk, "11:00", "12:00")
    with pytest.raises(ConfirmationNeeded) as needed:
        hours.set_opening_hours(host, space.slug, {**WEEK, "tuesday": ""},
                                confirmed={shown.id})
    assert [b.id for b in needed.value.bookings] == [shown.id, since.id]
    assert stored_hours(space) == [(d, time(8), time(18)) for d in range(5)]


def test_past_and_checked_in_bookings_are_left_alone(space, host, booked, frozen):
    """Those members are on site or gone: the host settles a day's change with them."""
    desk, desk2, _desk3 = resources_of(space)
    booked(desk, "08:00", "09:00", day="2027-03-01")  # today, over by ten
    present = booked(desk2, "09:00", "12:00", day="2027-03-01")
    frozen.set("2027-03-01T10:00:00+01:00")
    with unit_of_work():
        db.session.get(Booking, present.id).check_in(clock.utcnow())
    _space, cancelled = hours.set_opening_hours(host, space.slug, {**WEEK, "monday": ""})
    assert cancelled == []
    assert db.session.get(Booking, present.id).status == BookingStatus.CHECKED_IN


def test_an_edit_that_changes_nothing_writes_nothing(space, host):
    hours.set_opening_hours(host, space.slug, WEEK)
    assert audit_entries() == []


def test_bad_hours_from_the_service_name_the_day(space, host):
    with pytest.raises(InvalidInput) as error:
        hours.set_opening_hours(host, space.slug, {**WEEK, "friday": "abends"})
    assert list(error.value.errors) == ["friday"]


def test_hours_typed_loosely_are_shown_back_as_the_app_writes_them(client, space, host):
    """A host who typed "8-13" on one day and something unreadable on another sees the first
    as understood ("08:00–13:00") and the second as typed, beside its message."""
    response = post_form(client, f"/manage/{space.slug}/hours",
                         {**WEEK, "monday": "8-13, 14.00 bis 18 Uhr", "tuesday": "8 bis halb 6"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'name="monday" type="text" value="08:00–13:00, 14:00–18:00"' in page
    assert 'value="8 bis halb 6"' in page
