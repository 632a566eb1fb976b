"""Availability: SQL statements per call, latency against a raw driver fetch, and history.

The SQL statements per call, the latency against a raw driver fetch of the same rows,
and how both hold as history grows, on SQLite and PostgreSQL.

Run from the repository root:  .venv/bin/python bench/availability.py [--engine sqlite|postgresql]
[--postgres URL]  (PostgreSQL: a temporary database on that server, see bench/common.py;
skipped with a note if unreachable.)

Per engine: a fresh database migrated with flask_migrate.upgrade(); a space with 20 hot desks
open every day 08:00–18:00, and 5,000 confirmed bookings over the 14 days measured, inserted in
one executemany. The grid holds 20 desks x 14 days x 20 half-hour slots = 5,600 slots, so the
bookings (30–120 minutes, on the grid, no overlaps per desk or per member, 200 members) are
mostly 30 minutes long. A second space has 5 desks and 80 bookings on one day. A third has the
same 20 desks and upcoming bookings as the first, and 50,000 confirmed past bookings on the
same desks and members (the 250 days before). A fourth has 80 desks and 50,000 bookings over
the next 60 days (the API allows 31 days; this one calls the service function directly).

Printed:
- the SQL statements one availability(space, first_day, days) call issues, alone and together
  with get_space(slug) (what one API request costs), for 5 desks / 1 day up to 20 desks /
  14 days: the count must not grow with desks, days or bookings;
- availability(), get_space()+availability() and a raw driver fetch of the same booking rows
  (sqlite3 / psycopg cursor, no SQLAlchemy), interleaved, median and p95 per call, and the
  ratio availability / raw fetch;
- availability() of the first space against the third (same upcoming bookings, plus
  50,000 past ones), interleaved: the ratio history / empty;
- 80 desks x 60 days x 50,000 bookings: availability() against the raw fetch, interleaved;
- time first: free_desks() for a range over one day (08:00-18:00, and 09:00-11:00) of the
  20 desks / 5,000 bookings space, and the whole time-first panel of the space's page
  (time_first(): closures, resources, free_desks), against the per-slot availability()
  of the same day: statements and median per call, interleaved, as ratios.
Each call runs in a fresh session, as a request. Measurements, not tests: nothing is asserted.
"""
import random
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from common import (
    ZONE_NAME,
    StatementCounter,
    build_space,
    bulk_users,
    grid_bookings,
    insert_rows,
    interleaved,
    local,
    median,
    migrated_app,
    ms_summary,
    selected_engines,
    today_in,
)
from sqlalchemy import func, select

from coworking.bookings.availability import availability, free_desks
from coworking.bookings.models import Booking
from coworking.browse.time_first import time_first
from coworking.extensions import db
from coworking.spaces.models import Resource
from coworking.spaces.service import get_space

ROUNDS = 31
BIG_ROUNDS = 9
ACTIVE_SQL = "('pending_payment', 'confirmed', 'checked_in')"


def one_request(slug, first_day, days):
    """get_space + availability in a fresh session, as one API request: (t_get, t_avail, days)."""
    db.session.remove()
    t0 = time.perf_counter()
    space = get_space(slug)
    t1 = time.perf_counter()
    result = availability(space, first_day, days)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, result


def count_statements(slug, first_day, days):
    """(statements of availability alone, of get_space + availability, bookings in range)."""
    db.session.remove()
    with StatementCounter(db.engine) as both:
        space = get_space(slug)
        with StatementCounter(db.engine) as alone:
            result = availability(space, first_day, days)
    intervals = [iv for day in result for iv in day.intervals]
    in_range = db.session.scalar(
        select(func.count()).select_from(Booking).join(Booking.resource)
        .where(Resource.space_id == space.id, Booking.start_at < max(e for _s, e in intervals),
               Booking.end_at > min(s for s, _e in intervals)))
    db.session.remove()
    return alone, both, in_range


def raw_fetch(engine_name, desk_ids, first_day, days, zone):
    """A function fetching the active bookings that availability() needs, through the bare
    driver (no SQLAlchemy, no type conversion), in its own transaction; returns the rows."""
    range_start = local(first_day, 0, 0, zone)
    range_end = local(first_day + timedelta(days=days), 0, 0, zone)
    earliest_start = range_start - timedelta(hours=24)
    if engine_name == "SQLite":
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        sql = ("SELECT resource_id, start_at, end_at FROM booking WHERE resource_id IN "
               f"({', '.join(str(i) for i in desk_ids)}) AND status IN {ACTIVE_SQL} "
               "AND start_at < ? AND start_at > ? AND end_at > ?")
        params = tuple(t.strftime(stamp) for t in (range_end, earliest_start, range_start))
    else:
        sql = ("SELECT resource_id, start_at, end_at FROM booking WHERE resource_id = ANY(%s) "
               f"AND status IN {ACTIVE_SQL} AND start_at < %s AND start_at > %s AND end_at > %s")
        params = (list(desk_ids), range_end, earliest_start, range_start)

    def fetch():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.close()
            connection.rollback()
        finally:
            connection.close()
        return rows

    return fetch


