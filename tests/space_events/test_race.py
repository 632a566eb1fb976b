"""Twenty people tap "register" for the last place at once: exactly one gets it. Four
server processes with five threads each make the twenty requests (twenty processes would
take minutes just to start on a small machine)."""
import threading
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.space_events.models import EventRegistration
from coworking.space_events.service import create_event
from tests.factories import make_config, race_in_processes

PROCESSES, THREADS = 4, 5
CONTENDERS = PROCESSES * THREADS


def _contend(database_url, tokens, path, barrier, results):
    """One server process; its threads tap at once when every process is ready."""
    from coworking import create_app

    app = create_app(make_config(database_url))
    answers, lock = [], threading.Lock()
    ready = threading.Barrier(len(tokens) + 1)

    def tap(token):
        client = app.test_client()
        ready.wait(timeout=120)
        response = client.post(path, headers={"Authorization": f"Bearer {token}"})
        with lock:
            answers.append((response.status_code, (response.get_json() or {}).get("status")))

    threads = [threading.Thread(target=tap, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=120)
    ready.wait(timeout=120)
    for thread in threads:
        thread.join(timeout=120)
    results.put(answers)


def test_twenty_racing_registrations_for_the_last_place_leave_exactly_one_confirmed(
        make_space, make_user, database_url):
    space = make_space(public_holidays_closed=False)
    host = make_user(role="host", space=space)
    # A week ahead on the real clock: child processes cannot share a frozen one.
    start = datetime.combine(date.today() + timedelta(days=7), time(10), tzinfo=space.zone)
    event = create_event(host, space.slug, "Workshop", "", start, start + timedelta(hours=2),
                         capacity=1, visibility="public")
    tokens = [issue_api_token(make_user()) for _ in range(CONTENDERS)]
    path = f"/api/v1/events/{event.id}/registrations"
    answers = [answer for batch in race_in_processes(
        _contend, [(database_url, tokens[n::PROCESSES], path) for n in range(PROCESSES)])
        for answer in batch]
    assert sorted(answers) == [(201, "confirmed")] + [(201, "waitlisted")] * (CONTENDERS - 1)
    db.session.commit()
    confirmed = db.session.scalar(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.status == "confirmed"))
    assert confirmed == 1
