"""A plan offered once per member is sold once, even to a burst of purchases at the same moment
from threads and from separate processes: one 201, the rest a 409 problem that says why."""
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.memberships.models import Membership
from tests.factories import make_config, make_plan, race_in_processes

CONTENDERS = 10
PROCESSES = 5  # each starts an app of its own


@pytest.fixture
def trial(app):
    return make_plan("Schnuppertag", kind="day_pass", price_cents=0, all_spaces=True,
                     once_per_member=True, validity_days=30)


@pytest.fixture
def tokens(make_user):
    """One member with a token per device: every purchase below is theirs."""
    member = make_user(covered=False)
    return member, [issue_api_token(member) for _ in range(CONTENDERS)]


def trials_of(member, trial):
    db.session.commit()  # end the test's read snapshot so the contenders' writes show
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.user_id == member.id, Membership.plan_id == trial.id))


def _purchase(client, token, plan_id):
    return client.post("/api/v1/memberships", json={"plan_id": plan_id},
                       headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def _contend(database_url, token, plan_id, barrier, results):
    from coworking import create_app

    client = create_app(make_config(database_url)).test_client()
    barrier.wait(timeout=60)
    response = _purchase(client, token, plan_id)
    results.put((response.status_code, response.mimetype, response.get_json()))


def assert_one_sold(answers):
    assert sorted(code for code, _, _ in answers) == [201] + [409] * (len(answers) - 1), answers
    for code, mimetype, body in answers:
        if code == 409:
            assert mimetype == "application/problem+json"
            assert "once per member" in body["detail"] and "plan_id" in body["errors"], body


def test_threads_buying_the_free_trial_at_once_get_it_once(app, trial, tokens):
    member, tokens = tokens
    barrier = threading.Barrier(CONTENDERS)
    answers, lock = [], threading.Lock()

    plan_id = trial.id

    def contend(token):
        client = FlaskClient(app)
        barrier.wait(timeout=30)
        response = _purchase(client, token, plan_id)
        with lock:
            answers.append((response.status_code, response.mimetype, response.get_json()))

    threads = [threading.Thread(target=contend, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert_one_sold(answers)
    assert trials_of(member, trial) == 1


def test_processes_buying_the_free_trial_at_once_get_it_once(app, trial, tokens,
                                                             database_url):
    member, tokens = tokens
    tokens = tokens[:PROCESSES]
    answers = race_in_processes(_contend, [(database_url, token, trial.id) for token in tokens])
    assert_one_sold(answers)
    assert trials_of(member, trial) == 1

