"""The overview answers "can I go today?": free hot desks now and for the rest of the day,
today's hours with the week behind a toggle, closed days with their reason and the next
opening; and what the hosts wrote, with a link (only a link) to OpenStreetMap."""
import re
from contextlib import contextmanager
from datetime import date, datetime, time

import pytest
from sqlalchemy import event

from coworking.bookings.service import book
from coworking.checkins.service import check_in
from coworking.extensions import db
from coworking.spaces.models import Closure, Resource
from tests.factories import csrf_token, resources_of

MONDAY = date(2027, 3, 1)


def at(text, day="2027-03-01"):
    return datetime.fromisoformat(f"{day}T{text}:00+01:00")


def card(page, slug):
    """The HTML of one space's card: up to the next card or the end of the main part."""
    start = page.find(f'<li class="card" data-space="{slug}">')
    assert start >= 0, f"no card for {slug}"
    end = min(i for i in (page.find('<li class="card"', start + 1), page.find("</main>", start))
              if i >= 0)
    return re.sub(r"\s+", " ", page[start:end])


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def busy(make_space, make_user, frozen):
    """Monday, five hot desks and a fixed desk: one checked in since 08:00, one overdue
    (booked from 08:00, nobody came), one booked from 09:00, one booked this afternoon,
    one free."""
    space = make_space(slug="busy", desks=5)
    db.session.add(Resource(space_id=space.id, kind="fixed_desk", name="Fixed"))
    db.session.commit()
    host = make_user(role="host", space=space)
    d1, d2, d3, d4, _d5 = resources_of(space)
    checked_in = book(make_user(), d1.id, at("08:00"), at("12:00"))
    book(make_user(), d2.id, at("08:00"), at("10:00"))
    book(make_user(), d3.id, at("09:00"), at("11:00"))
    book(make_user(), d4.id, at("14:00"), at("15:00"))
    frozen.set("2027-03-01T08:00:00+01:00")
    check_in(host, checked_in.id)
    frozen.set("2027-03-01T09:10:00+01:00")
    return space


def test_the_card_counts_free_desks_now_and_for_the_rest_of_the_day(busy, client):
    page = client.get("/").get_data(as_text=True)
    text = text_of(card(page, "busy"))
    # Now: the checked-in desk and the one booked from 09:00 are taken; the overdue one is free.
    assert "Heute 3 von 5 Plätzen frei" in text
    assert "Jetzt: 3 frei" in text
    # Until closing the afternoon booking takes one more; the fixed desk never counts.
    assert "2 davon bis 18:00 durchgehend frei" in text
    assert "Heute geöffnet: 08:00–18:00" in text


def test_before_opening_the_card_says_when_it_opens(make_space, make_user, client, frozen):
    space = make_space(slug="early", desks=3)
    book(make_user(), resources_of(space)[0].id, at("16:00"), at("17:00"))
    text = text_of(card(client.get("/").get_data(as_text=True), "early"))
    assert "Heute 2 von 3 Plätzen frei" in text
    assert "Öffnet heute um 08:00" in text
    assert "Jetzt" not in text


def test_a_closed_day_says_why_and_when_it_opens_next(make_space, client, frozen):
    weekdays = {day: [(time(8), time(18))] for day in range(1, 5)}  # Tuesday to Friday
    make_space(slug="resting", hours=weekdays)
    outing = make_space(slug="outing")
    db.session.add(Closure(space_id=outing.id, start_date=MONDAY, end_date=date(2027, 3, 2),
                           reason="Betriebsausflug"))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    resting, away = text_of(card(page, "resting")), text_of(card(page, "outing"))
    assert "Heute geschlossen" in resting and "Öffnet wieder Di. 2.3. um 08:00" in resting
    assert "Plätzen frei" not in resting
    assert "Heute geschlossen (Betriebsausflug)" in away
    assert "Öffnet wieder Mi. 3.3. um 08:00" in away
    assert "Heute geöffnet: geschlossen" in away


def test_after_closing_time_it_is_closed_for_today(make_space, client, frozen):
    make_space(slug="late")
    frozen.set("2027-03-01T18:30:00+01:00")
    text = text_of(card(client.get("/").get_data(as_text=True), "late"))
    assert "Heute nicht mehr geöffnet" in text
    assert "Öffnet wieder Di. 2.3. um 08:00" in text


def test_the_week_is_behind_a_toggle(make_space, client, frozen):
    make_space(slug="week", hours={0: [(time(8), time(12)), (time(13), time(18))],
                                   5: [(time(9), time(14))]})
    html = card(client.get("/").get_data(as_text=True), "week")
    week = re.search(r'<details class="week-hours">(.*?)</details>', html).group(1)
    assert "<summary>Öffnungszeiten der Woche" in week
    assert "<dt>Mo</dt> <dd>08:00–12:00, 13:00–18:00</dd>" in week
    assert "<dt>Sa</dt> <dd>09:00–14:00</dd>" in week
    assert "<dt>So</dt> <dd>geschlossen</dd>" in week
    assert "Heute geöffnet: 08:00–12:00, 13:00–18:00" in text_of(html)


