"""The day timeline: the member's own bookings are marked as theirs, in words as well as in colour."""
import re
from datetime import datetime

import pytest

from coworking.bookings import service
from tests.factories import csrf_token, resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


@pytest.fixture
def member(make_user, login):
    user = make_user(email="grid@example.org")
    login("grid@example.org")
    return user


def at(text):
    return datetime.fromisoformat(f"2027-03-02T{text}:00+01:00")


def test_the_day_grid_marks_the_members_own_bookings_in_words(space, client, member, make_user):
    desk, other_desk = resources_of(space)
    service.book(member, desk.id, at("10:00"), at("11:00"))
    service.book(make_user(), other_desk.id, at("10:00"), at("11:00"))
    page = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    own = re.findall(r'<a class="slot taken mine [^"]*" data-start="(\d\d:\d\d)" '
                     r'href="/bookings#booking-\d+"\s+aria-label="Desk 1: deine Buchung 10:00–11:00">'
                     r'<span class="tl-label">Deine Buchung</span></a>', page)
    assert own == ["10:00"]
    assert page.count('<span class="slot taken ') == 1  # the other member's booking
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    english = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    assert english.count('<span class="tl-label">Your booking</span>') == 1


def test_signed_out_visitors_see_every_booking_as_taken(space, client, make_user):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    page = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    assert "slot taken mine" not in page and page.count('<span class="slot taken ') == 1
