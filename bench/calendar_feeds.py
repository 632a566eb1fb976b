"""Calendar feeds: SQL statements per feed, the feed against icalendar alone, and the 304 path.

Run from the repository root:  .venv/bin/python bench/calendar_feeds.py [--engine sqlite|postgresql]
[--postgres URL]  (PostgreSQL: a temporary database on that server, see bench/common.py;
skipped with a note if unreachable.)

Per engine, on a fresh database migrated with flask_migrate.upgrade(): a space with 20 hot
desks open every day 08:00–18:00; one member holds 2,000 bookings on the half-hour grid of one
desk (20 a day from 29 days ago on, about every 20th cancelled), and a second member 20. The
space's host has the space's feed, which shows the first member's 2,000 bookings and the
second's 20, with names.

Printed:
(a) the SQL of one GET /calendar/<token>.ics through the Flask test client (each request in an
    app context of its own, as a worker runs it) for the member with 20 bookings, the member
    with 2,000 and the host's feed: the count must not grow with the bookings;
(b) 15 rounds, interleaved: the member's feed of 2,000 bookings over the test client, the same
    feed built by coworking.calendars.feeds.build() (query and calendar, no HTTP), and the same
    2,000 events serialised with icalendar alone (Event objects filled with the property
    values the feed holds, taken from the feed once beforehand, plus the VTIMEZONE, then
    Calendar.to_ical()). Printed: median and p95, and the ratio feed / icalendar alone
    (goal: at most 1.5);
(c) the same feed asked again with its ETag (If-None-Match), answered 304, against the full
    feed, interleaved: median and p95, and how many times faster the 304 is.
Measurements, not tests: nothing is asserted.
"""
import sys
from pathlib import Path

# This file's name is also the standard library's `calendar` (which `email` imports): keep
# bench/ off the front of the path so that one is found, and reach the helpers from its end.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

import random  # noqa: E402
import statistics  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import icalendar  # noqa: E402
from common import (  # noqa: E402
    ZONE_NAME,
    StatementLog,
    booking_row,
    build_space,
    bulk_users,
    insert_rows,
    interleaved,
    local,
    median,
    migrated_app,
    ms_summary,
    selected_engines,
    today_in,
)
from flask_babel import force_locale  # noqa: E402
from sqlalchemy import select  # noqa: E402

from coworking.accounts.models import User, UserRole  # noqa: E402
from coworking.calendars import feeds, tokens  # noqa: E402
from coworking.calendars.timezones import vtimezone  # noqa: E402
from coworking.extensions import db  # noqa: E402

BOOKINGS, FEW = 2000, 20
ROUNDS = 15
EVENT_PROPERTIES = ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "SUMMARY", "LOCATION",
                    "DESCRIPTION", "URL", "DTSTART", "DTEND", "TRANSP")


def member_rows(user_id, desk_id, first_day, count, zone, rng):
    """`count` half-hour bookings of one member on one desk, 20 a day from `first_day` on; a
    few cancelled (shown as cancelled for 30 days)."""
    rows, now = [], datetime.now(UTC)
    for i in range(count):
        start = local(first_day + timedelta(days=i // 20), 8, 0, zone) + timedelta(
            minutes=30 * (i % 20))
        row = {**booking_row(user_id, desk_id, start, start + timedelta(minutes=30), now=now),
               "cancelled_at": None}  # every row names the same columns (one executemany)
        if rng.random() < 0.05:
            row.update(status="cancelled", cancelled_at=now)
        rows.append(row)
    return rows


def setup():
    """(path of the 2,000-booking feed, of the 20-booking feed, of the host's feed)."""
    zone = ZoneInfo(ZONE_NAME)
    space, desk_ids = build_space("bench-calendar", 20)
    many, few, host = bulk_users(3, "cal")
    db.session.add(UserRole(user_id=host, role="host", space_id=space.id))
    db.session.commit()
    first_day = today_in(zone) - timedelta(days=29)
    rng = random.Random(5)
    insert_rows(member_rows(many, desk_ids[0], first_day, BOOKINGS, zone, rng)
                + member_rows(few, desk_ids[1], first_day, FEW, zone, rng))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([many, few, host])))}

    def path(url):
        return urlsplit(url).path

    with force_locale("de"):
        paths = (path(tokens.feed_url(tokens.token_for(users[many]))),
                 path(tokens.feed_url(tokens.token_for(users[few]))),
                 path(tokens.feed_url(tokens.token_for(users[host], space))))
    db.session.remove()
    return paths


def get(app, client, path, headers=None):
    with app.app_context():
        return client.get(path, headers=headers or {})


