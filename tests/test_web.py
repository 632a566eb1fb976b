"""The web UI: spaces overview, the grid, booking in two steps, my bookings, forms and CSRF."""
import re

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.extensions import db
from tests.factories import csrf_token, resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


@pytest.fixture
def member(make_user, login):
    user = make_user(email="web@example.org")
    login("web@example.org")
    return user


def free_slot_links(page):
    return re.findall(r'href="(/spaces/[^"]+/book\?[^"]+)"', page)


def test_the_overview_lists_every_space(client, runner):
    runner.invoke(args=["seed-demo"])
    page = client.get("/").get_data(as_text=True)
    for name in ("Wittenberge", "Dießen am Ammersee", "Dippoldiswalde", "Mölln", "Oestrich-Winkel"):
        assert name in page
    assert '<html lang="de">' in page


def test_the_day_timeline_links_every_free_stretch_and_marks_taken_ones(space, client, api):
    desk = resources_of(space)[0]
    api().post("/api/v1/bookings", json={"resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
                                         "end": "2027-03-02T10:00:00+01:00"})
    page = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    links = free_slot_links(page)
    # The booked desk: free before and after its booking; the other two resources free all day.
    assert len(links) == 4
    assert re.findall(rf'data-resource="{desk.id}" data-start="(\d\d:\d\d)" data-end="(\d\d:\d\d)"',
                      page) == [("08:00", "09:00"), ("10:00", "18:00")]
    assert 'aria-label="Desk 1 frei 10:00–18:00, buchen"' in page
    assert page.count('class="slot taken ') == 1 and "belegt 09:00–10:00" in page


def test_the_week_view_tells_the_free_time_per_day(space, client):
    page = client.get(f"/spaces/{space.slug}?date=2027-03-03&view=week").get_data(as_text=True)
    assert page.count('<li class="has-free">') == 7 * 3
    assert page.count("10 Std.") == 7 * 3


def test_a_closed_day_says_why(space, client):
    page = client.get(f"/spaces/{space.slug}?date=2027-03-26").get_data(as_text=True)
    assert "Karfreitag" in page and not free_slot_links(page)


