"""The self check-in page at the door: the poster's link with the code of the day. A signed-in
member checks into their booking, or takes a free desk from now (under their plan, or paying
a day pass on site); signed out, they sign in first and come back with the code kept. A code
of another day or another space is refused with a clear message."""
from datetime import date
from urllib.parse import quote, urlsplit

import pytest

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from coworking.memberships.service import buy
from tests.checkins.helpers import at, booking_of, visits
from tests.factories import csrf_token, make_plan, resources_of

TODAY = date(2027, 3, 2)


@pytest.fixture
def door(space):
    """The poster's link of today."""
    return f"/checkin/{space.slug}?code={daily_code(space, TODAY)}"


@pytest.fixture
def member(make_user, login, frozen):
    user = make_user(email="mara@example.org", name="Mara Member")
    login("mara@example.org")
    frozen.set("2027-03-02T08:50:00+01:00")
    return user


def html_of(response, status=200):
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def test_signed_out_the_member_signs_in_and_comes_back_with_the_code(client, space, door,
                                                                     make_user):
    make_user(email="mara@example.org")
    response = client.get(door)
    assert response.status_code == 302
    login_url = response.location
    assert urlsplit(login_url).path == "/login"
    form = client.get(login_url).get_data(as_text=True)
    assert f'name="next" type="hidden" value="{door}"' in form  # where to come back to
    # The page says which door waits: the space by name and address.
    assert f"Einchecken in {space.name}" in form and space.address in form
    register = client.get(f"/register?next={quote(door)}").get_data(as_text=True)
    assert f"Einchecken in {space.name}" in register
    signed_in = client.post(login_url, data={
        "email": "mara@example.org", "password": "correct horse", "next": door,
        "csrf_token": csrf_token(client, login_url)})
    assert signed_in.status_code == 302 and signed_in.location == door


def test_the_member_checks_into_their_booking_with_one_tap(client, space, door, member):
    booking = book(member, resources_of(space)[0].id, at("09:00"), at("12:00"))
    html = html_of(client.get(door))
    assert "Einchecken in Space" in html and "Deine Buchung" in html
    assert "Desk 1, 09:00–12:00 Uhr" in html
    response = client.post(f"/checkin/{space.slug}", data={
        "code": daily_code(space, TODAY), "booking_id": booking.id,
        "csrf_token": csrf_token(client, door)})
    assert response.status_code == 302 and response.location == door
    html = html_of(client.get(door))
    assert "Du bist an Desk 1 eingecheckt, bis 12:00 Uhr." in html
    assert "Du bist eingecheckt" in html and "Auschecken" in html
    assert booking_of(booking.id).status == "checked_in"
    assert visits()[0].check_in_method == "self"

    # Checking out from the same page; without the code it still shows where they are.
    response = client.post(f"/checkin/{space.slug}/check-out", data={
        "booking_id": booking.id, "csrf_token": csrf_token(client, door)})
    assert response.status_code == 302
    assert "Du bist ausgecheckt. Bis bald!" in html_of(client.get(response.location))
    assert booking_of(booking.id).status == "completed"


def test_too_early_the_page_says_when_and_offers_a_desk_until_then(client, space, door, member):
    book(member, resources_of(space)[0].id, at("14:00"), at("16:00"))
    html = html_of(client.get(door))
    assert "Deine Buchung heute beginnt um 14:00 Uhr (Desk 1); einchecken kannst du ab 13:30 " \
           "Uhr." in html
    assert "Buchen und einchecken" in html


@pytest.mark.parametrize("which, message", [
    ("yesterday", "Das ist der Code vom 01.03.2027, nicht der von heute"),
    ("elsewhere", "Das ist der Check-in-Code von Space 2, nicht von Space 1."),
    ("made up", "Das ist nicht der heutige Check-in-Code von Space 1."),
])
def test_a_code_of_another_day_or_space_is_refused_clearly(client, space, make_space, member,
                                                           which, message):
    elsewhere = make_space(desks=1)
    code = {"yesterday": daily_code(space, date(2027, 3, 1)),
            "elsewhere": daily_code(elsewhere, TODAY), "made up": "ABCDEF"}[which]
    booking = book(member, resources_of(space)[0].id, at("09:00"), at("12:00"))
    html = html_of(client.get(f"/checkin/{space.slug}?code={code}"), 422)
    assert message in html and 'aria-invalid="true"' in html
    assert "Jetzt einchecken" not in html
    # Posting the form with that code anyway changes nothing.
    response = client.post(f"/checkin/{space.slug}", data={
        "code": code, "booking_id": booking.id,
        "csrf_token": csrf_token(client, f"/checkin/{space.slug}")})
    assert response.status_code == 302
    assert booking_of(booking.id).status == "confirmed" and visits() == []


