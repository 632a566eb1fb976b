"""Time first on a space's page: the member picks a day and a time range, sees how many desks
are free for all of it, and books any free one with one button (the one they had last time
there preferred); without cover the offers, with none free a message."""
import re
from datetime import date, datetime, time
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select

from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.factories import (
    csrf_token,
    give_billing_details,
    make_plan,
    order_through_summary,
    resources_of,
)

DAY = "2027-03-02"  # a Tuesday; the clock stands at Monday 2027-03-01 07:00


def at(space, day, hh, mm=0):
    return datetime.combine(date.fromisoformat(day), time(hh, mm), tzinfo=space.zone)


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=1, booths=0)


@pytest.fixture
def english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def member(make_user, login, english):
    user = make_user(email="timefirst@example.org")
    login(user.email)
    return user


def page(client, space, **query):
    response = client.get(f"/spaces/{space.slug}", query_string=query)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def panel(client, space, **query):
    html = page(client, space, **query)
    return html[html.index('id="time-first"'):html.index('id="choose-place"')]


def selected(html, name):
    select_ = re.search(rf'<select id="tf-{name}" name="{name}">(.*?)</select>', html, re.S)
    return re.search(r"<option selected>([^<]+)</option>", select_.group(1)).group(1)


def post(client, space, start, end, kind="hot_desk", **extra):
    token = csrf_token(client, f"/spaces/{space.slug}?date={start.date().isoformat()}")
    return client.post(f"/spaces/{space.slug}/book-any", data={
        "csrf_token": token, "kind": kind, "start": start.isoformat(), "end": end.isoformat(),
        **extra})


def bookings():
    db.session.expire_all()
    return db.session.scalars(select(Booking).order_by(Booking.id)).all()


def test_counts_free_desks_over_the_whole_range(client, space, make_user, english):
    desks = resources_of(space)
    book(make_user(), desks[0].id, at(space, DAY, 10), at(space, DAY, 11))
    book(make_user(), desks[1].id, at(space, DAY, 15), at(space, DAY, 16))
    assert "1 of 3 desks free from 08:00 to 18:00" in panel(client, space, date=DAY)
    assert "1 of 3 desks free from 10:30 to 15:30" in panel(
        client, space, date=DAY, **{"from": "10:30", "until": "15:30"})
    assert "3 of 3 desks free from 08:00 to 10:00" in panel(
        client, space, date=DAY, **{"from": "08:00", "until": "10:00"})
    # A range that only touches bookings is free on their desks.
    assert "3 of 3 desks free from 11:00 to 15:00" in panel(
        client, space, date=DAY, **{"from": "11:00", "until": "15:00"})
    assert "2 of 3 desks free from 11:00 to 16:00" in panel(
        client, space, date=DAY, **{"from": "11:00", "until": "16:00"})


def test_a_member_with_a_desk_at_that_time_is_told_before_the_last_tap(client, space,
                                                                       member, make_space):
    elsewhere = make_space(desks=1)
    book(member, resources_of(elsewhere)[0].id, at(space, DAY, 9), at(space, DAY, 11))
    html = panel(client, space, date=DAY, **{"from": "10:00", "until": "12:00"})
    assert "You already have a desk at this time" in html
    assert (f"Your booking at that time: Desk 1 in {elsewhere.town.name}, 09:00–11:00."
            in html)
    assert 'id="book-any"' not in html
    # Outside that time the desks count as free for the member again.
    assert "3 of 3 desks free from 11:00 to 15:00" in panel(
        client, space, date=DAY, **{"from": "11:00", "until": "15:00"})
    # A room is no desk: booking one at the same time is still offered.
    rooms = panel(client, space, date=DAY, kind="meeting_room", **{"from": "10:00",
                                                                    "until": "12:00"})
    assert "1 of 1 meeting room free" in rooms


