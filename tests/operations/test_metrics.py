"""/metrics in Prometheus' text format: requests by URL rule and status with latencies, the
bookings made, the outbox and the jobs; only to the METRICS_TOKEN bearer, or from loopback."""
from datetime import datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from coworking import clock
from coworking.bookings import service
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.outbox import MAX_ATTEMPTS, OutboxMessage
from tests.factories import resources_of

OUTSIDE = {"REMOTE_ADDR": "203.0.113.5"}


def scrape(client, **kwargs):
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_requests_are_counted_by_url_rule_and_status(client, make_space):
    space = make_space()
    before = scrape(client)
    client.get(f"/spaces/{space.slug}")
    client.get("/spaces/no-such-space")
    client.get("/no/such/page/at/all")
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    rule = {"method": "GET", "route": "/spaces/<slug>"}
    assert grew("coworking_http_requests_total", **rule, status="200") == 1
    assert grew("coworking_http_requests_total", **rule, status="404") == 1
    assert grew("coworking_http_requests_total", method="GET", route="unmatched",
                status="404") == 1
    assert grew("coworking_http_request_duration_seconds_count", **rule) == 2
    assert grew("coworking_http_request_duration_seconds_bucket", **rule, le="+Inf") == 2
    assert not any(space.slug in str(key) for key in after)  # rules, never raw paths


def test_bookings_the_outbox_and_the_jobs(client, make_space, make_user, frozen):
    samples = scrape(client)
    assert value(samples, "coworking_database_up") == 1
    assert value(samples, "coworking_bookings_made_total") == 0
    assert not any(name.startswith("coworking_job_") for name, _ in samples)

    desk = resources_of(make_space())[0]
    start = datetime.fromisoformat("2027-03-02T09:00:00+01:00")
    booking = service.book(make_user(), desk.id, start, start + timedelta(hours=2))
    service.cancel(booking.user, booking.id)
    old = clock.utcnow() - timedelta(minutes=10)
    db.session.add_all([
        OutboxMessage(topic="t", payload={}, created_at=old, available_at=old, attempts=1),
        OutboxMessage(topic="t", payload={}, created_at=old, available_at=old,
                      attempts=MAX_ATTEMPTS, parked_at=old)])
    db.session.commit()

    samples = scrape(client)
    assert value(samples, "coworking_bookings_made_total") == 1
    assert value(samples, "coworking_outbox_parked") == 1
    # The booking's own messages are new; the oldest waits for ten minutes.
    assert value(samples, "coworking_outbox_backlog") >= 2
    assert value(samples, "coworking_outbox_oldest_unsent_age_seconds") == 600

    run_all()
    samples = scrape(client)
    now = clock.utcnow().timestamp()
    assert value(samples, "coworking_job_last_run_timestamp_seconds", job="send-outbox") == now
    assert value(samples, "coworking_job_last_success_timestamp_seconds",
                 job="send-outbox") == now
    assert value(samples, "coworking_job_last_run_failed", job="send-outbox") == 0


def test_a_database_that_is_down_is_a_figure_not_an_error(tmp_path):
    from coworking import create_app
    from tests.factories import make_config

    app = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    samples = scrape(app.test_client())
    assert value(samples, "coworking_database_up") == 0


def test_without_a_token_only_loopback_may_read(client):
    scrape(client)
    scrape(client, environ_base={"REMOTE_ADDR": "::1"})
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403
    assert "coworking_" not in response.get_data(as_text=True)
    # Through a reverse proxy on the same machine that nobody said to trust: its address is
    # loopback, the caller's is not known.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 403


def test_a_proxy_that_is_trusted_passes_the_callers_address(database_url):
    from coworking import create_app
    from tests.factories import make_config

    client = create_app(make_config(database_url, TRUSTED_PROXIES=1)).test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 403
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic c2VjcmV0",
                                           "Bearer "])
def test_with_a_token_only_its_bearer_may_read(app, client, authorization):
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)  # even from loopback
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    scrape(client, headers={"Authorization": "Bearer s3cret-metrics-token"},
           environ_base=OUTSIDE)


def test_gunicorns_workers_share_their_counts_through_the_multiprocess_directory(
        database_url, tmp_path):
    """Two workers, several requests: every scrape counts all of them, whichever worker
    answers it."""
    import http.client
    import os
    import subprocess
    import sys
    import time

    from tests.test_served import REPO, free_port

    shared = tmp_path / "metrics"
    shared.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN", "WEB_CONC"))}
    env.update(COWORKING_ENV="development", DATABASE_URL=database_url, REQUEST_LOG="0",
               PROMETHEUS_MULTIPROC_DIR=str(shared))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if "Booting worker" in line:
                break

        def get(path):
            for _attempt in range(50):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    return response.status, response.read().decode()
                except ConnectionRefusedError:
                    time.sleep(0.1)
                finally:
                    connection.close()
            raise RuntimeError("gunicorn did not answer")

        for _ in range(10):
            assert get("/healthz")[0] == 200
        for _ in range(3):
            status, body = get("/metrics")
            assert status == 200
            samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
                       for family in text_string_to_metric_families(body)
                       for s in family.samples}
            assert value(samples, "coworking_http_requests_total", method="GET",
                         route="/healthz", status="200") == 10
        assert list(shared.glob("counter_*.db"))  # the workers' counts, in files
    finally:
        process.terminate()
        process.communicate(timeout=60)