@contextmanager
def count_statements():
    statements = []

    def record(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_overview_asks_the_database_as_often_for_five_spaces_as_for_one(
        make_space, make_user, client, frozen):
    frozen.set("2027-03-01T10:00:00+01:00")
    first = make_space(desks=2)
    client.get("/")
    with count_statements() as one:
        assert client.get("/").status_code == 200
    for n in range(4):
        space = make_space(desks=3 + n)
        db.session.add(Closure(space_id=space.id, start_date=date(2027, 3, 3),
                               end_date=date(2027, 3, 3), reason="Inventur"))
        db.session.commit()
        for desk in resources_of(space)[:2]:
            book(make_user(), desk.id, at("11:00"), at("12:00"))
    book(make_user(), resources_of(first)[0].id, at("10:00"), at("11:00"))
    db.session.commit()
    with count_statements() as five:
        page = client.get("/").get_data(as_text=True)
    assert page.count('<li class="card"') == 5
    # Spaces with towns, opening hours, hot desks, closures, bookings: five for any number.
    assert len(five) == len(one) <= 5


def test_the_map_is_a_link_to_openstreetmap_and_nothing_is_loaded_from_there(
        make_space, client, frozen):
    placed = make_space(slug="placed")
    placed.latitude, placed.longitude = 53.62751, 10.68936
    unplaced = make_space(slug="unplaced")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert ('href="https://www.openstreetmap.org/?mlat=53.627510&amp;mlon=10.689360'
            '#map=18/53.627510/10.689360"') in card(page, "placed")
    search = re.search(r'href="(https://www\.openstreetmap\.org/search\?query=[^"]+)"',
                       card(page, "unplaced")).group(1)
    town = unplaced.town.name.split()[0]
    assert "Teststra%C3%9Fe" in search and town in search
    # Only <a href> points elsewhere: no image, frame, script or style from another origin.
    for tag, attribute, url in re.findall(r'<(\w+)[^>]*?\s(src|href)="(https?://[^"]*)"', page):
        assert tag == "a", f"<{tag} {attribute}={url}> loads from elsewhere"
    embedded = re.findall(r"<(?:img|iframe|script|link|source|object)[^>]*>", page)
    assert "openstreetmap.org/" not in "".join(embedded)


def test_what_the_hosts_wrote_is_on_the_card_and_the_space_page(make_space, client, frozen):
    space = make_space(slug="told")
    space.description = "Ruhig am Markt."
    space.amenities = "WLAN\n- Kaffee\n\nDrucker"
    space.access = "Hoftor, dann links.\nParken im Hof."
    space.contact_name, space.contact_email = "Jonas Petersen", "moelln@example.org"
    space.contact_phone = "+49 4542 83 55-10"
    db.session.commit()
    for path in ("/", "/spaces/told"):
        html = client.get(path).get_data(as_text=True)
        assert "Ruhig am Markt." in html
        amenities = re.search(r'<ul class="amenities">(.*?)</ul>', html).group(1)
        assert re.findall(r"<li>([^<]+)</li>", amenities) == ["WLAN", "Kaffee", "Drucker"]
        assert "So kommst du rein" in html and "Hoftor, dann links.\nParken im Hof." in html
        assert '<a href="mailto:moelln@example.org">moelln@example.org</a>' in html
        assert '<a href="tel:+4945428355-10">' not in html
        assert '<a href="tel:+494542835510">+49 4542 83 55-10</a>' in html
        # Below the space page's name, all but intro and address wait behind a toggle.
        folded = '<details class="about-more"><summary>Ausstattung, Zugang, Kontakt</summary>'
        assert (folded in html) == (path != "/")


def test_a_space_without_texts_shows_only_its_address(make_space, client, frozen):
    make_space(slug="bare")
    html = card(client.get("/").get_data(as_text=True), "bare")
    assert "Teststraße" in html and "about-facts" not in html and "mailto:" not in html


def test_the_card_speaks_english_too(busy, client):
    client.post("/language",
                data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    text = text_of(card(client.get("/").get_data(as_text=True), "busy"))
    assert "Today 3 of 5 desks free" in text
    assert "Right now: 3 free" in text
    assert "2 of them free until closing at 18:00" in text
    assert "Opening hours of the week" in text
    assert "Show on the map (OpenStreetMap)" in text


def test_the_api_lists_the_texts_as_documented(client, runner):
    from tests.api.test_api_contract import check

    runner.invoke(args=["seed-demo"])
    response = client.get("/api/v1/spaces")
    check(response, "/api/v1/spaces", "get")
    moelln = next(s for s in response.json if s["slug"] == "moelln")
    assert moelln["address"] == "Hauptstraße 130, 23879 Mölln"  # the keys there before stay
    assert moelln["contact"] == {"name": "Jonas Petersen",
                                 "email": "moelln@stadtlabor-kleinstadt.example.org",
                                 "phone": "+49 4542 83 55 10"}
    assert "Telefonkabine" in moelln["amenities"] and moelln["access"].startswith("Eingang")
    assert (moelln["latitude"], moelln["longitude"]) == (53.62751, 10.68936)
    assert moelln["map_url"].startswith("https://www.openstreetmap.org/?mlat=53.627510&")


def test_the_seed_writes_texts_once_and_keeps_what_hosts_wrote(runner):
    from sqlalchemy import select

    from coworking.spaces.models import Space

    runner.invoke(args=["seed-demo"])
    spaces = db.session.scalars(select(Space)).all()
    assert all(s.description and s.access and s.contact_email and s.latitude for s in spaces)
    moelln = next(s for s in spaces if s.slug == "moelln")
    moelln.description, moelln.contact_phone = "Neu geschrieben.", ""
    db.session.commit()
    runner.invoke(args=["seed-demo"])
    db.session.expire_all()
    assert (moelln.description, moelln.contact_phone) == ("Neu geschrieben.", "")
