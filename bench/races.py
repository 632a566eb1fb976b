"""Clients racing for one slot: (d) over HTTP against gunicorn, (e) threads calling book().
Run by bench/booking.py; see its docstring."""
import collections
import json
import tempfile
import threading
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from common import ZONE_NAME, build_space, bulk_users, give_plan, local, today_in
from server import request, start_server, stop_server
from sqlalchemy import create_engine, func, select

import coworking.database
from coworking.accounts.models import User
from coworking.accounts.service import create_user, issue_api_token
from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import book
from coworking.errors import DomainError
from coworking.extensions import db

CLIENTS, RACE_WORKERS = 50, 4
LOST_RACE_ROUNDS, CONTENDERS = 200, 8


def race(engine_name, database_url, expect):
    zone = ZoneInfo(ZONE_NAME)
    _space, desk_ids = build_space("bench-race", 2)
    racers = [create_user(f"racer{i}@bench.example.org", f"Racer {i}", "correct horse battery")
              for i in range(CLIENTS)]
    # Each racer holds an unlimited plan: the slot, not a want of cover, decides who books.
    give_plan([racer.id for racer in racers], kind="monthly", credits=None)
    db.session.commit()
    tokens = [issue_api_token(racer) for racer in racers]
    start = local(today_in(zone) + timedelta(days=3), 10, 0, zone)
    body = {"resource_id": desk_ids[0], "start": start.astimezone(zone).isoformat(),
            "end": (start + timedelta(hours=1)).astimezone(zone).isoformat()}
    db.session.remove()
    db.engine.dispose()  # the servers alone use the database from here on

    with tempfile.TemporaryFile("w+") as log:
        process = None
        try:
            process, base = start_server(database_url, log, RACE_WORKERS)
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
        print(f"\n== {engine_name} (d) {CLIENTS} clients, one slot ({body['start']} .. "
              f"{body['end']}, desk {desk_ids[0]}), gunicorn --workers {RACE_WORKERS}")
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
        scenario = f"{engine_name} (d)"
        expect.check(tally == {201: 1, 409: CLIENTS - 1}, scenario,
                     f"status codes {dict(tally)}, expected one 201 and {CLIENTS - 1} 409")
        expect.check(held == 1, scenario, f"{held} active bookings for the slot, expected 1")
        log.seek(0)
        server_log = log.read()
        expect.check("Traceback" not in server_log, scenario, "the server logged a traceback")
        if odd or "Traceback" in server_log:
            print("    --- gunicorn log ---\n" + server_log[-6000:])


def lost_races(engine_name, app, expect):
    """Eight threads race book() for one slot, round after round; count what use_case retries."""
    zone = ZoneInfo(ZONE_NAME)
    desk_id = build_space("bench-lost-races", 1)[1][0]
    user_ids = bulk_users(CONTENDERS, "r")
    first_day = today_in(zone) + timedelta(days=40)
    db.session.remove()

    seen = collections.Counter()
    lock = threading.Lock()
    original = coworking.database.is_lost_race

    def counting(error):
        lost = original(error)
        orig = getattr(error, "orig", None)
        key = (lost, getattr(orig, "sqlstate", None) or "no SQLSTATE",
               str(orig).strip().splitlines()[0][:80] if orig is not None else "?")
        with lock:
            seen[key] += 1
        return lost

    def lost_so_far():
        return sum(n for (lost, *_rest), n in seen.items() if lost)

    outcomes = collections.Counter()
    rounds_with_lost = 0
    coworking.database.is_lost_race = counting
    try:
        for round_ in range(LOST_RACE_ROUNDS):
            start = (local(first_day + timedelta(days=round_ // 10), 8, 0, zone)
                     + timedelta(hours=round_ % 10))
            barrier = threading.Barrier(CONTENDERS)
            before = lost_so_far()

            def contend(user_id):
                with app.app_context():
                    member = db.session.get(User, user_id)
                    try:
                        barrier.wait(timeout=30)
                        book(member, desk_id, start, start + timedelta(hours=1), source="api")
                        outcome = (201, "booked")
                    except DomainError as error:
                        outcome = (error.status, str(error.message))
                    except Exception as error:  # what the API would answer with a 500
                        outcome = (500, f"{type(error).__name__}: {str(error)[:200]}")
                with lock:
                    outcomes[outcome] += 1

            threads = [threading.Thread(target=contend, args=(uid,)) for uid in user_ids]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            rounds_with_lost += lost_so_far() > before
    finally:
        coworking.database.is_lost_race = original
    print(f"\n== {engine_name} (e) lost races: {LOST_RACE_ROUNDS} rounds of {CONTENDERS} threads "
          f"calling book() for one slot at once (each its own app context and session)")
    statuses = collections.Counter()
    for (status, _reason), count in outcomes.items():
        statuses[status] += count
    print(f"    outcomes as the API would answer them: {dict(sorted(statuses.items()))}")
    for (status, reason), count in outcomes.most_common():
        print(f"      {status} x{count}: {reason}")
    print(f"    is_lost_race said yes {lost_so_far()} times (each a retry by use_case, or a 409 "
          f"when it was the second attempt), in {rounds_with_lost} of {LOST_RACE_ROUNDS} rounds")
    for (lost, sqlstate, message), count in seen.most_common():
        print(f"      {'lost race' if lost else 'other database error'} x{count}: {sqlstate} {message}")
    scenario = f"{engine_name} (e)"
    expect.check(set(statuses) <= {201, 409}, scenario,
                 f"outcomes {dict(statuses)}: only 201 and 409 are answers")
    expect.check(statuses[201] == LOST_RACE_ROUNDS, scenario,
                 f"{statuses[201]} bookings in {LOST_RACE_ROUNDS} rounds, expected one per round")
