"""Schedules over time: availability and the research figures with a year of hours history.

Run from the repository root:  .venv/bin/python bench/schedules.py [--engine sqlite|postgresql]
[--postgres URL]  (PostgreSQL: a temporary database on that server, see bench/common.py.)

Per engine: two spaces alike in everything but their hours' history, each with 20 hot desks,
5,000 confirmed bookings over the next 14 days and 20,000 over the year before:
- "one": a single week of hours (08:00–18:00 every day) since always;
- "history": 21 weeks of hours, the first a year ago and one change every 17 days since
  (20 changes; closing times alternate between 17:00, 18:00 and 19:00), and three closures of
  part of a day in the year.
Printed, median of interleaved rounds, each call in a fresh session as a request:
- availability(space, today, 14) (what GET …/availability?days=14 computes);
- the research figures of the past year by month (calendar.open_desk_seconds and
  stats.space_metrics for the one space, what GET /api/v1/research/stats computes);
and the ratio history / one for each. Goal: within 1.2×.
Measurements, not tests: nothing is asserted.
"""
import random
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from common import (
    ZONE_NAME,
    build_space,
    bulk_users,
    grid_bookings,
    insert_rows,
    interleaved,
    median,
    migrated_app,
    ms_summary,
    selected_engines,
    today_in,
)

from coworking.bookings.availability import availability
from coworking.extensions import db
from coworking.research import calendar, stats
from coworking.spaces.models import Closure, OpeningHours, Space
from coworking.spaces.service import get_space

ROUNDS = 15
RESEARCH_ROUNDS = 7
ZONE = ZoneInfo(ZONE_NAME)
DESKS = 20


def populate(rng):
    today = today_in(ZONE)
    year_ago = today - timedelta(days=365)
    for slug in ("one", "history"):
        members = bulk_users(200, f"schedules-{slug}-", cover=False)
        _space, desk_ids = build_space(slug, DESKS)
        insert_rows(grid_bookings(desk_ids, members, today, 14, 5_000, ZONE, rng))
        insert_rows(grid_bookings(desk_ids, members, year_ago, 365, 20_000, ZONE, rng,
                                  slots_per_day=20))
    space = db.session.scalars(db.select(Space).where(Space.slug == "history")).one()
    closes = (time(17), time(18), time(19))
    space.opening_hours = [
        OpeningHours(effective_from=year_ago + timedelta(days=17 * n), weekday=day,
                     opens=time(8), closes=closes[n % 3])
        for n in range(21) for day in range(7)]
    for n in range(3):
        day = year_ago + timedelta(days=100 * n + 5)
        db.session.add(Closure(space_id=space.id, start_date=day, end_date=day,
                               start_time=time(12), end_time=time(14), reason="Versammlung"))
    db.session.commit()
    return today, year_ago


def bench_availability(today):
    def call(slug):
        def run():
            db.session.remove()
            availability(get_space(slug), today, 14)
            return 1
        return run

    times = interleaved({"one": call("one"), "history": call("history")}, ROUNDS)
    db.session.remove()
    return times


def bench_research(first, last):
    def call(slug):
        def run():
            db.session.remove()
            scope = calendar.scope(first, last, slug)
            stats.space_metrics(scope)
            return 1
        return run

    times = interleaved({"one": call("one"), "history": call("history")}, RESEARCH_ROUNDS)
    db.session.remove()
    return times


def open_seconds_only(first, last):
    def call(slug):
        def run():
            db.session.remove()
            calendar.open_desk_seconds(calendar.scope(first, last, slug))
            return 1
        return run

    times = interleaved({"one": call("one"), "history": call("history")}, ROUNDS)
    db.session.remove()
    return times


def report(title, times):
    one, history = median(times["one"]), median(times["history"])
    print(f"  {title}")
    print(f"    one week of hours:   {ms_summary(times['one'])}")
    print(f"    21 weeks (history):  {ms_summary(times['history'])}")
    print(f"    history / one: {history / one:.2f}x")


def main():
    for name, database in selected_engines(description=__doc__.splitlines()[0]):
        with database() as url:
            if url is None:
                print(f"{name}: skipped (no server)")
                continue
            run(name, url)


def run(name, url):
    with migrated_app(url):
        rng = random.Random(7)
        today, year_ago = populate(rng)
        first = year_ago.replace(day=1) + timedelta(days=32)
        first = first.replace(day=1)
        last = today.replace(day=1) - timedelta(days=1)
        print(f"{name}: 2 spaces x {DESKS} desks, 25,000 bookings each")
        report("availability(space, today, 14 days)", bench_availability(today))
        report(f"research: open desk seconds {first}..{last}",
               open_seconds_only(first, last))
        report(f"research: space_metrics {first}..{last}", bench_research(first, last))


if __name__ == "__main__":
    main()
