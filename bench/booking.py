"""Booking: the service against bare inserts, with and without history; the SQL of one booking;
booking and availability over HTTP; clients racing for one slot.

Run from the repository root:  .venv/bin/python bench/booking.py [--engine sqlite|postgresql]
[--postgres URL]  (PostgreSQL: a temporary database on that server, see bench/common.py;
skipped with a note if unreachable.)

Per engine, on a fresh database migrated with flask_migrate.upgrade():
(a) Three spaces of 20 hot desks with one member per desk; the second also holds 50,000
    confirmed past bookings (the 250 days before) on the same desks and members. Members of
    the first two hold an unlimited plan; those of the third ("card") pay every desk day with
    a credit taken from a 10-visit card's ledger. In each of
    21 rounds, 30 non-overlapping 30-minute bookings on the slot grid go in through
    coworking.bookings.service.book(), and the same 30 rows through a bare SQLAlchemy Core
    insert(Booking.__table__), one row per transaction, into each space; the six runs rotate
    their order from round to round and each one's rows are deleted (untimed) before the next.
    Printed: the median time per booking, SQL statements per booking, the speed of book()
    relative to the bare insert (bare / book), and history / no history.
(b) The SQL of one booking: the statements, pings, commits and rollbacks of one book() call,
    and of one POST /api/v1/bookings with a bearer token through the Flask test client.
(c) The app served by gunicorn (2 sync worker processes on 127.0.0.1, COWORKING_ENV=production)
    with one client: POST /api/v1/bookings (a new slot each time) and a 14-day
    GET /api/v1/spaces/{slug}/availability (20 desks, 5,000 bookings) against the trivial
    GET /api/v1/spaces, 15 rounds of 8 requests each, interleaved. Printed: median latency,
    and the speed relative to the trivial request (trivial / X).
(d) 50 clients against gunicorn (4 workers), 50 threads released at once by a
    threading.Barrier, each POSTing /api/v1/bookings for the same desk and hour. Printed:
    the tally of status codes (one 201 and 49 409 expected, no 500), the active bookings the
    database then holds for that slot, and the wall time. The racers all hold an unlimited
    plan, so cover is never what refuses them. The 409 messages tell which path answered:
    "… is already booked at that time" names the booking that won, "This slot has just been
    booked by someone else" is a race lost twice. The server log is shown on any 500.
(e) Lost races: in 200 rounds, 8 threads (each its own app context and session) call book()
    for one slot at once. Counted: how often coworking.database.is_lost_race said yes (a
    deadlock or serialization failure, retried by use_case), with the SQLSTATEs, and the
    outcomes as the API answers them (any other than 201/409 is a fault).
Each scenario checks that it got the answers its figures assume (every booking stored, every
request answered as expected, exactly one winner of a race, ...); a miss prints "FAILED: ..."
where it happens, and the run ends with a non-zero exit status listing every miss.
"""
import collections
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ZONE_NAME,
    Expectations,
    StatementCounter,
    StatementLog,
    booking_row,
    build_space,
    bulk_users,
    give_plan,
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
from races import lost_races, race  # noqa: E402
from server import request, start_server, stop_server  # noqa: E402
from sqlalchemy import delete, func, insert, select  # noqa: E402

from coworking.accounts.models import User  # noqa: E402
from coworking.accounts.service import issue_api_token  # noqa: E402
from coworking.bookings.models import Booking  # noqa: E402
from coworking.bookings.service import book  # noqa: E402
from coworking.extensions import db  # noqa: E402
from coworking.outbox import OutboxMessage  # noqa: E402

DESKS, PER_ROUND, ROUNDS = 20, 30, 21
HISTORY = 50_000
HTTP_ROUNDS, HTTP_PER_ROUND, HTTP_WORKERS = 15, 8, 2


