"""A member marked as not come who then arrives is told so at the door, not "no booking",
and is offered a free desk from now, or asked to talk to the host when none is free."""
from datetime import date

import pytest

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from tests.checkins.helpers import at
from tests.factories import resources_of

TODAY = date(2027, 3, 2)


@pytest.fixture
def released(space, make_user, login, host, api, frozen):
    mara = make_user(email="mara@example.org", name="Mara Member")
    booking = book(mara, resources_of(space)[0].id, at("09:00"), at("12:00"))
    frozen.set("2027-03-02T09:31:00+01:00")
    assert api(host).post(f"/api/v1/bookings/{booking.id}/no-show").status_code == 200
    login("mara@example.org")
    return booking


def door_of(client, space):
    response = client.get(f"/checkin/{space.slug}?code={daily_code(space, TODAY)}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_member_is_told_and_offered_a_free_desk(client, space, released, frozen):
    frozen.set("2027-03-02T09:50:00+01:00")
    html = door_of(client, space)
    assert "Deine Buchung 09:00–12:00 wurde als nicht erschienen markiert." in html
    assert "Du kannst jetzt einen freien Platz nehmen oder mit dem Gastgeber sprechen." in html
    assert 'action="/checkin/%s/walk-up"' % space.slug in html


def test_with_no_desk_free_the_member_is_asked_to_talk_to_the_host(
        client, space, released, make_user, frozen):
    for desk in resources_of(space):
        book(make_user(), desk.id, at("10:00"), at("12:00"))
    frozen.set("2027-03-02T10:05:00+01:00")
    html = door_of(client, space)
    assert "wurde als nicht erschienen markiert. Bitte sprich mit dem Gastgeber." in html
    assert 'action="/checkin/%s/walk-up"' % space.slug not in html
