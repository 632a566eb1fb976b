"""One browser that sends its subscription twice at the same moment (two tabs, a retry) ends
up with one stored subscription, never a 500: each request is a 201, or a 409 to send it
again."""
from sqlalchemy import func, select

from coworking.accounts.service import issue_api_token
from coworking.extensions import db
from coworking.push.models import PushSubscription
from tests.factories import make_config, race_in_processes
from tests.push.push_endpoint import Device

PROCESSES = 4


def _subscribe(database_url, token, body, barrier, results):
    from coworking import create_app

    client = create_app(make_config(database_url)).test_client()
    barrier.wait(timeout=60)
    response = client.post("/api/v1/me/push-subscriptions", json=body,
                           headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    results.put((response.status_code, response.mimetype))


def test_the_same_subscription_sent_at_once_is_stored_once(app, make_user, database_url):
    member = make_user()
    tokens = [issue_api_token(member) for _ in range(PROCESSES)]
    body = Device().subscription("https://push.example.org/twice")
    db.session.commit()
    answers = race_in_processes(_subscribe, [(database_url, token, body) for token in tokens])
    assert 201 in [code for code, _ in answers], answers
    assert all(code == 201 or (code, mimetype) == (409, "application/problem+json")
               for code, mimetype in answers), answers
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1