def test_booking_from_the_grid_takes_two_steps(space, client, member):
    page = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    link = free_slot_links(page)[0].replace("&amp;", "&")  # Desk 1, free all day from 08:00
    confirm = client.get(link)
    assert confirm.status_code == 200
    form = confirm.get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|resource_id|start)"[^>]*value="([^"]*)"', form))
    selected = re.search(r'<option selected value="([^"]+)"', form) or re.search(r'<option value="([^"]+)" selected', form)
    response = client.post(link.split("?")[0], data={**fields, "end": selected.group(1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/bookings")
    booking = db.session.scalar(select(Booking))
    assert booking.user_id == member.id and booking.status == "confirmed"
    mine = client.get("/bookings").get_data(as_text=True)
    assert "Desk" in mine and "08:00" in mine


def test_a_rule_broken_in_the_form_is_shown_beside_the_field(space, client, member):
    desk = resources_of(space)[0]
    token = csrf_token(client, f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-02T10:00:00%2B01:00")
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T19:00:00+01:00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="end-error"' in page and "18:00" in page
    assert db.session.scalar(select(Booking)) is None


def test_a_slot_taken_meanwhile_is_explained_on_the_form(space, client, member, make_user):
    from datetime import datetime

    from coworking.bookings.service import book

    desk = resources_of(space)[0]
    url = f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-02T10:00:00%2B01:00"
    token = csrf_token(client, url)
    book(make_user(), desk.id, datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
         datetime.fromisoformat("2027-03-02T11:00:00+01:00"))
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T10:30:00+01:00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="end-error">Desk 1 in {space.town.name} ist von 10:00 bis 11:00 schon gebucht.</p>' in page
    assert re.search(r'<option selected value="2027-03-02T10:30:00\+01:00">10:30</option>', page)


def test_garbage_in_the_booking_form_is_refused_without_error_pages(space, client, member):
    token = csrf_token(client, "/login")
    for data in ({"resource_id": "x", "start": "y", "end": "z"},
                 {"resource_id": "999999", "start": "2027-03-02T10:00:00+01:00", "end": "2027-03-02T10:30:00+01:00"},
                 {"resource_id": "1", "start": "2027-03-02T10:00:00", "end": "2027-03-02T10:30:00"}):
        response = client.post(f"/spaces/{space.slug}/book", data={"csrf_token": token, **data})
        assert response.status_code == 422
    assert client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": "99999999999999999999", "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T10:30:00+01:00"}).status_code == 422
    assert client.get(f"/spaces/{space.slug}/book?resource=1&start=garbage").status_code == 302
    assert client.get(f"/spaces/{space.slug}/book?resource=1&start=0001-01-01T00:00:00%2B01:00").status_code == 302
    # A start off the slot grid is not offered for confirmation.
    assert client.get(f"/spaces/{space.slug}/book?resource=1&start=2027-03-02T10:07:00%2B01:00").status_code == 302
    for view in ("day", "week"):
        assert client.get(f"/spaces/{space.slug}?date=9999-12-31&view={view}").status_code == 200
    assert client.get(f"/spaces/{space.slug}?date=not-a-date").status_code == 200
    assert client.get("/spaces/atlantis").status_code == 404


def test_cancel_from_my_bookings(space, client, member):
    from datetime import datetime

    from coworking.bookings.service import book

    booking = book(member, resources_of(space)[0].id, datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
                   datetime.fromisoformat("2027-03-02T11:00:00+01:00"))
    before = client.get("/bookings").get_data(as_text=True).split(f'id="booking-{booking.id}"')[1]
    assert "Abgedeckt durch" in before.split("</li>")[0] and ".ics" in before.split("</li>")[0]
    token = csrf_token(client, "/bookings")
    response = client.post(f"/bookings/{booking.id}/cancel", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(Booking, booking.id).status == "cancelled"
    # A cancelled booking offers no calendar entry and is covered by nothing any more.
    row = client.get("/bookings").get_data(as_text=True).split(
        f'id="booking-{booking.id}"')[1].split("</li>")[0]
    assert "storniert" in row
    assert "Abgedeckt durch" not in row and ".ics" not in row


def test_someone_elses_booking_cannot_be_cancelled_from_the_web(space, client, member, make_user):
    from datetime import datetime

    from coworking.bookings.service import book

    other = book(make_user(), resources_of(space)[0].id, datetime.fromisoformat("2027-03-02T10:00:00+01:00"),
                 datetime.fromisoformat("2027-03-02T11:00:00+01:00"))
    token = csrf_token(client, "/bookings")
    assert client.post(f"/bookings/{other.id}/cancel", data={"csrf_token": token}).status_code == 404
    assert db.session.get(Booking, other.id).status == "confirmed"


def test_a_form_without_its_csrf_token_is_refused_and_the_page_shown_again(space, client, member):
    desk = resources_of(space)[0]
    here = f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-02T10:00:00%2B01:00"
    response = client.post(here, data={
        "resource_id": desk.id, "start": "2027-03-02T10:00:00+01:00", "end": "2027-03-02T10:30:00+01:00"})
    assert response.status_code == 303
    assert response.headers["Location"] == here
    assert db.session.scalar(select(Booking)) is None
    page = client.get(here).get_data(as_text=True)
    assert "Das Formular war zu lange offen. Bitte noch einmal absenden." in page
    assert 'name="end"' in page  # the same form, ready to send again


def test_booking_pages_ask_to_sign_in_first(space, client):
    response = client.get(f"/spaces/{space.slug}/book?resource=1&start=2027-03-02T10:00:00%2B01:00")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/bookings").status_code == 302


def test_registration_form_shows_errors_beside_fields_and_signs_in(client):
    token = csrf_token(client, "/register")
    bad = client.post("/register", data={"csrf_token": token, "name": "Jo", "email": "nope", "password": "short"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="email-error"' in page and 'id="password-error"' in page
    good = client.post("/register", data={"csrf_token": token, "name": "Jo", "email": "jo@example.org",
                                         "password": "long enough"})
    assert good.status_code == 302
    assert "jo@example.org" == client.get("/api/v1/me").json["email"]


def test_sign_in_redirects_only_to_local_pages(client, make_user):
    make_user(email="r@example.org")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "r@example.org",
                                           "password": "correct horse", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_wrong_password_is_shown_on_the_form(client, make_user):
    make_user(email="w@example.org")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "w@example.org", "password": "wrong"})
    assert response.status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_pages_load_nothing_from_other_hosts(space, client):
    """A plain link elsewhere (<a href>, such as a space's map link) loads nothing; any other
    element pointing elsewhere would."""
    for path in ("/", f"/spaces/{space.slug}", "/login", "/register"):
        page = client.get(path).get_data(as_text=True)
        elsewhere = re.findall(r'<(\w+)[^>]*?\s(?:src|href|srcset|action|data|poster)='
                               r'"(?:https?:)?//', page)
        assert set(elsewhere) <= {"a"}, (path, elsewhere)


def test_a_booking_form_time_without_its_t_is_refused(space, client, member):
    desk = resources_of(space)[0]
    token = csrf_token(client, f"/spaces/{space.slug}/book?resource={desk.id}&start=2027-03-02T10:00:00%2B01:00")
    response = client.post(f"/spaces/{space.slug}/book", data={
        "csrf_token": token, "resource_id": desk.id, "start": "2027-03-02 10:00:00+01:00",
        "end": "2027-03-02 10:30:00+01:00"})
    assert response.status_code == 422
    assert db.session.scalar(select(Booking)) is None