def test_the_default_range_is_the_rest_of_today_or_the_whole_day(client, space, frozen,
                                                                english):
    html = panel(client, space)
    assert (selected(html, "from"), selected(html, "until")) == ("08:00", "18:00")
    frozen.set("2027-03-01T13:10:00+01:00")
    html = panel(client, space)
    assert (selected(html, "from"), selected(html, "until")) == ("13:30", "18:00")
    assert "<option>13:00</option>" not in html  # begun already: not on offer
    assert "3 of 3 desks free from 13:30 to 18:00" in html
    html = panel(client, space, date="2027-03-03")
    assert (selected(html, "from"), selected(html, "until")) == ("08:00", "18:00")
    # Only "from" chosen: until the end of that opening stretch.
    html = panel(client, space, date="2027-03-03", **{"from": "12:00"})
    assert (selected(html, "from"), selected(html, "until")) == ("12:00", "18:00")


def test_quick_days_today_tomorrow_and_the_week_with_closed_days_named(
        client, make_space, frozen, english):
    weekdays_only = {d: [(time(8), time(18))] for d in range(5)}
    space = make_space(hours=weekdays_only)
    db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 4),
                           end_date=date(2027, 3, 4), reason="Betriebsausflug"))
    db.session.commit()
    html = panel(client, space)
    days = re.findall(r'class="quick-day( closed)?" data-date="([\d-]+)"', html)
    assert [d for _closed, d in days] == [f"2027-03-0{n}" for n in range(1, 8)]
    assert [d for closed, d in days if closed] == ["2027-03-04", "2027-03-06", "2027-03-07"]
    assert re.search(r'data-date="2027-03-01"\s+href="[^"]*"\s+aria-current="date">Today<', html)
    assert re.search(r'data-date="2027-03-02"\s+href="/spaces/[^"]+date=2027-03-02#time-first"'
                     r'[^>]*>Tomorrow<', html)
    assert "Betriebsausflug" in html
    closed = panel(client, space, date="2027-03-04")
    assert "Closed: Betriebsausflug" in closed and 'id="book-any"' not in closed
    sunday = panel(client, space, date="2027-03-07")
    assert "Closed on this day." in sunday and "tf-from" not in sunday


def test_after_closing_today_is_over(client, space, frozen, english):
    frozen.set("2027-03-01T18:10:00+01:00")
    html = panel(client, space)
    assert "Nothing more can be booked today." in html and 'id="book-any"' not in html
    assert re.search(r'quick-day closed" data-date="2027-03-01">Today <small>over', html)


@pytest.mark.parametrize("query, message", [
    ({"date": "garbage"}, "That is not a date we know"),
    ({"date": "2027-02-30"}, "That is not a date we know"),
    ({"date": DAY, "from": "25:00"}, "Please choose times within the opening hours (08:00–18:00)."),
    ({"date": DAY, "from": "06:00", "until": "09:00"}, "within the opening hours"),
    ({"date": DAY, "from": "17:00", "until": "20:00"}, "within the opening hours"),
    ({"date": DAY, "from": "15:00", "until": "10:00"}, "The end must be after the start."),
    ({"date": DAY, "from": "10:00", "until": "10:00"}, "The end must be after the start."),
    ({"date": DAY, "from": "<b>", "until": "later"}, "within the opening hours"),
    ({"date": DAY, "kind": "spaceship"}, "Please choose what to book from the list."),
])
def test_bad_query_values_give_a_message_not_an_error(client, space, english, query, message):
    html = panel(client, space, **query)
    assert message in html


def test_an_unknown_date_names_the_day_shown_without_a_double_period(client, space):
    html = panel(client, space, date="2027-02-30")
    assert "Dieses Datum kennen wir nicht. Stattdessen gezeigt: Mo. 1.3." in html
    assert ".." not in html.split("Dieses Datum", 1)[1].split("<", 1)[0]


def test_a_range_that_breaks_a_rule_names_it_and_offers_no_button(client, make_space, frozen,
                                                                  english, make_user, login):
    space = make_space(max_booking_minutes=120)
    login(make_user().email)
    html = panel(client, space, date=DAY)
    assert "A booking may last at most 2:00 hours." in html
    assert 'id="book-any"' not in html


def test_the_button_books_the_desk_the_member_had_last_time(client, space, member):
    desks = resources_of(space)
    book(member, desks[2].id, at(space, DAY, 9), at(space, DAY, 10))
    day = "2027-03-03"
    html = panel(client, space, date=day)
    assert 'id="book-any"' in html and "3 of 3 desks free" in html
    response = post(client, space, at(space, day, 8), at(space, day, 18))
    assert response.status_code == 302 and response.location.endswith("/bookings")
    mine = client.get("/bookings").get_data(as_text=True)
    assert "Booked: Desk 3" in mine
    booking = bookings()[-1]
    assert (booking.resource_id, booking.user_id, booking.status, booking.source) == \
        (desks[2].id, member.id, "confirmed", "web")
    assert booking.start_at == at(space, day, 8) and booking.end_at == at(space, day, 18)