def statements(engine_name, app, client, paths):
    print(f"\n== {engine_name} (a) the SQL of one feed request")
    counts = []
    for label, path in (("member, 20 bookings", paths[1]), (f"member, {BOOKINGS:,} bookings",
                                                            paths[0]),
                        (f"host's space feed, {BOOKINGS + FEW:,} bookings", paths[2])):
        get(app, client, path)  # warm
        with StatementLog(db.engine) as log:
            response = get(app, client, path)
        events = response.data.count(b"BEGIN:VEVENT")
        print(f"    {label:38} status {response.status_code}, {events:5} events: {log.summary()}")
        log.print(indent="        ", width=150)
        counts.append(sum(1 for e in log.entries
                          if not e.startswith("<") and not e.upper().startswith("BEGIN")))
    print(f"    statements (BEGIN left out): {counts[0]} for 20 bookings, {counts[1]} for "
          f"{BOOKINGS:,}, {counts[2]} for the host's feed")


def plain_values(feed_bytes):
    """What the feed holds, as plain Python values: the events' properties and the zone, so
    icalendar alone can serialise the same calendar."""
    calendar = icalendar.Calendar.from_ical(feed_bytes)
    events = []
    for event in calendar.walk("VEVENT"):
        values = []
        for name in EVENT_PROPERTIES:
            if name in event:
                value = event[name]
                value = value.dt if hasattr(value, "dt") else (
                    int(value) if name == "SEQUENCE" else str(value))
                values.append((name.lower(), value))
        events.append(values)
    return events


def icalendar_alone(events, zone_name, years):
    calendar = icalendar.Calendar()
    for name, value in (("prodid", "-//bench//DE"), ("version", "2.0"),
                        ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                        ("x-wr-calname", "Meine Coworking-Buchungen"),
                        ("x-wr-timezone", zone_name)):
        calendar.add(name, value)
    calendar.add_component(vtimezone(zone_name, *years))
    for values in events:
        event = icalendar.Event()
        for name, value in values:
            event.add(name, value)
        calendar.add_component(event)
    return calendar.to_ical()


def timing(engine_name, app, client, paths):
    path = paths[0]
    full = get(app, client, path)
    events = plain_values(full.data)
    etag = full.headers["ETag"]
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    day = feeds.today()
    years = (feeds.window_start(day).year - 1, max(v.year for e in events for n, v in e
                                                    if n == "dtend") + 1)
    assert len(events) == BOOKINGS, len(events)

    def over_http():
        assert get(app, client, path).status_code == 200
        return 1

    def built():
        with app.app_context(), force_locale("de"):
            feeds.build(feeds.find(secret), day)
        return 1

    def alone():
        icalendar_alone(events, ZONE_NAME, years)
        return 1

    def not_modified():
        assert get(app, client, path, {"If-None-Match": etag}).status_code == 304
        return 1

    for run in (over_http, built, alone, not_modified):  # warm-up
        run()
    times = interleaved({"feed": over_http, "built": built, "alone": alone,
                         "304": not_modified}, ROUNDS)
    print(f"\n== {engine_name} (b) a feed of {BOOKINGS:,} bookings against icalendar alone, "
          f"{ROUNDS} rounds, interleaved")
    for name, label in (("feed", "GET /calendar/<token>.ics (test client)"),
                        ("built", "feeds.build(): query + calendar"),
                        ("alone", "icalendar alone, same events")):
        print(f"    {label:42} {ms_summary(times[name])}")
    print(f"    ratio feed / icalendar alone: {median(times['feed']) / median(times['alone']):.2f} "
          f"(feeds.build() / icalendar alone: "
          f"{median(times['built']) / median(times['alone']):.2f}; goal ≤ 1.5)")
    print(f"\n== {engine_name} (c) the 304 path against the full feed")
    print(f"    {'If-None-Match, 304':42} {ms_summary(times['304'])}")
    print(f"    {'full feed, 200':42} {ms_summary(times['feed'])}")
    print(f"    the 304 answers {median(times['feed']) / median(times['304']):.0f}x faster "
          f"({statistics.median(times['304']) / statistics.median(times['feed']) * 100:.1f} % "
          f"of the full feed's time)")


def main():
    engines = selected_engines(description=__doc__.strip().splitlines()[0])
    print(__doc__.strip().splitlines()[0])
    for engine_name, factory in engines:
        with factory() as url:
            if url is None:
                continue
            with migrated_app(url) as app:
                paths = setup()
                client = app.test_client()
                statements(engine_name, app, client, paths)
                timing(engine_name, app, client, paths)


if __name__ == "__main__":
    main()
