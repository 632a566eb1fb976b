"""Booking: throughput of the booking service, and 50 clients racing for one slot over HTTP.

Run from the repository root:  .venv/bin/python bench/booking.py
(PostgreSQL: a temporary database on BENCH_DATABASE_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres; skipped with a note if unreachable.)

Per engine, on a fresh database migrated with flask_migrate.upgrade():
(a) N = 1,000 non-overlapping 30-minute bookings (20 hot desks, one member per desk, on the
    slot grid, 08:00–18:00 from three days ahead) through coworking.bookings.service.book(),
    then the same rows through a bare SQLAlchemy Core insert(Booking.__table__), one row per
    transaction, then once more as one executemany; the table is emptied between the runs.
    Printed: bookings per second, SQL statements per booking, the ratio Core / service.
(b) The app served by gunicorn (4 sync worker processes on 127.0.0.1, COWORKING_ENV=development:
    production refuses per-process rate-limit counters with several workers, and no rate limit
    takes part in the race),
    50 members created with create_user() and issue_api_token(), 50 threads released at once
    by a threading.Barrier, each POSTing /api/v1/bookings for the same desk and hour. Printed:
    the tally of status codes (one 201 and 49 409 expected, no 500), the active bookings the
    database then holds for that slot, and the wall time. The 409 messages tell which guard
    answered: "… is already booked at that time" is the service's check, "This slot has just
    been booked by someone else" the database's overlap guard. The server log is shown on any 500.
Measurements, not tests: nothing is asserted.
"""
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (ENGINES, REPO, ZONE_NAME, StatementCounter, booking_row,  # noqa: E402
                    build_space, bulk_users, local, migrated_app, today_in)

from sqlalchemy import create_engine, delete, func, insert, select  # noqa: E402

from coworking.accounts.models import User  # noqa: E402
from coworking.accounts.service import create_user, issue_api_token  # noqa: E402
from coworking.bookings.models import ACTIVE_STATUSES, Booking  # noqa: E402
from coworking.bookings.service import book  # noqa: E402
from coworking.extensions import db  # noqa: E402

