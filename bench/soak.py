"""Soak: the app under gunicorn, as deployed, answering a steady mix of members and a host for
minutes on end. What an operator wants to know before a town goes live: does anything answer
5xx, does latency creep, and is the data whole afterwards.

Run from the repository root:  .venv/bin/python bench/soak.py [--minutes 10] [--clients 8]
[--engine sqlite|postgresql] [--postgres URL]  (PostgreSQL: a temporary database on that
server, see bench/common.py; rate limits in Redis at BENCH_REDIS_URL, db 15 by default.)

Per engine: a space with 20 hot desks open every day, 40 covered members and a host, each
with an API token; `--clients` threads (4 gunicorn workers) loop over a seeded mix: the
overview and space pages, spaces, availability and hours, booking a random desk and hour in
the next 14 days (201 or 409), cancelling one of their own, their bookings, memberships and
invoices, the host's day, /healthz, /readyz and /metrics; `flask jobs work` runs beside them. Printed: requests, status codes per
route, 5xx and transport errors, latency median and p95 per minute (to see creep), and the
database's own checks afterwards: no desk held twice, every active booking covered.
Measurements, not tests: nothing is asserted.
"""
import argparse
import collections
import os
import random
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from common import (
    REPO,
    ZONE_NAME,
    build_space,
    bulk_users,
    local,
    migrated_app,
    postgres_database,
    sqlite_database,
    today_in,
)
from server import request, start_server, stop_server
from sqlalchemy import create_engine, text

from coworking.accounts.models import User
from coworking.accounts.service import create_user, issue_api_token
from coworking.extensions import db

WORKERS, MEMBERS = 4, 40


