"""/healthz says the process lives without asking the database; /readyz says whether the
installation does its work, and why not: JSON, 200 or 503 with the reasons."""
from datetime import timedelta

from sqlalchemy import text

from coworking import clock, create_app
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.outbox import MAX_ATTEMPTS, OutboxMessage
from tests.factories import make_config


def readyz(client):
    response = client.get("/readyz")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def message(age, parked=False):
    created = clock.utcnow() - age
    db.session.add(OutboxMessage(topic="test", payload={}, created_at=created,
                                 available_at=created, attempts=MAX_ATTEMPTS if parked else 0,
                                 parked_at=clock.utcnow() if parked else None))
    db.session.commit()


def test_healthz_answers_without_the_database(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    client = app.test_client()
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
    status, body = readyz(client)
    assert status == 503
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is False
    assert body["reasons"] == ["database: database unreachable: OperationalError"]


def test_ready_once_the_jobs_have_run_and_not_when_they_stop(client, frozen):
    status, body = readyz(client)
    assert status == 503
    assert body["reasons"] == ["jobs: the jobs have never run: run `flask --app wsgi jobs work`"]
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"]["ok"] is True

    run_all()
    status, body = readyz(client)
    assert (status, body["status"], body["reasons"]) == (200, "ready", [])
    assert body["checks"]["jobs"]["age_seconds"] == 0
    assert body["checks"]["outbox"] == {"ok": True, "backlog": 0, "oldest_age_seconds": None}
    assert body["checks"]["parked_messages"] == {"ok": True, "count": 0}

    frozen.set("2027-03-01T07:04:59+01:00")
    assert readyz(client)[0] == 200
    frozen.set("2027-03-01T07:06:00+01:00")
    status, body = readyz(client)
    assert status == 503
    assert body["reasons"] == ["jobs: the jobs have not run for 360 seconds "
                               "(`flask --app wsgi jobs work`)"]


def test_a_failing_job_is_named(client, frozen, monkeypatch):
    from coworking import jobs

    def broken():
        raise ValueError("boom")

    monkeypatch.setitem(jobs.JOBS, "broken-job", broken)
    run_all()
    body = readyz(client)[1]
    assert body["checks"]["jobs"]["failing"] == ["broken-job"]


def test_an_old_unsent_message_and_a_parked_one_make_it_unready(app, client, frozen):
    run_all()
    message(timedelta(minutes=29))
    status, body = readyz(client)
    assert status == 200
    assert body["checks"]["outbox"] == {"ok": True, "backlog": 1, "oldest_age_seconds": 1740}

    message(timedelta(minutes=31))
    message(timedelta(days=2), parked=True)
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["outbox"]["backlog"] == 2
    assert body["checks"]["outbox"]["oldest_age_seconds"] == 1860
    assert body["checks"]["parked_messages"]["count"] == 1
    assert [reason.split(":")[0] for reason in body["reasons"]] == ["outbox", "parked_messages"]

    app.config["READY_OUTBOX_MAX_AGE_MINUTES"] = 60
    assert [r.split(":")[0] for r in readyz(client)[1]["reasons"]] == ["parked_messages"]


def test_a_database_behind_the_code_is_not_ready(client, frozen):
    run_all()
    with db.engine.begin() as conn:
        head = conn.scalar(text("SELECT version_num FROM alembic_version"))
        conn.execute(text("UPDATE alembic_version SET version_num = '20261207_1000'"))
    try:
        status, body = readyz(client)
    finally:  # PostgreSQL's test database is shared by the session's tests
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert status == 503
    assert body["checks"]["migrations"]["revision"] == ["20261207_1000"]
    assert body["checks"]["migrations"]["head"] == [head]  # the code's newest, as migrated
    assert "flask --app wsgi db upgrade" in body["reasons"][0]


def test_redis_is_checked_when_the_rate_limits_live_there(app, client, frozen):
    run_all()
    assert "redis" not in readyz(client)[1]["checks"]
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"  # nothing listens there
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["redis"] == {"ok": False, "reason":
                                       "Redis (RATELIMIT_STORAGE_URI) unreachable: "
                                       "ConnectionError (Connection refused); sign-in, "
                                       "registration, password resets and bookings answer "
                                       "503 until it is back"}