N, DESKS, CLIENTS, WORKERS = 1000, 20, 50, 4
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def throughput(engine_name):
    zone = ZoneInfo(ZONE_NAME)
    _space, desk_ids = build_space("bench-throughput", DESKS)
    user_ids = bulk_users(DESKS, "t")
    first_day = today_in(zone) + timedelta(days=3)
    rows = []
    for i in range(N):
        slot = i // DESKS
        start = local(first_day + timedelta(days=slot // 20), 8, 0, zone) + timedelta(minutes=30 * (slot % 20))
        rows.append(booking_row(user_ids[i % DESKS], desk_ids[i % DESKS], start,
                                start + timedelta(minutes=30)))

    def empty_table():
        held = db.session.scalar(select(func.count()).select_from(Booking))
        db.session.execute(delete(Booking))
        db.session.commit()
        return held

    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    t0 = time.perf_counter()
    with StatementCounter(db.engine) as service_sql:
        for row in rows:
            book(users[row["user_id"]], row["resource_id"], row["start_at"], row["end_at"])
    t_service = time.perf_counter() - t0
    held_service = empty_table()

    table = Booking.__table__
    t0 = time.perf_counter()
    with StatementCounter(db.engine) as core_sql:
        for row in rows:
            with db.engine.begin() as conn:
                conn.execute(insert(table), row)
    t_core = time.perf_counter() - t0
    held_core = empty_table()

    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        conn.execute(insert(table), rows)
    t_many = time.perf_counter() - t0
    held_many = empty_table()

    print(f"\n== {engine_name} (a) {N:,} bookings, 30 min each, {first_day} .. "
          f"{rows[-1]['start_at'].astimezone(zone).date()}")
    for label, seconds, held, sql in (
        ("service book(), 1 per transaction", t_service, held_service, service_sql),
        ("Core insert(), 1 per transaction", t_core, held_core, core_sql),
        ("Core insert(), one executemany", t_many, held_many, None),
    ):
        per = (f"{sql.queries / N:4.1f} statements/booking"
               + (f" (+{(sql.total - sql.queries) / N:.0f} BEGIN)" if sql.total != sql.queries else "")
               if sql else "")
        print(f"    {label:36} {N / seconds:9,.0f} bookings/s  {seconds * 1000 / N:6.2f} ms each"
              f"  stored {held:,}  {per}")
    print(f"    ratio Core/service, 1 per transaction: {t_service / t_core:.1f}x   "
          f"executemany/service: {t_service / t_many:.0f}x")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, token=None, body=None, timeout=60):
    headers = {"Accept-Language": "en", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with HTTP.open(req, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return f"{type(error).__name__}", str(error)


def start_server(database_url, log):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench-only-not-secret",
               COWORKING_ENV="development")
    process = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while request(f"{base}/api/v1/spaces", timeout=5)[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not come up (exit code {process.poll()})")
            time.sleep(0.2)
        # Let every worker boot and import the app before the race starts.
        warm = [threading.Thread(target=request, args=(f"{base}/api/v1/spaces",))
                for _ in range(16)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
    except BaseException:
        stop_server(process)
        raise
    return process, base


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def race(engine_name, database_url):
    zone = ZoneInfo(ZONE_NAME)
    _space, desk_ids = build_space("bench-race", 2)
    tokens = [issue_api_token(create_user(f"racer{i}@bench.example.org", f"Racer {i}",
                                          "correct horse battery"))
              for i in range(CLIENTS)]
    start = local(today_in(zone) + timedelta(days=3), 10, 0, zone)
    body = {"resource_id": desk_ids[0], "start": start.astimezone(zone).isoformat(),
            "end": (start + timedelta(hours=1)).astimezone(zone).isoformat()}
    db.session.remove()
    db.engine.dispose()  # the servers alone use the database from here on

    with tempfile.TemporaryFile("w+") as log:
        process = None
        try:
            process, base = start_server(database_url, log)
            barrier = threading.Barrier(CLIENTS)
            results, times = [None] * CLIENTS, [None] * CLIENTS

            def client(i):
                barrier.wait()
                t0 = time.perf_counter()
                results[i] = request(f"{base}/api/v1/bookings", tokens[i], body)
                times[i] = (t0, time.perf_counter())

            threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            wall = max(end for _s, end in times) - min(s for s, _e in times)
        finally:
            if process is not None:
                stop_server(process)
        engine = create_engine(database_url)
        try:
            with engine.connect() as conn:
                held = conn.scalar(select(func.count()).select_from(Booking).where(
                    Booking.resource_id == desk_ids[0], Booking.status.in_(ACTIVE_STATUSES),
                    Booking.start_at < start + timedelta(hours=1), Booking.end_at > start))
        finally:
            engine.dispose()

        tally = collections.Counter(status for status, _text in results)
        print(f"\n== {engine_name} (b) {CLIENTS} clients, one slot ({body['start']} .. "
              f"{body['end']}, desk {desk_ids[0]}), gunicorn --workers {WORKERS}")
        print(f"    status codes: {dict(sorted(tally.items(), key=str))}")
        reasons = collections.Counter(json.loads(text).get("detail", "?")
                                      for status, text in results if status == 409)
        for reason, count in reasons.most_common():
            print(f"      409 x{count}: {reason}")
        print(f"    active bookings the database holds for that slot: {held}")
        print(f"    wall time from release to last response: {wall * 1000:.0f} ms")
        odd = [(s, t) for s, t in results if s not in (201, 409)]
        for status, text in odd[:3]:
            print(f"    unexpected {status}: {text[:300]}")
        log.seek(0)
        server_log = log.read()
        if odd or "Traceback" in server_log:
            print("    --- gunicorn log ---\n" + server_log[-6000:])


def main():
    print(__doc__.strip().splitlines()[0])
    for engine_name, factory in ENGINES:
        with factory() as url:
            if url is None:
                continue
            with migrated_app(url):
                throughput(engine_name)
                race(engine_name, url)


if __name__ == "__main__":
    main()
