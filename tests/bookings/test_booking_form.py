"""The booking form in the browser's way of using it: pressed twice, sent again after the
slot was taken, reached again with the Back button."""
import re
import threading
from datetime import datetime
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.bookings import service
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.extensions import db
from tests.factories import resources_of


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2)


@pytest.fixture
def member(make_user, login):
    user = make_user(email="form@example.org")
    login("form@example.org")
    return user


def at(text, day="2027-03-02"):
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


def confirm_url(space, desk, start="10:00", end=None, day="2027-03-02"):
    url = f"/spaces/{space.slug}/book?resource={desk.id}&start={quote(at(start, day).isoformat())}"
    return url + (f"&end={quote(at(end, day).isoformat())}" if end else "")


def form_on(page):
    """The fields the confirm page's form sends, its selected end included."""
    fields = dict(re.findall(r'name="(csrf_token|resource_id|start|key)"[^>]*value="([^"]*)"', page))
    selected = re.search(r'<option selected value="([^"]+)"', page)
    if selected:
        fields["end"] = selected.group(1)
    return fields


def open_form(client, space, desk, start="10:00", end=None, day="2027-03-02"):
    response = client.get(confirm_url(space, desk, start, end, day))
    assert response.status_code == 200, response.status_code
    return form_on(response.get_data(as_text=True))


def active_bookings():
    db.session.commit()  # a fresh snapshot: the requests wrote in their own sessions
    return db.session.scalar(select(func.count()).select_from(Booking)
                             .where(Booking.status.in_(ACTIVE_STATUSES)))


def assert_explained(response):
    """A refused form always says why: at the top or beside a field, never a bare 422."""
    page = response.get_data(as_text=True)
    messages = re.findall(r'class="(?:flash )?error"[^>]*>(?:<p>)?([^<]+)</p>', page)
    assert messages and all(m.strip() for m in messages), page[page.find("<main"):]
    return messages


def test_each_confirm_page_carries_a_fresh_one_time_key(space, client, member):
    desk = resources_of(space)[0]
    first, second = open_form(client, space, desk), open_form(client, space, desk)
    assert len(first["key"]) >= 20 and first["key"] != second["key"]