def test_sending_the_same_panel_twice_books_once(client, space, member):
    html = page(client, space, date=DAY)
    form = dict(re.findall(r'<input name="(\w+)" type="hidden" value="([^"]*)">', html))
    form.update(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    assert set(form) >= {"csrf_token", "kind", "start", "end", "key"}
    first = client.post(f"/spaces/{space.slug}/book-any", data=form)
    again = client.post(f"/spaces/{space.slug}/book-any", data=form)
    assert first.status_code == again.status_code == 302
    assert len([b for b in bookings() if b.user_id == member.id]) == 1


def test_without_cover_the_offers_and_the_day_pass_show(client, space, make_user, login,
                                                        english):
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    make_plan("10er-Karte", kind="multi_pass", price_cents=12000, spaces=[space])
    user = make_user(covered=False)
    login(user.email)
    response = post(client, space, at(space, DAY, 9), at(space, DAY, 12))
    assert response.status_code == 402
    html = unescape(response.get_data(as_text=True))
    assert "No plan of yours covers this booking" in html
    assert "Tagespass" in html and "10er-Karte" in html
    assert 'name="pay_day_pass"' in html
    assert not bookings()
    # Paying this booking alone with the day pass, from that page (no Stripe: on site).
    form = dict(re.findall(r'<input id="\w+" name="(\w+)" type="hidden" value="([^"]*)">', html))
    form["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                   html).group(1)
    give_billing_details(user)  # asked on the way otherwise
    paid = order_through_summary(client, client.post(
        f"/spaces/{space.slug}/book-any", data={**form, "pay_day_pass": "Pay with a day pass"}))
    assert paid.status_code == 302 and paid.location.endswith("/bookings")
    assert "Please pay the day pass" in client.get("/bookings").get_data(as_text=True)
    (booking,) = bookings()
    assert booking.user_id == user.id and booking.start_at == at(space, DAY, 9)


def test_none_free_says_so_on_the_panel_and_after_the_button(client, space, make_user,
                                                             member):
    for desk in resources_of(space):
        book(make_user(), desk.id, at(space, DAY, 12), at(space, DAY, 13))
    html = panel(client, space, date=DAY)
    assert "0 of 3 desks free from 08:00 to 18:00" in html
    assert "Nothing is free for all of this time." in html and 'id="book-any"' not in html
    assert "2 of 3" not in html
    assert 'action="/waitlist' in html and 'name="kind" value="hot_desk"' in html  # wait for one
    # The panel was shown while one was free; the button comes too late.
    response = post(client, space, at(space, DAY, 9), at(space, DAY, 17))
    assert response.status_code == 409
    text = unescape(response.get_data(as_text=True))
    assert "No Hot desk in" in text and "09:00" in text
    assert 'action="/waitlist' in text
    assert f'href="/spaces/{space.slug}?date={DAY}' in text  # back to the panel


def test_a_room_by_the_half_hour(client, space, member):
    html = panel(client, space, date=DAY, kind="meeting_room",
                 **{"from": "10:00", "until": "10:30"})
    assert "1 of 1 meeting room free from 10:00 to 10:30" in html
    assert '<option value="meeting_room" selected>' in html
    response = post(client, space, at(space, DAY, 10), at(space, DAY, 10, 30),
                    kind="meeting_room")
    assert response.status_code == 302
    (booking,) = bookings()
    assert booking.resource_id == resources_of(space, "meeting_room")[0].id


def test_no_room_choice_where_the_space_has_none(client, make_space, frozen, english):
    space = make_space(rooms=0)
    assert "tf-kind" not in panel(client, space)


def test_a_space_of_rooms_starts_with_its_rooms_and_an_empty_one_says_so(
        client, make_space, frozen, english):
    rooms_only = make_space(desks=0, rooms=1)
    assert "1 of 1 meeting room free from 08:00 to 18:00" in panel(client, rooms_only)
    empty = make_space(desks=0, rooms=0)
    html = panel(client, empty)
    assert "Nothing here can be booked at the moment." in html and "tf-from" not in html


def test_signed_out_the_button_leads_to_sign_in_and_back_to_the_range(
        client, space, make_user, english):
    html = panel(client, space, date=DAY, **{"from": "09:00", "until": "12:00"})
    link = re.search(r'<a class="button primary big" id="book-any" href="([^"]+)"', html).group(1)
    assert link.startswith("/login?next=")
    target = unquote(parse_qs(urlsplit(link).query)["next"][0])
    assert target.startswith(f"/spaces/{space.slug}?") and not target.startswith("//")
    assert parse_qs(urlsplit(target).query) == {"date": [DAY], "from": ["09:00"],
                                                "until": ["12:00"]}
    # "sign in" and "register" are links, both back to the range.
    hint = re.search(r'<p class="hint sign-in-links">(.*?)</p>', html, re.S).group(1)
    sign_in, register = re.findall(r'<a href="([^"]+)">', hint)
    assert sign_in == link and register == link.replace("/login?", "/register?", 1)
    assert re.sub(r"<[^>]+>", "", hint) == "To book, please sign in or register."
    # The sign-in page names the range chosen, as it does for a tapped slot.
    login_page = unescape(client.get(link).get_data(as_text=True))
    named = login_page[login_page.index('class="flash notice waiting-slot"'):]
    named = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", named[:named.index("</section>")]))
    assert space.name in named and "any free one: Hot desk" in named
    assert "Tuesday, March 2, 2027" in named and "09:00–12:00" in named
    user = make_user()
    signed_in = client.post(link, data={"email": user.email, "password": "correct horse",
                                        "next": target,
                                        "csrf_token": csrf_token(client, link)})
    assert signed_in.status_code == 302 and signed_in.location.endswith(target)
    back = panel(client, space, **parse_qs(urlsplit(target).query))
    assert (selected(back, "from"), selected(back, "until")) == ("09:00", "12:00")
    assert '<button type="submit" name="submit" value="1" class="primary big" id="book-any">' \
        in back


@pytest.mark.parametrize("data", [
    {"kind": "hot_desk", "start": "yesterday", "end": "2027-03-02T10:00:00+01:00"},
    {"kind": "spaceship", "start": "2027-03-02T09:00:00+01:00",
     "end": "2027-03-02T10:00:00+01:00"},
    {"kind": "hot_desk", "start": "2027-03-02T09:00:00", "end": "2027-03-02T10:00:00"},
    {},
])
def test_a_broken_form_goes_back_to_the_page_with_a_message(client, space, member, data):
    token = csrf_token(client, f"/spaces/{space.slug}")
    response = client.post(f"/spaces/{space.slug}/book-any", data={"csrf_token": token, **data})
    assert response.status_code == 302
    assert urlsplit(response.location).path == f"/spaces/{space.slug}"
    assert "This form is out of date" in client.get(response.location).get_data(as_text=True)
    assert not bookings()


def test_a_broken_rule_after_the_button_is_named(client, space, member):
    response = post(client, space, at(space, DAY, 15), at(space, DAY, 10))
    assert response.status_code == 422
    assert "The end must be after the start." in unescape(response.get_data(as_text=True))
    response = post(client, space, at(space, DAY, 7), at(space, DAY, 9))
    assert response.status_code == 422
    assert not bookings()


def test_the_panel_costs_four_statements_however_many_desks_and_bookings(app, make_space,
                                                                        make_user, frozen):
    from sqlalchemy import event

    from coworking.browse.time_first import time_first
    from coworking.spaces.service import get_space

    space = make_space(desks=10, rooms=2, booths=2)
    for hour, desk in enumerate(resources_of(space), start=8):
        book(make_user(), desk.id, at(space, DAY, hour), at(space, DAY, hour + 1))
    db.session.commit()
    space = get_space(space.slug)  # as the page has it: with its hours, for the timeline
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context(f"/spaces/{space.slug}?date={DAY}"):
            panel = time_first(space, date.fromisoformat(DAY), date(2027, 3, 1), {"date": DAY})
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert (panel.free, panel.total) == (0, 10)
    queries = [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]
    assert len(queries) == 4, "\n".join(q[:150] for q in queries)
