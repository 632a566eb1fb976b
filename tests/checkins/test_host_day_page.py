"""The host's day page: today's bookings by time with names and states, one tap to check in,
check out, mark as not come or mark a day pass paid, walk-ins, who is present, closures and the
days ahead; hosts of the space and admins only. German by default."""
import re
from datetime import date

import pytest

from coworking.bookings.service import book
from coworking.checkins.codes import daily_code
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.checkins.helpers import at, audit_entries, booking_of, visits
from tests.factories import csrf_token, make_plan, resources_of


@pytest.fixture
def signed_in_host(host, login):
    login(host.email)
    return host


@pytest.fixture
def day(space, make_user, frozen):
    """Three bookings on Tuesday; the clock at 09:10 that day."""
    desks = resources_of(space)
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    anna = book(make_user(name="Anna Early"), desks[0].id, at("09:00"), at("12:00"))
    ben = book(make_user(name="Ben Later", covered=False), desks[1].id, at("14:00"),
               at("16:00"), pay="day_pass")
    cara = book(make_user(name="Cara Gone"), desks[2].id, at("08:00"), at("10:00"))
    frozen.set("2027-03-02T09:10:00+01:00")
    return {"anna": anna, "ben": ben, "cara": cara}


def page(client, space, **query):
    response = client.get(f"/host/{space.slug}", query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def booking_item(html, booking):
    match = re.search(rf'<li class="booking [a-z_]+" id="booking-{booking.id}".*?</li>', html,
                      re.S)
    assert match, f"booking {booking.id} is not on the page"
    return match.group(0)


def tap(client, space, booking, action):
    return client.post(f"/host/{space.slug}/bookings/{booking.id}/{action}",
                       data={"csrf_token": csrf_token(client, f"/host/{space.slug}")})


def test_the_day_lists_the_bookings_by_time_with_names_states_and_actions(
        client, space, signed_in_host, day):
    html = page(client, space)
    assert "<h1>Space" in html and "Dienstag, 2. März 2027" in html
    assert html.index("Cara Gone") < html.index("Anna Early") < html.index("Ben Later")
    anna = booking_item(html, day["anna"])
    assert "09:00–12:00" in anna and "bestätigt" in anna and "Einchecken" in anna
    ben = booking_item(html, day["ben"])
    assert "Einchecken ab 13:30" in ben and "Vor Ort bezahlt" in ben and "15,00\xa0€" in ben
    cara = booking_item(html, day["cara"])
    assert "Nicht erschienen …</a>" in cara  # 08:00 + 30 minutes' grace have passed
    assert "Nicht erschienen …</a>" not in anna
    assert f'id="checkin-code">{daily_code(space, date(2027, 3, 2))}<' in html
    assert 'data-present="0" data-desks="3"' in html
    assert "Spontanbesuch einchecken" in html  # the walk-in form
    assert 'href="/host">Tagesübersicht</a>' in html  # the navigation


def test_one_tap_checks_in_and_the_page_shows_who_is_present(client, space, signed_in_host,
                                                           day):
    response = tap(client, space, day["anna"], "check-in")
    assert response.status_code == 302
    assert response.location.endswith(f"/host/{space.slug}#booking-{day['anna'].id}")
    html = client.get(response.location).get_data(as_text=True)
    assert "Anna Early ist eingecheckt." in html
    assert 'data-present="1" data-desks="3"' in html
    anna = booking_item(html, day["anna"])
    assert "eingecheckt" in anna and "da seit 09:10" in anna and "Auschecken" in anna
    assert booking_of(day["anna"].id).status == "checked_in"
    assert visits()[0].checked_in_by_id == signed_in_host.id

    tap(client, space, day["anna"], "check-out")
    assert booking_of(day["anna"].id).status == "completed"
    assert [e.action for e in audit_entries()] == ["booking.checked_in", "booking.checked_out"]


def test_no_show_and_paid_on_site_are_one_tap_too(client, space, signed_in_host, day):
    tap(client, space, day["cara"], "no-show")
    assert booking_of(day["cara"].id).status == "no_show"
    tap(client, space, day["ben"], "paid")
    html = page(client, space)
    assert "Ben Later hat vor Ort bezahlt." in html
    ben = booking_item(html, day["ben"])
    assert "Vor Ort bezahlt</button>" not in ben and "Vor Ort bezahlt: 15,00\xa0€" in ben
    assert [e.action for e in audit_entries()] == ["booking.no_show", "payment.paid_on_site"]


def test_a_refused_tap_says_why_and_changes_nothing(client, space, signed_in_host, day):
    response = tap(client, space, day["ben"], "check-in")  # 14:00 is hours away
    html = client.get(response.location).get_data(as_text=True)
    assert "Einchecken ist ab 30 Minuten vor Beginn möglich" in html
    assert booking_of(day["ben"].id).status == "confirmed"


def test_a_walk_in_from_the_page(client, space, signed_in_host, day, make_user):
    make_user(email="mara@example.org", name="Mara Member")
    html = page(client, space)
    assert '<option selected value="2027-03-02T18:00:00+01:00">18:00</option>' in html
    response = client.post(f"/host/{space.slug}/walk-ins", data={
        "email": "mara@example.org", "resource_id": "", "end": "2027-03-02T13:00:00+01:00",
        "csrf_token": csrf_token(client, f"/host/{space.slug}")})
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Mara Member ist an Desk 2 eingecheckt, bis 13:00 Uhr." in html
    assert 'data-present="1"' in html


def walk_in(client, space, token, **fields):
    """The walk-in form sent until 13:00 with these fields."""
    return client.post(f"/host/{space.slug}/walk-ins", data={
        "end": "2027-03-02T13:00:00+01:00", "csrf_token": token, **fields})


def test_a_walk_in_of_a_new_guest_needs_a_name_and_a_valid_address(client, space,
                                                                   signed_in_host, day):
    token = csrf_token(client, f"/host/{space.slug}")
    response = client.post(f"/host/{space.slug}/walk-ins", data={
        "email": "kein@adresse", "end": "2027-03-02T13:00:00+01:00", "csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte gib eine gültige E-Mail-Adresse ein." in html
    assert 'value="kein@adresse"' in html  # what the host typed stays
    # The form posts to its own anchor, so the answer opens at the form and its message,
    # not at the top of a long day.
    assert f'action="/host/{space.slug}/walk-ins#walk-in"' in html
    section = html.split('id="walk-in"', 1)[1].split("</section>", 1)[0]
    assert "Bitte gib eine gültige E-Mail-Adresse ein." in section
    response = walk_in(client, space, token, email="gast@example.org")
    assert response.status_code == 422
    assert "bitte gib den Namen des Gasts ein" in response.get_data(as_text=True)
    response = walk_in(client, space, token, email="gast@example.org", name="Gerd Gast")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Bitte kassiere 15,00\xa0€ für den Tarif „day_pass 1500“." in html


def test_a_walk_in_by_name_only_from_the_page(client, space, signed_in_host, day):
    html = page(client, space)
    assert "E-Mail-Adresse (optional)" in html
    token = csrf_token(client, f"/host/{space.slug}")
    response = walk_in(client, space, token, email="", name="")
    assert response.status_code == 422
    assert "Bitte gib den Namen des Gasts ein oder seine E-Mail-Adresse." in \
        response.get_data(as_text=True)
    response = walk_in(client, space, token, email="", name="Frieda Fremd")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Frieda Fremd ist an Desk 2 eingecheckt, bis 13:00 Uhr." in html
    assert "Bitte kassiere 15,00\xa0€ für den Tarif „day_pass 1500“." in html
    assert "walk-in.invalid" not in html
    payments = client.get("/host/payments").get_data(as_text=True)
    assert "Frieda Fremd" in payments and "walk-in.invalid" not in payments


def test_the_days_ahead_show_their_bookings_without_actions(client, space, signed_in_host, day,
                                                          make_user):
    book(make_user(name="Dora Tomorrow"), resources_of(space)[0].id,
         at("10:00", day="2027-03-03"), at("11:00", day="2027-03-03"))
    html = page(client, space, date="2027-03-03")
    assert "Dora Tomorrow" in html and "Anna Early" not in html
    assert "Einchecken" not in html and "Spontanbesuch" not in html
    assert f'href="/host/{space.slug}?date=2027-03-04"' in html
    assert f'href="/host/{space.slug}?date=2027-03-02"' in html


def test_the_days_closures_are_shown(client, space, signed_in_host, frozen):
    db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 4),
                           end_date=date(2027, 3, 4), reason="Betriebsausflug"))
    db.session.commit()
    assert "Geschlossen: Betriebsausflug" in page(client, space, date="2027-03-04")