def timed_availability(slug, first_day, days):
    def call():
        db.session.remove()
        availability(get_space(slug), first_day, days)
        return 1
    return call


def time_first_work(app, day, zone):
    """{name: work(space)}: the time-first count for the whole opening day and for two
    hours, the whole panel of the space's page, and the per-slot availability of the day."""
    today = today_in(zone)

    def count(start_hour, end_hour):
        return lambda space: free_desks(space, local(day, start_hour, 0, zone),
                                        local(day, end_hour, 0, zone))

    def panel(space):
        with app.test_request_context(f"/spaces/{space.slug}?date={day.isoformat()}"):
            return time_first(space, day, today, {"date": day.isoformat()})

    return {"free_desks 08-18": count(8, 18), "free_desks 09-11": count(9, 11),
            "time_first panel": panel,
            "availability 1 day": lambda space: availability(space, day, 1),
            "get_space alone": lambda space: None}


def in_fresh_session(slug, work):
    """One call as a request makes it: a fresh session, get_space, the work."""
    def call():
        db.session.remove()
        work(get_space(slug))
        return 1
    return call


def statements_of(slug, work):
    """SQL statements of the work alone (get_space before it; BEGIN not counted)."""
    db.session.remove()
    space = get_space(slug)
    with StatementCounter(db.engine) as counter:
        work(space)
    db.session.remove()
    return counter.queries


def run_time_first(app, engine_name, first_day, zone):
    work = time_first_work(app, first_day, zone)
    calls = {name: in_fresh_session("bench-20", w) for name, w in work.items()}
    space = get_space("bench-20")
    free_all_day = len(free_desks(space, local(first_day, 8, 0, zone),
                                  local(first_day, 18, 0, zone)))
    free_two_hours = len(free_desks(space, local(first_day, 9, 0, zone),
                                    local(first_day, 11, 0, zone)))
    on_day = db.session.scalar(
        select(func.count()).select_from(Booking).join(Booking.resource)
        .where(Resource.space_id == space.id, Booking.start_at >= local(first_day, 0, 0, zone),
               Booking.start_at < local(first_day + timedelta(days=1), 0, 0, zone)))
    for call in calls.values():
        for _ in range(3):
            call()
    statements = {name: statements_of("bench-20", w) for name, w in work.items()}
    times = interleaved(calls, ROUNDS)
    base, floor = median(times["availability 1 day"]), median(times["get_space alone"])
    print(f"  time first, {engine_name}: 20 desks / 5,000 bookings, the day {first_day} "
          f"({on_day} bookings on it; free all day: {free_all_day}, 09:00-11:00: "
          f"{free_two_hours}), {ROUNDS} calls each, interleaved, each in a fresh session "
          "after get_space (net: less get_space alone):")
    for name, seconds in times.items():
        net = (f"net {1000 * (median(seconds) - floor):6.2f} ms   ratio to availability: "
               f"{median(seconds) / base:.2f}x, net {(median(seconds) - floor) / (base - floor):.2f}x"
               if name != "get_space alone" else "")
        print(f"    {name:<20} {statements[name]:>2} statements   {ms_summary(seconds)}   {net}")


