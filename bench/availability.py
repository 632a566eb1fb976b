"""Availability: SQL statements per call and latency, on SQLite and PostgreSQL.

Run from the repository root:  .venv/bin/python bench/availability.py
(PostgreSQL: a temporary database on BENCH_DATABASE_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres; skipped with a note if unreachable.)

Per engine: a fresh database migrated with flask_migrate.upgrade(); a space with 20 hot desks
open every day 08:00–18:00, and 5,000 confirmed bookings over the 14 days measured, inserted in
one executemany. The grid holds 20 desks x 14 days x 20 half-hour slots = 5,600 slots, so the
bookings (30–120 minutes, on the grid, no overlaps per desk or per member, 200 members) are
mostly 30 minutes long. A second space has 5 desks and 80 bookings on one day.

Printed: the SQL statements one availability(space, first_day, days) call issues, alone and
together with get_space(slug) (what one API request costs), for 5 desks / 1 day up to
20 desks / 14 days — the count must not grow with desks, days or bookings — and the median and
p95 latency of 50 calls after 5 warm-up calls. Each call runs in a fresh session, as a request.
Measurements, not tests: nothing is asserted.
"""
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (ENGINES, StatementCounter, booking_row, build_space, bulk_users,  # noqa: E402
                    local, migrated_app, ms_summary, today_in, ZONE_NAME)

from sqlalchemy import func, insert, select  # noqa: E402

from coworking.bookings.availability import availability  # noqa: E402
from coworking.bookings.models import Booking  # noqa: E402
from coworking.extensions import db  # noqa: E402
from coworking.spaces.models import Resource  # noqa: E402
from coworking.spaces.service import get_space  # noqa: E402

SLOTS_PER_DAY = 20  # 08:00–18:00 in 30-minute slots
WARMUP, RUNS = 5, 50


def generate(desk_ids, member_ids, first_day, days, count, zone, rng):
    """`count` bookings on the slot grid of desks x days, no overlaps per desk or member.

    Every desk-day gets count / (desks x days) bookings of one slot; the slots left over
    either lengthen a booking (up to 4 slots = 120 min) or stay free. A member only ever
    books one desk, so no member holds two desks at a time.
    """
    desk_days = [(d, offset) for offset in range(days) for d in range(len(desk_ids))]
    base, extra = divmod(count, len(desk_days))
    if base + (extra > 0) > SLOTS_PER_DAY:
        raise ValueError("more bookings than half-hour slots")
    rows = []
    for index, (desk, offset) in enumerate(desk_days):
        lengths = [1] * (base + (index < extra))
        gaps = 0
        for _ in range(SLOTS_PER_DAY - len(lengths)):
            pick = rng.randrange(len(lengths)) if lengths else None
            if pick is not None and rng.random() < 0.6 and lengths[pick] < 4:
                lengths[pick] += 1
            else:
                gaps += 1
        items = lengths + [0] * gaps  # 0 = one free slot
        rng.shuffle(items)
        day, slot = first_day + timedelta(days=offset), 0
        own_members = member_ids[desk::len(desk_ids)]
        for length in items:
            if length:
                start = local(day, 8, 0, zone) + timedelta(minutes=30 * slot)
                rows.append(booking_row(rng.choice(own_members), desk_ids[desk], start,
                                        start + timedelta(minutes=30 * length)))
            slot += max(length, 1)
    return rows


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


def run(engine_name, database_url):
    rng = random.Random(20270301)
    zone = ZoneInfo(ZONE_NAME)
    with migrated_app(database_url):
        build_space("bench-20", 20)
        build_space("bench-5", 5)
        desks20 = [r.id for r in get_space("bench-20").resources]
        desks5 = [r.id for r in get_space("bench-5").resources]
        members20, members5 = bulk_users(200, "m"), bulk_users(20, "s")
        first_day = today_in(zone) + timedelta(days=1)
        rows = (generate(desks20, members20, first_day, 14, 5000, zone, rng)
                + generate(desks5, members5, first_day, 1, 80, zone, rng))
        t0 = time.perf_counter()
        db.session.execute(insert(Booking.__table__), rows)
        db.session.commit()
        elapsed = time.perf_counter() - t0
        stored = db.session.scalar(select(func.count()).select_from(Booking))
        print(f"\n== {engine_name}: {stored:,} bookings inserted in one executemany in "
              f"{elapsed:.2f} s; days {first_day} .. {first_day + timedelta(days=13)}")

        print("  SQL statements per call (BEGIN, which the app emits on SQLite, not counted):")
        print(f"    {'desks':>5} {'days':>4} {'bookings in range':>17} {'availability':>12} "
              f"{'get_space+availability':>22}")
        for slug, desks, days in (("bench-5", 5, 1), ("bench-5", 5, 14),
                                  ("bench-20", 20, 1), ("bench-20", 20, 14)):
            alone, both, taken = count_statements(slug, first_day, days)
            extra = f"  (+{both.total - both.queries} BEGIN)" if both.total != both.queries else ""
            print(f"    {desks:>5} {days:>4} {taken:>17,} {alone.queries:>12} {both.queries:>22}{extra}")

        for _ in range(WARMUP):
            one_request("bench-20", first_day, 14)
        t_get, t_avail, t_both = [], [], []
        for _ in range(RUNS):
            a, b, _result = one_request("bench-20", first_day, 14)
            t_get.append(a)
            t_avail.append(b)
            t_both.append(a + b)
        counts = {count_statements("bench-20", first_day, 14)[1].queries for _ in range(5)}
        print(f"  latency, 20 desks / 14 days / 5,000 bookings, {RUNS} calls after {WARMUP} warm-up:")
        print(f"    availability            {ms_summary(t_avail)}")
        print(f"    get_space               {ms_summary(t_get)}")
        print(f"    get_space+availability  {ms_summary(t_both)}")
        print(f"  get_space+availability statement counts over 5 more calls: {sorted(counts)}")


def main():
    print(__doc__.strip().splitlines()[0])
    for engine_name, factory in ENGINES:
        with factory() as url:
            if url is not None:
                run(engine_name, url)


if __name__ == "__main__":
    main()