def test_another_spaces_host_sees_nothing_of_it(client, space, day, make_user, make_space,
                                                login):
    elsewhere = make_space(desks=1)
    make_user(email="other-host@example.org", role="host", space=elsewhere)
    login("other-host@example.org")
    assert client.get(f"/host/{space.slug}").status_code == 403
    token = csrf_token(client, f"/host/{elsewhere.slug}")
    for action in ("check-in", "no-show"):
        assert client.post(f"/host/{space.slug}/bookings/{day['anna'].id}/{action}",
                           data={"csrf_token": token}).status_code == 403
        # Through their own space's page the booking does not exist.
        assert client.post(f"/host/{elsewhere.slug}/bookings/{day['anna'].id}/{action}",
                           data={"csrf_token": token}).status_code == 404
    assert booking_of(day["anna"].id).status == "confirmed"
    # One space only: /host goes straight to it.
    assert client.get("/host").location.endswith(f"/host/{elsewhere.slug}")


def test_members_have_no_host_pages(client, space, make_user, login):
    make_user(email="m@example.org")
    login("m@example.org")
    assert client.get(f"/host/{space.slug}").status_code == 403
    assert client.get("/host").status_code == 403
    assert "Tagesübersicht" not in client.get("/").get_data(as_text=True)


def test_an_admin_sees_every_space(client, space, make_space, make_user, login):
    other = make_space(desks=1)
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    html = client.get("/host").get_data(as_text=True)
    assert f'href="/host/{space.slug}"' in html and f'href="/host/{other.slug}"' in html
    assert client.get(f"/host/{other.slug}").status_code == 200
