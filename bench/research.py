"""Research export: time and peak memory of the data package against one raw SQL aggregate
over the same rows, and whether memory grows with the data.

Run from the repository root:  .venv/bin/python bench/research.py [--engine sqlite|postgresql]
[--postgres URL] [--part large|small]  (PostgreSQL: a temporary database on that server, see
bench/common.py; skipped with a note if unreachable. Both parts by default.)

Per engine and size (25,000 and 100,000 visits), a fresh migrated database: five spaces with
10 hot desks each, open every day 08:00–18:00, 600 members of whom half consent to research
with a profile, and a year (2026) of use: the visits spread evenly over the spaces and days
(check-in 08:00–15:45 on the quarter hour, 30 minutes to 6 hours, one in five with a
booking's source `walk-in`), and half as many desk bookings on the half-hour grid (no overlaps
per desk or member), one in ten of them cancelled and one in twenty a no-show.

Printed per size:
- export: `flask research export` for the whole year as the command does it (zip written to
  a temporary file), median of 3 runs; the zip's size and its visits.csv rows;
- raw: one aggregate over the same visit rows through the bare driver (count, distinct
  members and summed length per space and UTC day), median of 5 runs; the ratio export / raw;
- stats: the monthly metrics (`GET /api/v1/research/stats` without HTTP), median of 3 runs;
- peak memory of one export under tracemalloc (Python allocations only), and of the raw
  aggregate's fetch for comparison;
- the ratios export / raw (goal: at most 3) and stats / raw (goal: at most 2), both against
  the raw aggregate of the same run.

The small part, per engine: a fresh database with `seed-demo --history 365` (the five pilot
spaces, about 4,500 visits), served by gunicorn (2 sync workers, COWORKING_ENV=production,
127.0.0.1) and asked by one client, 7 times each, median:
- GET /api/v1/research/export for the history's year (zip read to the end; goal: under 0.3 s);
- GET /api/v1/research/stats for the same year by month (goal: under 0.2 s);
- GET /research, the dashboard page of a signed-in researcher (the whole HTML: its charts are
  server-rendered SVG, so this is its first paint);
- GET /api/v1/spaces, the trivial endpoint, for scale; and the raw aggregate in process.
Measurements, not tests: nothing is asserted.
"""
import http.cookiejar
import os
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import (
    ZONE_NAME,
    build_space,
    bulk_users,
    grid_bookings,
    insert_rows,
    migrated_app,
    selected_engines,
)
from server import start_server, stop_server
from sqlalchemy import insert

from coworking.accounts.research_profile import (
    COMMUTE_BANDS,
    WORK_MODES,
    ResearchProfile,
)
from coworking.accounts.service import create_user, issue_api_token
from coworking.checkins.models import Visit
from coworking.demo_history import write_history
from coworking.extensions import db
from coworking.research import service
from coworking.seed import seed_demo

SIZES = (25_000, 100_000)
HISTORY_DAYS = 365
HTTP_ROUNDS = 7
RESEARCH_KEY = "bench-only-research-key"
PASSWORD = "bench researcher password"
SPACES, DESKS, MEMBERS = 5, 10, 600
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
ZONE = ZoneInfo(ZONE_NAME)