def test_pressing_book_twice_books_once_and_both_land_on_my_bookings(space, client, member):
    desk = resources_of(space)[0]
    form = open_form(client, space, desk, end="11:00")
    book = f"/spaces/{space.slug}/book"
    first, second = client.post(book, data=form), client.post(book, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == "/bookings"
    assert active_bookings() == 1
    page = client.get("/bookings").get_data(as_text=True)
    assert page.count(f"Gebucht: Desk 1 in {space.town.name} am 02.03.2027, 10:00–11:00 Uhr.") == 1
    assert 'class="flash error"' not in page
    # Pressed again later, the form still lands on the same page, now with its message.
    third = client.post(book, data=form, follow_redirects=True)
    assert third.status_code == 200
    assert f"Gebucht: Desk 1 in {space.town.name} am 02.03.2027, 10:00–11:00 Uhr." in third.get_data(as_text=True)
    assert active_bookings() == 1


def test_a_double_tap_arriving_at_once_books_once(space, client, member, app):
    desk = resources_of(space)[0]
    form = open_form(client, space, desk, end="11:00")
    cookie, book = client.get_cookie("session").value, f"/spaces/{space.slug}/book"
    barrier, codes, lock = threading.Barrier(2), [], threading.Lock()

    def tap():
        tab = FlaskClient(app)
        tab.set_cookie("session", cookie)
        barrier.wait(timeout=30)
        try:
            response = tab.post(book, data=form)
            answer = (response.status_code, response.headers.get("Location"))
        except Exception:  # shown in the assertion below
            import traceback
            answer = traceback.format_exc()
        with lock:
            codes.append(answer)

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [(302, "/bookings")] * 2
    assert active_bookings() == 1


def test_a_used_form_sent_with_another_end_books_nothing_and_says_so(space, client, member):
    desk = resources_of(space)[0]
    form = open_form(client, space, desk, end="11:00")
    assert client.post(f"/spaces/{space.slug}/book", data=form).status_code == 302
    changed = client.post(f"/spaces/{space.slug}/book", data={**form, "end": at("12:00").isoformat()})
    assert changed.status_code == 422
    assert ("Mit diesem Formular wurde schon etwas anderes gebucht. Bitte prüf deine Auswahl und "
            "buche noch einmal.") in assert_explained(changed)
    assert form_on(changed.get_data(as_text=True))["key"] != form["key"]
    assert active_bookings() == 1


def test_a_stale_form_names_the_taken_part_keeps_the_chosen_end_and_offers_free_ones(
        space, client, member, make_user):
    desk, other_desk = resources_of(space)
    form = open_form(client, space, desk, start="09:30", end="11:30")
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    response = client.post(f"/spaces/{space.slug}/book", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="end-error">Desk 1 in {space.town.name} ist von 10:00 bis 11:00 schon gebucht.</p>' in page
    assert form_on(page)["end"] == "2027-03-02T11:30:00+01:00"
    # Free instead: the other desk at the same time, and the same desk at the nearest time.
    section = page[page.index('<section class="alternatives"'):]
    offers = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', section)
    assert [label for _, label in offers] == ["Desk 2, 09:30–11:30", "Desk 1, 08:00–10:00"]
    offered = client.get(offers[0][0].replace("&amp;", "&")).get_data(as_text=True)
    assert form_on(offered)["resource_id"] == str(other_desk.id)
    assert form_on(offered)["end"] == "2027-03-02T11:30:00+01:00"


def test_a_form_whose_start_was_taken_explains_itself_on_every_press(space, client, member,
                                                                      make_user):
    desk = resources_of(space)[0]
    form = open_form(client, space, desk, end="10:30")
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    book = f"/spaces/{space.slug}/book"
    for press in range(2):
        response = client.post(book, data=form)
        assert response.status_code == 422
        assert assert_explained(response) == [f"Desk 1 in {space.town.name} ist von 10:00 bis 11:00 schon gebucht."]
        assert form_on(response.get_data(as_text=True))["end"] == form["end"]
    # A form that lost its end list on the way (as re-shown forms once did) still says why.
    without_end = {name: value for name, value in form.items() if name != "end"}
    bare = client.post(book, data=without_end)
    assert bare.status_code == 422
    assert assert_explained(bare) == ["Bitte wähle eine Uhrzeit aus der Liste."]
    assert active_bookings() == 1


def test_every_refused_form_says_why(space, client, member):
    desk = resources_of(space)[0]
    form = open_form(client, space, desk)
    for changes in ({"end": "19:00"}, {"end": "garbage"}, {"start": "garbage"}, {"resource_id": ""},
                    {"resource_id": "424242"}, {"key": "x" * 201}, {"key": "new\nline"},
                    {"start": at("07:00").isoformat(), "end": at("08:00").isoformat()}):
        if changes.get("end") == "19:00":
            changes = {"end": at("19:00").isoformat()}
        response = client.post(f"/spaces/{space.slug}/book", data={**form, **changes})
        assert response.status_code == 422, changes
        assert_explained(response)
    assert active_bookings() == 0


def test_back_after_booking_shows_the_slot_as_your_booking(space, client, member):
    desk = resources_of(space)[0]
    url = confirm_url(space, desk, "10:00", "11:00")
    form = form_on(client.get(url).get_data(as_text=True))
    client.post(f"/spaces/{space.slug}/book", data=form)
    booking = db.session.scalar(select(Booking))
    for again in (url, confirm_url(space, desk, "10:30")):
        response = client.get(again)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        page = response.get_data(as_text=True)
        assert "<h1>Deine Buchung</h1>" in page and 'class="flash error"' not in page
        assert f'href="/bookings#booking-{booking.id}"' in page
        assert "10:00" in page and "11:00" in page
    mine = client.get("/bookings").get_data(as_text=True)
    assert f'id="booking-{booking.id}"' in mine


def test_a_slot_someone_else_took_still_sends_the_member_back_to_the_grid(space, client, member,
                                                                          make_user):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    response = client.get(confirm_url(space, desk, "10:00"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/spaces/{space.slug}?date=2027-03-02"


@pytest.mark.parametrize("start,day,why", [
    ("06:00", "2027-03-01", "Der Beginn liegt in der Vergangenheit."),  # 07:00 now
    ("23:00", "2027-03-02", "hat an diesem Tag um 23:00 Uhr nicht geöffnet"),
    ("10:00", "2030-03-04", "Du kannst bis zu 365 Tage im Voraus buchen"),
])
def test_a_link_that_cannot_be_booked_says_why(space, client, member, start, day, why):
    response = client.get(confirm_url(space, resources_of(space)[0], start, day=day))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert why in page and "nicht mehr frei" not in page


def test_a_slot_someone_took_is_still_called_taken(space, client, member, make_user):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("10:00"), at("11:00"))
    response = client.get(confirm_url(space, desk, "10:00"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dieses Zeitfenster ist nicht mehr frei." in page


def test_the_confirm_page_is_never_stored(space, client, member):
    response = client.get(confirm_url(space, resources_of(space)[0]))
    assert response.headers["Cache-Control"] == "no-store"


def test_a_space_limit_is_explained_on_the_form(make_space, frozen, client, member):
    space = make_space(desks=1, max_desk_days=2)
    desk = resources_of(space)[0]
    for day in ("2027-03-02", "2027-03-03"):
        service.book(member, desk.id, at("10:00", day), at("11:00", day))
    form = open_form(client, space, desk, "10:00", "11:00", day="2027-03-04")
    refused = client.post(f"/spaces/{space.slug}/book", data=form)
    assert refused.status_code == 422
    assert assert_explained(refused) == [
        f"Du hast in {space.name} schon an 2 kommenden Tagen einen Platz gebucht, so viele wie "
        "dort pro Person möglich sind. Um einen weiteren Tag zu buchen, storniere zuerst einen davon."]


def test_the_same_slot_booked_in_another_tab_is_named_as_the_members_own(space, client, member):
    desk = resources_of(space)[0]
    first_tab = open_form(client, space, desk, end="11:00")
    second_tab = open_form(client, space, desk, end="11:00")
    assert client.post(f"/spaces/{space.slug}/book", data=first_tab).status_code == 302
    response = client.post(f"/spaces/{space.slug}/book", data=second_tab)
    assert response.status_code == 422
    assert assert_explained(response) == [f"Du hast Desk 1 in {space.town.name} schon von 10:00 bis 11:00 gebucht."]
    assert active_bookings() == 1


def test_a_chosen_desk_can_start_later_than_its_free_stretch(space, client, member, make_user):
    desk = resources_of(space)[0]
    service.book(make_user(), desk.id, at("08:00"), at("09:00"))
    page = client.get(confirm_url(space, desk, "09:00")).get_data(as_text=True)
    later = page[page.index('class="later-start"'):]
    later = later[:later.index("</form>")]
    starts = re.findall(r'<option value="([^"]+)"', later)
    assert starts[0] == at("09:00").isoformat() and starts[-1] == at("17:30").isoformat()
    assert at("08:00").isoformat() not in starts  # taken, not part of this stretch
    # The member picks 13:00: the page comes back from there, and the booking starts then.
    fields = open_form(client, space, desk, start="13:00")
    assert fields["start"] == at("13:00").isoformat()
    fields["end"] = at("15:00").isoformat()
    response = client.post(f"/spaces/{space.slug}/book", data=fields)
    assert response.status_code == 302
    booking = db.session.scalars(select(Booking).where(Booking.user_id == member.id)).one()
    assert (booking.start_at, booking.end_at) == (at("13:00"), at("15:00"))