def slot_rows(desk_ids, user_ids, first_day, count, zone):
    """`count` 30-minute bookings on the grid, 08:00–18:00 from `first_day`, filling all desks
    slot by slot; the member of desk i books only desk i, so nobody holds two desks at once."""
    rows = []
    for i in range(count):
        slot = i // len(desk_ids)
        start = (local(first_day + timedelta(days=slot // 20), 8, 0, zone)
                 + timedelta(minutes=30 * (slot % 20)))
        rows.append(booking_row(user_ids[i % len(desk_ids)], desk_ids[i % len(desk_ids)], start,
                                start + timedelta(minutes=30)))
    return rows


def load_users(ids):
    """The members with their roles, loaded as a request loads the signed-in user."""
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def throughput(engine_name, expect):
    zone = ZoneInfo(ZONE_NAME)
    first_day = today_in(zone) + timedelta(days=3)
    spaces = {}
    for name in ("no history", "history", "card"):
        desk_ids = build_space(f"bench-{name.replace(' ', '-')}", DESKS)[1]
        # Members of "card" pay with a 10-visit card: each desk day takes a credit from the ledger.
        user_ids = bulk_users(DESKS, name[0], cover=name != "card")
        if name == "card":
            give_plan(user_ids, kind="multi_pass", credits=100_000)
            db.session.commit()
        blocks = slot_rows(desk_ids, user_ids, first_day, PER_ROUND * ROUNDS, zone)
        spaces[name] = (desk_ids, user_ids, blocks)
    desk_ids, user_ids, _blocks = spaces["history"]
    t0 = time.perf_counter()
    insert_rows(grid_bookings(desk_ids, user_ids, first_day - timedelta(days=260), 250, HISTORY,
                              zone, random.Random(7)))
    elapsed = time.perf_counter() - t0
    users = load_users([u for _d, ids, _b in spaces.values() for u in ids])
    table = Booking.__table__
    watermark = db.session.scalar(select(func.max(Booking.id)))
    state = {"round": 0}
    sql = {}

    def block(space):
        at = state["round"] * PER_ROUND
        return spaces[space][2][at:at + PER_ROUND]

    def via_service(space):
        def run():
            with StatementCounter(db.engine) as counter:
                for row in block(space):
                    book(users[row["user_id"]], row["resource_id"], row["start_at"],
                         row["end_at"])
            sql.setdefault(f"book {space}", []).append(counter)
            return PER_ROUND
        return run

    def bare_insert(space):
        def run():
            with StatementCounter(db.engine) as counter:
                for row in block(space):
                    with db.engine.begin() as conn:
                        conn.execute(insert(table), row)
            sql.setdefault(f"bare {space}", []).append(counter)
            return PER_ROUND
        return run

    def after_each(_name):
        # On a connection of its own: a commit of the session would expire the members.
        with db.engine.begin() as conn:
            held = conn.execute(delete(Booking).where(Booking.id > watermark)).rowcount
            conn.execute(delete(OutboxMessage))
        if not expect.check(held == PER_ROUND, f"{engine_name} (a)",
                            f"{_name}: {held} bookings stored instead of {PER_ROUND}"):
            expect.exit_if_failed()  # the rest would time other work

    variants = {}
    for space in spaces:
        variants[f"book {space}"] = via_service(space)
        variants[f"bare {space}"] = bare_insert(space)
    # Every variant of a round books the same block of slots; the rotation changes who goes first.
    rounds = {name: [] for name in variants}
    for round_ in range(ROUNDS):
        state["round"] = round_
        order = list(variants)
        order = order[round_ % len(order):] + order[:round_ % len(order)]
        times = interleaved({name: variants[name] for name in order}, 1, after_each=after_each)
        for name, values in times.items():
            rounds[name].extend(values)

    print(f"\n== {engine_name} (a) book() against a bare insert of the same rows, {ROUNDS} rounds "
          f"x {PER_ROUND} bookings per variant, interleaved; {HISTORY:,} past bookings inserted "
          f"in {elapsed:.1f} s")
    print(f"    {'':48} {'median':>9} {'p95':>9} {'statements/booking':>19}")
    for name in variants:
        counters = sql[name]
        per = sum(c.queries for c in counters) / (len(counters) * PER_ROUND)
        begins = sum(c.total - c.queries for c in counters) / (len(counters) * PER_ROUND)
        values = sorted(rounds[name])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        label = {"book": "service book(), 1 per transaction",
                 "bare": "Core insert(), 1 per transaction"}[name[:4]] + f", {name[5:]}"
        print(f"    {label:48} {median(values) * 1000:6.2f} ms {p95 * 1000:6.2f} ms "
              f"{per:10.1f}" + (f" (+{begins:.0f} BEGIN)" if begins else ""))
    for space in spaces:
        print(f"    {space}: book() runs at {median(rounds[f'bare {space}']) / median(rounds[f'book {space}']):.2f}x "
              f"the speed of the bare insert")
    print("    (\"no history\" and \"history\": members with an unlimited plan; \"card\": members "
          "paying each desk day with a credit from a 10-visit card's ledger)")
    print(f"    history / no history: book() {median(rounds['book history']) / median(rounds['book no history']):.2f}x, "
          f"bare insert {median(rounds['bare history']) / median(rounds['bare no history']):.2f}x")
    return spaces


def one_booking_sql(engine_name, app, spaces, expect):
    zone = ZoneInfo(ZONE_NAME)
    desk_ids, user_ids, _blocks = spaces["no history"]
    users = load_users(user_ids)
    late = today_in(zone) + timedelta(days=200)
    rows = slot_rows(desk_ids, user_ids, late, 3, zone)
    book(users[rows[0]["user_id"]], rows[0]["resource_id"], rows[0]["start_at"], rows[0]["end_at"])
    db.session.remove()
    users = load_users(user_ids)
    row = rows[1]
    with StatementLog(db.engine) as log:
        book(users[row["user_id"]], row["resource_id"], row["start_at"], row["end_at"])
    print(f"\n== {engine_name} (b) the SQL of one book() call (the member already loaded): "
          f"{log.summary()}")
    log.print()

    token = issue_api_token(users[rows[2]["user_id"]])
    db.session.remove()
    client = app.test_client()
    body = {"resource_id": rows[2]["resource_id"], "start": rows[2]["start_at"].isoformat(),
            "end": rows[2]["end_at"].isoformat()}
    with StatementLog(db.engine) as log:
        with app.app_context():
            response = client.post("/api/v1/bookings", json=body,
                                   headers={"Authorization": f"Bearer {token}"})
    print(f"    one POST /api/v1/bookings (status {response.status_code}) through the test client: "
          f"{log.summary()}")
    log.print()
    expect.check(response.status_code == 201, f"{engine_name} (b)",
                 f"POST /api/v1/bookings answered {response.status_code}, not 201: "
                 f"{response.get_data(as_text=True)[:300]}")
    with StatementLog(db.engine) as log:
        with app.app_context():
            response = client.get("/api/v1/spaces")
    print(f"    for comparison, GET /api/v1/spaces (status {response.status_code}): {log.summary()}")
    expect.check(response.status_code == 200, f"{engine_name} (b)",
                 f"GET /api/v1/spaces answered {response.status_code}, not 200")


def over_http(engine_name, database_url, expect):
    zone = ZoneInfo(ZONE_NAME)
    desk_ids = build_space("bench-http", DESKS)[1]
    user_ids = bulk_users(DESKS, "w")
    users = load_users(user_ids)
    tokens = {uid: issue_api_token(users[uid]) for uid in user_ids}
    rows = iter(slot_rows(desk_ids, user_ids, today_in(zone) + timedelta(days=30),
                          HTTP_ROUNDS * HTTP_PER_ROUND + 4 * HTTP_PER_ROUND, zone))
    avail_desks = build_space("bench-http-availability", DESKS)[1]
    first_day = today_in(zone) + timedelta(days=1)
    insert_rows(grid_bookings(avail_desks, bulk_users(200, "v"), first_day, 14, 5000, zone,
                              random.Random(11)))
    db.session.remove()
    db.engine.dispose()  # the servers alone use the database from here on

    with tempfile.TemporaryFile("w+") as log:
        process = None
        codes = collections.Counter()
        try:
            process, base = start_server(database_url, log, HTTP_WORKERS)

            def timed(call):
                t0 = time.perf_counter()
                status, text = call()
                codes[status] += 1
                if status not in (200, 201):
                    print(f"    unexpected {status}: {text[:300]}")
                return time.perf_counter() - t0

            def post():
                row = next(rows)
                body = {"resource_id": row["resource_id"],
                        "start": row["start_at"].astimezone(zone).isoformat(),
                        "end": row["end_at"].astimezone(zone).isoformat()}
                return request(f"{base}/api/v1/bookings", tokens[row["user_id"]], body)

            kinds = {
                "trivial": lambda: request(f"{base}/api/v1/spaces"),
                "booking": post,
                "availability": lambda: request(
                    f"{base}/api/v1/spaces/bench-http-availability/availability"
                    f"?date={first_day.isoformat()}&days=14"),
            }
            latencies = {name: [] for name in kinds}

            def batch(name):
                def run():
                    for _ in range(HTTP_PER_ROUND):
                        latencies[name].append(timed(kinds[name]))
                    return HTTP_PER_ROUND
                return run

            for name in kinds:  # warm-up: every worker has run every path once
                for _ in range(4):
                    timed(kinds[name])
            for values in latencies.values():
                values.clear()
            interleaved({name: batch(name) for name in kinds}, HTTP_ROUNDS)
        finally:
            if process is not None:
                stop_server(process)
        print(f"\n== {engine_name} (c) over HTTP, gunicorn --workers {HTTP_WORKERS}, one client, "
              f"{HTTP_ROUNDS} rounds x {HTTP_PER_ROUND} requests each, interleaved "
              f"(status codes {dict(codes)})")
        trivial = median(latencies["trivial"])
        for name, label in (("trivial", "GET /api/v1/spaces"),
                            ("booking", "POST /api/v1/bookings"),
                            ("availability", "GET …/availability?days=14 (5,000 bookings)")):
            print(f"    {label:46} {ms_summary(latencies[name])}   "
                  f"speed relative to the trivial request: {trivial / median(latencies[name]):.3f}x")
        expected = {200: 4 * 2 + 2 * HTTP_ROUNDS * HTTP_PER_ROUND,
                    201: 4 + HTTP_ROUNDS * HTTP_PER_ROUND}
        expect.check(dict(codes) == expected, f"{engine_name} (c)",
                     f"status codes {dict(codes)}, expected {expected}")
        log.seek(0)
        server_log = log.read()
        expect.check("Traceback" not in server_log, f"{engine_name} (c)",
                     "the server logged a traceback")
        if "Traceback" in server_log:
            print("    --- gunicorn log ---\n" + server_log[-6000:])


def main():
    engines = selected_engines(description=__doc__.strip().splitlines()[0])
    print(__doc__.strip().splitlines()[0])
    expect = Expectations()
    for engine_name, factory in engines:
        with factory() as url:
            if url is None:
                continue
            with migrated_app(url) as app:
                spaces = throughput(engine_name, expect)
                one_booking_sql(engine_name, app, spaces, expect)
                over_http(engine_name, url, expect)
                race(engine_name, url, expect)
                lost_races(engine_name, app, expect)
    expect.exit_if_failed()


if __name__ == "__main__":
    main()