def populate(visits, rng):
    """The year of use described above; returns the number of visit rows."""
    spaces = [build_space(f"bench-{n}", DESKS) for n in range(SPACES)]
    members = bulk_users(MEMBERS, f"research{visits}-", cover=False)
    now = datetime.now(UTC)
    db.session.execute(insert(ResearchProfile.__table__), [
        {"user_id": user_id, "consent": True, "consented_at": now,
         "work_mode": rng.choice(list(WORK_MODES)),
         "commute_km_band": rng.choice(list(COMMUTE_BANDS)), "employment": "commuter",
         "residence": "town"} for user_id in members[::2]])
    days = (LAST - FIRST).days + 1
    for n, (_space, desk_ids) in enumerate(spaces):
        rows = grid_bookings(desk_ids, members[n::SPACES], FIRST, days,
                             visits // 2 // SPACES, ZONE, rng)
        for row in rows:
            row.update(cancelled_at=None, no_show_at=None, completed_at=None,
                       checked_in_at=None)
            luck = rng.random()
            if luck < 0.1:
                row.update(status="cancelled", cancelled_at=row["start_at"] - timedelta(hours=30))
            elif luck < 0.15:
                row.update(status="no_show", no_show_at=row["start_at"] + timedelta(minutes=30))
            else:
                row.update(status="completed", completed_at=row["end_at"],
                           checked_in_at=row["start_at"])
        insert_rows(rows)
    batch = []
    for index in range(visits):
        space, _desks = spaces[index % SPACES]
        day = FIRST + timedelta(days=(index // SPACES) % days)
        came = datetime(day.year, day.month, day.day, 8, tzinfo=ZONE).astimezone(UTC) \
            + timedelta(minutes=15 * rng.randrange(32))
        batch.append({"space_id": space.id, "user_id": rng.choice(members), "booking_id": None,
                      "checked_in_at": came,
                      "checked_out_at": came + timedelta(minutes=30 + 15 * rng.randrange(23)),
                      "check_in_method": "host", "check_out_method": "host"})
        if len(batch) == 5000:
            db.session.execute(insert(Visit.__table__), batch)
            batch = []
    if batch:
        db.session.execute(insert(Visit.__table__), batch)
    db.session.commit()
    return visits


def export_once(path):
    """The export as the command runs it: streamed into a file. Returns (bytes, seconds)."""
    db.session.remove()
    started = time.perf_counter()
    written = 0
    with open(path, "wb") as out:
        for chunk in service.export(None, FIRST, LAST, via="bench"):
            out.write(chunk)
            written += len(chunk)
    return written, time.perf_counter() - started


def raw_aggregate(engine_name):
    """One grouped query over the same visit rows through the bare driver."""
    if engine_name == "SQLite":
        sql = ("SELECT space_id, date(checked_in_at), count(*), count(DISTINCT user_id), "
               "sum(strftime('%s', checked_out_at) - strftime('%s', checked_in_at)) "
               "FROM visit GROUP BY space_id, date(checked_in_at)")
    else:
        sql = ("SELECT space_id, CAST(checked_in_at AS DATE), count(*), count(DISTINCT user_id), "
               "sum(extract(epoch FROM checked_out_at - checked_in_at)) "
               "FROM visit GROUP BY space_id, CAST(checked_in_at AS DATE)")

    def run():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            started = time.perf_counter()
            cursor.execute(sql)
            rows = cursor.fetchall()
            elapsed = time.perf_counter() - started
            cursor.close()
            connection.rollback()
        finally:
            connection.close()
        return len(rows), elapsed

    return run


def stats_once():
    db.session.remove()
    started = time.perf_counter()
    rows = service.figures(_Researcher(), FIRST, LAST, "month")["rows"]
    return len(rows), time.perf_counter() - started


class _Researcher:
    """Enough of a signed-in researcher for the permission check."""

    is_authenticated = True
    role_names = ["researcher"]
    id = None


def peak(func):
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(size):
    return f"{size / 2**20:.1f} MiB"


def large(name, database):
    """The year of 25,000 and 100,000 visits: export and stats against the raw aggregate."""
    for size in SIZES:
        with database() as url:
            if url is None:
                return
            with migrated_app(url), tempfile.TemporaryDirectory() as directory:
                started = time.perf_counter()
                populate(size, random.Random(size))
                print(f"  {size:,} visits (+ {size // 2:,} bookings) written in "
                      f"{time.perf_counter() - started:.1f} s")
                path = Path(directory) / "research.zip"
                runs = [export_once(path) for _ in range(3)]
                export_s = statistics.median(seconds for _bytes, seconds in runs)
                raw = raw_aggregate(name)
                raw_runs = [raw() for _ in range(5)]
                raw_s = statistics.median(seconds for _rows, seconds in raw_runs)
                stats_s = statistics.median(stats_once()[1] for _ in range(3))
                with zipfile.ZipFile(path) as archive:
                    lines = archive.read("visits.csv").count(b"\n") - 1
                export_peak = peak(lambda: export_once(path))
                raw_peak = peak(raw)
                print(f"  export  {export_s:7.2f} s  zip {mib(runs[0][0])}, "
                      f"visits.csv {lines:,} rows (consenting members)")
                print(f"  raw     {raw_s:7.3f} s  ({raw_runs[0][0]:,} groups)")
                print(f"  stats   {stats_s:7.2f} s  (monthly metrics, all granularities "
                      f"computed for disclosure control)")
                print(f"  export / raw = {export_s / raw_s:,.1f}x (goal 3x)   "
                      f"stats / raw = {stats_s / raw_s:,.1f}x (goal 2x)")
                print(f"  peak Python memory: export {mib(export_peak)}, "
                      f"raw fetch {mib(raw_peak)}")


class _Browser:
    """One client with a cookie jar, never through a proxy."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path, token=None):
        """(status, body bytes, seconds until the last byte)."""
        headers = {"Accept-Language": "de"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, headers=headers),
                                  timeout=120) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, body, time.perf_counter() - started

    def sign_in(self, email):
        _status, page, _seconds = self.get("/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token.decode(), "email": email,
                                       "password": PASSWORD}).encode()
        with self.opener.open(urllib.request.Request(self.base + "/login", data=form),
                              timeout=60) as response:
            response.read()


def small(name, database):
    """`seed-demo --history 365` served over HTTP: export, stats and the dashboard page."""
    with database() as url:
        if url is None:
            return
        with migrated_app(url), open(os.devnull, "w") as log:
            started = time.perf_counter()
            seed_demo()
            counts = write_history(HISTORY_DAYS)
            researcher = create_user("forschung@bench.example.org", "Bench Researcher",
                                     PASSWORD, "researcher")
            token = issue_api_token(researcher)
            db.session.commit()
            print(f"  seed-demo --history {HISTORY_DAYS}: {counts['visits']:,} visits, "
                  f"{counts['bookings']:,} bookings, written in "
                  f"{time.perf_counter() - started:.1f} s")
            today = datetime.now(UTC).astimezone(ZONE).date()
            first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
            asked = f"from={first.isoformat()}&to={last.isoformat()}"
            raw = raw_aggregate(name)
            raw_s = statistics.median(raw()[1] for _ in range(5))
            os.environ["RESEARCH_KEY"] = RESEARCH_KEY
            process, base = start_server(url, log, 2)
            try:
                browser = _Browser(base)
                browser.sign_in(researcher.email)
                targets = {
                    "export": (f"/api/v1/research/export?{asked}", token),
                    "stats": (f"/api/v1/research/stats?{asked}&granularity=month", token),
                    "dashboard": ("/research", None),
                    "trivial": ("/api/v1/spaces", None),
                }
                found = {label: [] for label in targets}
                sizes = {}
                for _ in range(HTTP_ROUNDS):
                    for label, (path, bearer) in targets.items():
                        status, body, seconds = browser.get(path, bearer)
                        if status != 200:
                            raise SystemExit(f"{label}: {status} {body[:300]!r}")
                        found[label].append(seconds)
                        sizes[label] = len(body)
            finally:
                stop_server(process)
            goals = {"export": 0.3, "stats": 0.2}
            for label, seconds in found.items():
                middle = statistics.median(seconds)
                goal = f"  (goal < {goals[label]} s)" if label in goals else ""
                print(f"  {label:9s} {middle:7.3f} s  {sizes[label]:>9,} bytes   "
                      f"/ trivial = {middle / statistics.median(found['trivial']):5.1f}x"
                      f"{goal}")
            print(f"  raw aggregate in process {raw_s:7.4f} s")


def main():
    parts = ("large", "small")
    if "--part" in sys.argv:
        at = sys.argv.index("--part")
        parts = (sys.argv[at + 1],)
        del sys.argv[at:at + 2]
    engines = selected_engines(description=__doc__.splitlines()[0])
    for name, database in engines:
        print(f"== {name}")
        if "small" in parts:
            small(name, database)
        if "large" in parts:
            large(name, database)


if __name__ == "__main__":
    main()
