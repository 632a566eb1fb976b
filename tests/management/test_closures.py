"""Hosts add and remove closures (a date range and a reason members see). One over bookings
lists them first; confirmed, they are cancelled and their members told why."""
from datetime import date

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking, BookingStatus
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.factories import resources_of
from tests.management.conftest import audit_entries, forget_mail, mails, post_form


def closures(space):
    db.session.expire_all()
    return db.session.scalars(select(Closure).where(Closure.space_id == space.id)).all()


def test_a_closure_without_bookings_is_saved_and_members_see_it(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/closures",
                         {"start_date": "2027-03-08", "end_date": "2027-03-10",
                          "closure_reason": "Renovierung"})
    assert response.status_code == 302
    (closure,) = closures(space)
    assert (closure.start_date, closure.end_date, closure.reason) == (
        date(2027, 3, 8), date(2027, 3, 10), "Renovierung")
    day = client.get(f"/spaces/{space.slug}?date=2027-03-09").get_data(as_text=True)
    assert "Geschlossen: Renovierung" in day
    (entry,) = audit_entries("closure.added")
    assert entry.after == {"start_date": "2027-03-08", "end_date": "2027-03-10",
                           "reason": "Renovierung"}
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat den Standort am 08.03.2027–10.03.2027 geschlossen (Renovierung)" in page


@pytest.mark.parametrize("values,field,message", [
    ({"end_date": "2027-03-07"}, "end_date",
     "Der letzte geschlossene Tag kann nicht vor dem ersten liegen."),
    ({"start_date": "2027-02-26"}, "start_date",
     "Eine Schließung kann nicht in der Vergangenheit beginnen."),
    ({"closure_reason": ""}, "closure_reason", None),
    ({"end_date": "2028-06-01"}, "end_date", "Eine Schließung dauert höchstens ein Jahr."),
    ({"start_date": "morgen"}, "start_date", None),
])
def test_a_bad_closure_is_refused_beside_its_field(client, space, host, values, field,
                                                   message):
    response = post_form(client, f"/manage/{space.slug}/closures",
                         {"start_date": "2027-03-08", "end_date": "2027-03-10",
                          "closure_reason": "Renovierung", **values})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message is None or message in page
    assert closures(space) == [] and audit_entries() == []


def test_a_closure_over_bookings_lists_them_then_cancels_them_once_confirmed(
        client, space, host, booked):
    desk = resources_of(space)[0]
    inside = booked(desk, "09:00", "12:00", day="2027-03-09", name="Mia Member")
    outside = booked(desk, "09:00", "12:00", day="2027-03-11")
    forget_mail()
    form = {"start_date": "2027-03-08", "end_date": "2027-03-10", "closure_reason": "Umzug"}
    response = post_form(client, f"/manage/{space.slug}/closures", form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 Buchung fällt auf die geschlossenen Tage. Noch ist nichts geändert." in page
    assert "Mia Member" in page and "09.03.2027" in page
    assert closures(space) == [] and mails() == []

    response = post_form(client, f"/manage/{space.slug}/closures",
                         {**form, "confirmed": str(inside.id)})
    assert response.status_code == 302
    assert len(closures(space)) == 1
    assert db.session.get(Booking, inside.id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, outside.id).status == BookingStatus.CONFIRMED
    (mail,) = mails()
    assert "schreibt dir dazu: Umzug" in mail["text"]
    (entry,) = audit_entries("closure.added")
    assert entry.after["cancelled"] == [inside.id]


def test_overlapping_closures_are_refused(client, space, host):
    form = {"start_date": "2027-03-08", "end_date": "2027-03-10", "closure_reason": "Umzug"}
    post_form(client, f"/manage/{space.slug}/closures", form)
    response = post_form(client, f"/manage/{space.slug}/closures",
                         {**form, "start_date": "2027-03-10", "end_date": "2027-03-12"})
    assert response.status_code == 422
    assert "ist schon vom 08.03.2027 bis 10.03.2027 geschlossen (Umzug)" in \
        response.get_data(as_text=True)
    assert len(closures(space)) == 1


def test_removing_a_closure_opens_the_days_again(client, space, host):
    post_form(client, f"/manage/{space.slug}/closures",
              {"start_date": "2027-03-08", "end_date": "2027-03-08", "closure_reason": "Umzug"})
    (closure,) = closures(space)
    response = post_form(client, f"/manage/{space.slug}/closures/{closure.id}/remove", {},
                         token_from=f"/manage/{space.slug}/closures")
    assert response.status_code == 302
    assert closures(space) == []
    (entry,) = audit_entries("closure.removed")
    assert entry.before == {"start_date": "2027-03-08", "end_date": "2027-03-08",
                            "reason": "Umzug"}
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat die Schließung am 08.03.2027 (Umzug) aufgehoben" in page


PART_DAY = {"start_date": "2027-03-09", "end_date": "2027-03-09", "start": "14:00",
            "end": "18:00", "closure_reason": "Gemeinderat"}


def test_a_closure_of_part_of_a_day_lists_the_bookings_in_that_time_with_a_choice_each(
        client, space, host, booked, make_user):
    desk1, desk2 = resources_of(space)[:2]
    mia = make_user(name="Mia Member", email="mia@example.org")
    late = booked(desk1, "15:00", "17:00", day="2027-03-09", member=mia)
    across = booked(desk2, "12:00", "16:00", day="2027-03-09", name="Ben Member")
    morning = booked(desk1, "09:00", "12:00", day="2027-03-09", member=mia)
    forget_mail()
    response = post_form(client, f"/manage/{space.slug}/closures", PART_DAY)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 Buchungen fallen in die geschlossene Zeit. Noch ist nichts geändert." in page
    assert f'name="outcome-{late.id}"' in page and f'name="outcome-{across.id}"' in page
    assert f'name="outcome-{morning.id}"' not in page
    assert "14:00–18:00" in page
    assert closures(space) == [] and mails() == []

    response = post_form(client, f"/manage/{space.slug}/closures",
                         {**PART_DAY, "confirmed": f"{late.id},{across.id}",
                          "on_conflict": "cancel", f"outcome-{across.id}": "shorten"})
    assert response.status_code == 302
    (closure,) = closures(space)
    assert (closure.start_time.hour, closure.end_time.hour) == (14, 18)
    assert db.session.get(Booking, late.id).status == BookingStatus.CANCELLED
    shortened = db.session.get(Booking, across.id)
    assert shortened.status == BookingStatus.CONFIRMED
    assert shortened.end_at.astimezone(space.zone).strftime("%H:%M") == "14:00"
    assert db.session.get(Booking, morning.id).status == BookingStatus.CONFIRMED
    assert len(mails()) == 2  # Mia and Ben, once each
    listed = client.get(f"/manage/{space.slug}/closures").get_data(as_text=True)
    assert "09.03.2027, 14:00–18:00" in listed
    history = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat den Standort am 09.03.2027, 14:00–18:00 geschlossen (Gemeinderat)" in history


@pytest.mark.parametrize("values,field,message", [
    ({"end": "13:00"}, "end", "Das Ende muss nach dem Beginn liegen."),
    ({"start": "19:00", "end": "21:00"}, "start", "zu dieser Zeit nicht geöffnet"),
    ({"end": ""}, "end", None),
    ({"end_date": "2027-03-10"}, "end_date", None),
    ({"start": "25:00"}, "start", None),
])
def test_a_bad_closure_of_part_of_a_day_is_refused_beside_its_field(client, space, host,
                                                                    values, field, message):
    response = post_form(client, f"/manage/{space.slug}/closures", {**PART_DAY, **values})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message is None or message in page
    assert closures(space) == []