def test_the_code_typed_by_hand_works_too(client, space, member):
    book(member, resources_of(space)[0].id, at("09:00"), at("12:00"))
    html = html_of(client.get(f"/checkin/{space.slug}"))
    assert '<label for="code">Code des Tages</label>' in html
    typed = daily_code(space, TODAY).lower()
    assert "Jetzt einchecken" in html_of(client.get(f"/checkin/{space.slug}?code={typed}"))


def test_without_a_booking_a_covered_member_takes_a_free_desk(client, space, door, member):
    html = html_of(client.get(door))
    assert "Gerade keine Buchung" in html and "Buchen und einchecken" in html
    response = client.post(f"/checkin/{space.slug}/walk-up", data={
        "code": daily_code(space, TODAY), "end": "2027-03-02T12:00:00+01:00",
        "csrf_token": csrf_token(client, door)})
    assert response.status_code == 302
    assert "Du bist an Desk 1 eingecheckt, bis 12:00 Uhr." in html_of(client.get(door))
    (visit,) = visits()
    booking = booking_of(visit.booking_id)
    assert booking.source == "walk-in" and booking.start_at == at("08:30")
    assert (booking.user_id, booking.status) == (member.id, "checked_in")


def test_without_a_plan_the_member_pays_a_day_pass_on_site(client, space, door, make_user,
                                                           login, frozen):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    make_user(email="uncovered@example.org", covered=False)
    login("uncovered@example.org")
    frozen.set("2027-03-02T10:10:00+01:00")
    body = {"code": daily_code(space, TODAY), "end": "2027-03-02T18:00:00+01:00",
            "csrf_token": csrf_token(client, door)}
    response = client.post(f"/checkin/{space.slug}/walk-up", data=body)
    html = html_of(response, 402)
    assert "Bezahl einen Tagespass (15,00\xa0€) vor Ort" in html
    assert "Tagespass vor Ort bezahlen und einchecken" in html
    assert visits() == []
    response = client.post(f"/checkin/{space.slug}/walk-up",
                           data={**body, "pay_day_pass": "1"})
    assert response.status_code == 302
    (visit,) = visits()
    assert booking_of(visit.booking_id).status == "checked_in"


def test_a_full_space_says_so(client, space, door, member, make_user, frozen):
    frozen.set("2027-03-02T07:00:00+01:00")
    for desk in resources_of(space):
        book(make_user(), desk.id, at("08:00"), at("18:00"))
    frozen.set("2027-03-02T08:20:00+01:00")
    assert "Gerade ist kein Platz frei. Frag bitte das Team vor Ort." in \
        html_of(client.get(door))


def test_someone_elses_booking_is_not_found(client, space, door, member, make_user):
    booking = book(make_user(), resources_of(space)[0].id, at("09:00"), at("12:00"))
    response = client.post(f"/checkin/{space.slug}", data={
        "code": daily_code(space, TODAY), "booking_id": booking.id,
        "csrf_token": csrf_token(client, door)})
    assert response.status_code == 404
    assert booking_of(booking.id).status == "confirmed"


def test_the_door_page_says_how_to_get_in_and_what_is_still_to_pay(client, space, door,
                                                                    make_user, login, frozen):
    space.access = "Schlüsselbox am Hoftor, Code beim Gastgeber"
    card = make_plan("10er-Karte", spaces=[space])
    nina = make_user(email="nina@example.org", covered=False)
    buy(nina, card.id, online=False)
    book(nina, resources_of(space)[0].id, at("09:00"), at("12:00"))
    login("nina@example.org")
    frozen.set("2027-03-02T08:50:00+01:00")
    html = html_of(client.get(door))
    assert "Schlüsselbox am Hoftor, Code beim Gastgeber" in html
    assert "Noch vor Ort zu zahlen:" in html and "120,00\xa0€ für den Tarif „10er-Karte“" in html