def run(engine_name, database_url):
    rng = random.Random(20270301)
    zone = ZoneInfo(ZONE_NAME)
    with migrated_app(database_url) as app:
        desks20 = build_space("bench-20", 20)[1]
        desks5 = build_space("bench-5", 5)[1]
        desks20h = build_space("bench-20-history", 20)[1]
        desks80 = build_space("bench-80", 80)[1]
        members20, members5 = bulk_users(200, "m"), bulk_users(20, "s")
        members20h, members80 = bulk_users(200, "h"), bulk_users(800, "b")
        first_day = today_in(zone) + timedelta(days=1)
        upcoming = grid_bookings(desks20, members20, first_day, 14, 5000, zone, rng)
        t0 = time.perf_counter()
        insert_rows(upcoming + grid_bookings(desks5, members5, first_day, 1, 80, zone, rng))
        elapsed = time.perf_counter() - t0
        # The history space: the very same upcoming bookings, moved to its desks and members,
        # and 50,000 past ones on those desks and members.
        desk_map = dict(zip(desks20, desks20h))
        member_map = dict(zip(members20, members20h))
        insert_rows([dict(row, resource_id=desk_map[row["resource_id"]],
                          user_id=member_map[row["user_id"]]) for row in upcoming])
        insert_rows(grid_bookings(desks20h, members20h, first_day - timedelta(days=260), 250,
                                  50_000, zone, rng))
        insert_rows(grid_bookings(desks80, members80, first_day, 60, 50_000, zone, rng))
        stored = db.session.scalar(select(func.count()).select_from(Booking))
        print(f"\n== {engine_name}: {stored:,} bookings stored; the first space's 5,000 inserted in "
              f"one executemany in {elapsed:.2f} s; days {first_day} .. "
              f"{first_day + timedelta(days=13)}")

        print("  SQL statements per call (BEGIN, which the app emits on SQLite, not counted):")
        print(f"    {'desks':>5} {'days':>4} {'bookings in range':>17} {'availability':>12} "
              f"{'get_space+availability':>22}")
        for slug, desks, days in (("bench-5", 5, 1), ("bench-5", 5, 14),
                                  ("bench-20", 20, 1), ("bench-20", 20, 14)):
            alone, both, taken = count_statements(slug, first_day, days)
            extra = f"  (+{both.total - both.queries} BEGIN)" if both.total != both.queries else ""
            print(f"    {desks:>5} {days:>4} {taken:>17,} {alone.queries:>12} {both.queries:>22}{extra}")

        raw20 = raw_fetch(engine_name, desks20, first_day, 14, zone)
        fetched = len(raw20())
        for _ in range(5):
            one_request("bench-20", first_day, 14)
            raw20()
        t_get, t_avail, t_both = [], [], []

        def request():
            a, b, _result = one_request("bench-20", first_day, 14)
            t_get.append(a)
            t_avail.append(b)
            t_both.append(a + b)
            return 1

        times = interleaved({"request": request, "raw": lambda: raw20() and 1}, ROUNDS)
        print(f"  latency, 20 desks / 14 days / 5,000 bookings ({fetched:,} rows fetched), "
              f"{ROUNDS} calls each, interleaved with the raw fetch:")
        print(f"    availability            {ms_summary(t_avail)}")
        print(f"    get_space               {ms_summary(t_get)}")
        print(f"    get_space+availability  {ms_summary(t_both)}")
        print(f"    raw driver fetch        {ms_summary(times['raw'])}")
        print(f"    ratio availability / raw fetch: {median(t_avail) / median(times['raw']):.2f}x"
              f"   get_space+availability / raw fetch: "
              f"{median(t_both) / median(times['raw']):.2f}x")

        history = interleaved({
            "empty": timed_availability("bench-20", first_day, 14),
            "history": timed_availability("bench-20-history", first_day, 14),
        }, ROUNDS)
        print("  history: the same 20 desks / 14 days / 5,000 bookings, and 50,000 past bookings "
              "on the same desks and members,")
        print(f"  get_space+availability, {ROUNDS} calls each, interleaved:")
        print(f"    no history              {ms_summary(history['empty'])}")
        print(f"    50,000 past bookings    {ms_summary(history['history'])}")
        print(f"    ratio history / no history: "
              f"{median(history['history']) / median(history['empty']):.2f}x")

        raw80 = raw_fetch(engine_name, desks80, first_day, 60, zone)
        fetched = len(raw80())
        big = interleaved({
            "availability": timed_availability("bench-80", first_day, 60),
            "raw": lambda: raw80() and 1,
        }, BIG_ROUNDS)
        print(f"  80 desks / 60 days / 50,000 bookings ({fetched:,} rows fetched), "
              f"{BIG_ROUNDS} calls each, interleaved:")
        print(f"    get_space+availability  {ms_summary(big['availability'])}")
        print(f"    raw driver fetch        {ms_summary(big['raw'])}")
        print(f"    ratio availability / raw fetch: "
              f"{median(big['availability']) / median(big['raw']):.2f}x")

        run_time_first(app, engine_name, first_day, zone)


def main():
    engines = selected_engines(description=__doc__.strip().splitlines()[0])
    print(__doc__.strip().splitlines()[0])
    for engine_name, factory in engines:
        with factory() as url:
            if url is not None:
                run(engine_name, url)


if __name__ == "__main__":
    main()
