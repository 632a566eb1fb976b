"""Readiness: whether this installation does its work, each check with its reason.

/readyz answers for the whole installation (the database, the jobs, the outbox are shared
by every process), so it is for monitoring; a load balancer asks /healthz.
"""
from datetime import timedelta
from functools import lru_cache

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from coworking import clock
from coworking.extensions import db
from coworking.operations import figures
from coworking.ratelimit import storage
from coworking.unavailable import database_unreachable

JOBS_MAX_AGE = timedelta(minutes=5)


def readiness():
    """(ready, checks): every check is a dict with `ok` and what it saw; a failed one has a
    `reason` an operator can act on."""
    checks = {"database": _database()}
    if checks["database"]["ok"]:
        now = clock.utcnow()
        checks["migrations"] = _migrations()
        checks["jobs"] = _jobs(now)
        checks["outbox"] = _outbox(now)
        checks["parked_messages"] = _parked()
    redis = _redis()
    if redis is not None:
        checks["redis"] = redis
    db.session.rollback()  # end the read; the answer holds no transaction open
    return all(check["ok"] for check in checks.values()), checks


def _failed(reason, **seen):
    return {"ok": False, "reason": reason, **seen}


def _database():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:
        db.session.rollback()
        if not database_unreachable(error):
            raise
        return _failed(f"database unreachable: {type(getattr(error, 'orig', error)).__name__}")
    return {"ok": True}


@lru_cache(maxsize=4)
def _heads(directory):
    """The migrations' heads of this code; they do not change while it runs."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _migrations():
    heads = _heads(current_app.extensions["migrate"].directory)
    try:
        current = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:
        db.session.rollback()
        current = frozenset()
    seen = {"revision": sorted(current), "head": sorted(heads)}
    if current != heads:
        return _failed("the database is not migrated to this code's head: run "
                       "`flask --app wsgi db upgrade`", **seen)
    return {"ok": True, **seen}


def _jobs(now):
    runs = figures.job_runs()
    failing = sorted(run.name for run in runs if run.error)
    last = max((run.finished_at for run in runs), default=None)
    seen = {"last_run": last.isoformat() if last else None,
            "age_seconds": round((now - last).total_seconds()) if last else None,
            "failing": failing}
    if last is None:
        return _failed("the jobs have never run: run `flask --app wsgi jobs work`", **seen)
    if now - last > JOBS_MAX_AGE:
        return _failed(f"the jobs have not run for {seen['age_seconds']} seconds "
                       f"(`flask --app wsgi jobs work`)", **seen)
    return {"ok": True, **seen}


def _outbox(now):
    backlog, oldest = figures.outbox_backlog(now)
    limit = current_app.config["READY_OUTBOX_MAX_AGE_MINUTES"] * 60
    seen = {"backlog": backlog,
            "oldest_age_seconds": round(oldest) if oldest is not None else None}
    if oldest is not None and oldest > limit:
        return _failed(f"the oldest unsent message waits for {seen['oldest_age_seconds']} "
                       f"seconds (more than {limit}): is the mail server reachable and are "
                       f"the jobs running?", **seen)
    return {"ok": True, **seen}


def _parked():
    count = figures.parked_messages()
    if count:
        return _failed(f"{count} message(s) are parked after every attempt failed: see "
                       f"/admin/outbox, fix the cause and retry them", count=count)
    return {"ok": True, "count": 0}


@lru_cache(maxsize=4)
def _store(uri):
    return storage(uri)


def _redis():
    """The shared store of the rate limits, when one is configured (None otherwise). Without
    it sign-in, registration, password resets and bookings answer 503, so the reason says
    what failed, without the address (this answer is public)."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith("redis"):
        return None
    try:
        _store(uri).get_connection().ping()
    except Exception as error:
        return _failed(f"Redis (RATELIMIT_STORAGE_URI) unreachable: {_why(error)}; sign-in, "
                       f"registration, password resets and bookings answer 503 until it is back")
    return {"ok": True}


def _why(error):
    """The kind of failure, and the system's word for it when a socket failed (refused, timed
    out, no route): what an operator acts on."""
    cause = error
    for _ in range(5):  # the chain is short; a cycle must not hang the check
        if cause is None or isinstance(cause, OSError):
            break
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, OSError) and cause.strerror:
        return f"{type(error).__name__} ({cause.strerror})"
    return type(error).__name__