def start_jobs(database_url, log):
    """`flask jobs work` beside the server, as deployed: /readyz asks when the jobs last ran."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench-only-not-secret",
               COWORKING_ENV="production",
               RATELIMIT_STORAGE_URI=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    return subprocess.Popen([str(REPO / ".venv" / "bin" / "flask"), "--app", "wsgi", "jobs",
                             "work"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def world():
    """(space slug, desk ids, member tokens, host token)."""
    space, desk_ids = build_space("soak", 20)
    ids = bulk_users(MEMBERS, "soak")
    tokens = [issue_api_token(db.session.get(User, user_id)) for user_id in ids]
    host = create_user("host@soak.example.org", "Soak Host", "correct horse battery", "host",
                       space.id)
    slug = space.slug
    host_token = issue_api_token(host)
    db.session.commit()
    return slug, desk_ids, tokens, host_token


def mix(base, slug, desk_ids, zone):
    """The requests a client picks from: (route name, weight, call(rng, token, mine))."""
    def book(rng, token, mine):
        day = today_in(zone) + timedelta(days=rng.randrange(1, 15))
        start = local(day, rng.randrange(8, 17), 0, zone)
        body = {"resource_id": rng.choice(desk_ids),
                "start": start.astimezone(zone).isoformat(),
                "end": (start + timedelta(hours=1)).astimezone(zone).isoformat()}
        status, body_text = request(f"{base}/api/v1/bookings", token, body)
        if status == 201:
            mine.append(int(body_text.split('"id":', 1)[1].split(",", 1)[0]))
        return status

    def cancel(rng, token, mine):
        if not mine:
            return book(rng, token, mine)
        booking_id = mine.pop(rng.randrange(len(mine)))
        return request(f"{base}/api/v1/bookings/{booking_id}/cancel", token, {})[0]

    def get(path, auth=True):
        return lambda rng, token, mine: request(f"{base}{path}", token if auth else None)[0]

    day = today_in(zone) + timedelta(days=2)
    return [
        ("GET / (page)", 4, get("/", auth=False)),
        ("GET /spaces/<slug> (page)", 4, get(f"/spaces/{slug}", auth=False)),
        ("GET /api/v1/spaces", 6, get("/api/v1/spaces")),
        ("GET availability", 10, get(f"/api/v1/spaces/{slug}/availability?date={day}&days=7")),
        ("GET hours", 3, get(f"/api/v1/spaces/{slug}/hours")),
        ("POST /api/v1/bookings", 12, book),
        ("POST …/cancel", 6, cancel),
        ("GET /api/v1/bookings", 6, get("/api/v1/bookings")),
        ("GET /api/v1/me/memberships", 3, get("/api/v1/me/memberships")),
        ("GET /api/v1/me/invoices", 3, get("/api/v1/me/invoices")),
        ("GET /healthz", 2, get("/healthz", auth=False)),
        ("GET /readyz", 2, get("/readyz", auth=False)),
        ("GET /metrics", 1, get("/metrics", auth=False)),
    ]


def soak(engine_name, database_url, minutes, clients):
    zone = ZoneInfo(ZONE_NAME)
    slug, desk_ids, tokens, host_token = world()
    db.session.remove()
    db.engine.dispose()  # the servers alone use the database from here on

    statuses = collections.defaultdict(collections.Counter)
    per_minute = collections.defaultdict(list)
    lock = threading.Lock()
    with tempfile.TemporaryFile("w+") as log:
        jobs = start_jobs(database_url, log)
        process, base = start_server(database_url, log, WORKERS)
        choices = mix(base, slug, desk_ids, zone)
        choices.append(("GET …/day (host)", 2,
                        lambda rng, token, mine: request(
                            f"{base}/api/v1/spaces/{slug}/day", host_token)[0]))
        names, weights = [c[0] for c in choices], [c[1] for c in choices]
        started = time.monotonic()
        stop_at = started + minutes * 60

        def client(n):
            rng = random.Random(20270301 + n)
            token, mine = tokens[n % len(tokens)], []
            while time.monotonic() < stop_at:
                index = rng.choices(range(len(choices)), weights)[0]
                t0 = time.perf_counter()
                status = choices[index][2](rng, token, mine)
                elapsed = time.perf_counter() - t0
                with lock:
                    statuses[names[index]][status] += 1
                    per_minute[int((time.monotonic() - started) // 60)].append(elapsed)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            stop_server(process)
            stop_server(jobs)
        log.seek(0)
        tracebacks = log.read().count("Traceback")

    total = sum(sum(c.values()) for c in statuses.values())
    server_errors = sum(n for c in statuses.values() for s, n in c.items()
                        if isinstance(s, int) and s >= 500)
    transport = sum(n for c in statuses.values() for s, n in c.items() if not isinstance(s, int))
    print(f"\n== {engine_name}: {minutes} min, {clients} clients, gunicorn --workers {WORKERS}")
    print(f"    requests: {total} ({total / (minutes * 60):.0f}/s); 5xx: {server_errors}; "
          f"transport errors: {transport}; tracebacks in the server log: {tracebacks}")
    for name in names:
        print(f"    {name:32} {dict(sorted(statuses[name].items(), key=str))}")
    print("    latency by minute (median / p95 ms):")
    for minute in sorted(per_minute):
        times = sorted(per_minute[minute])
        print(f"      {minute:2}: {times[len(times) // 2] * 1000:7.1f} / "
              f"{times[int(len(times) * 0.95)] * 1000:7.1f}   ({len(times)} requests)")
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            active = "status IN ('pending_payment', 'confirmed', 'checked_in')"
            doubled = conn.scalar(text(
                f"SELECT count(*) FROM booking a JOIN booking b ON a.resource_id = b.resource_id "
                f"AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at "
                f"WHERE a.{active} AND b.{active}"))
            uncovered = conn.scalar(text(
                "SELECT count(*) FROM booking WHERE status IN ('confirmed', 'checked_in') "
                "AND membership_id IS NULL"))
            kept = conn.scalar(text(f"SELECT count(*) FROM booking WHERE {active}"))
    finally:
        engine.dispose()
    print(f"    afterwards: {kept} active bookings, {doubled} desk-hours held twice, "
          f"{uncovered} active bookings without cover")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"))
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    print(__doc__.strip().splitlines()[0])
    engines = []
    if args.engine in (None, "postgresql"):
        engines.append(("PostgreSQL", lambda: postgres_database(args.postgres)))
    if args.engine in (None, "sqlite"):
        engines.append(("SQLite", sqlite_database))
    for name, database in engines:
        with database() as url:
            if url is None:
                continue
            with migrated_app(url):
                soak(name, url, args.minutes, args.clients)


if __name__ == "__main__":
    main()
