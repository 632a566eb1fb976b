"""Readiness: whether this installation does its work, each check with its reason.

/readyz answers for the whole installation (the database, the jobs, the outbox are shared
by every process), so it is for monitoring; a load balancer asks /healthz.
"""
from datetime import timedelta
from functools import lru_cache

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from limits.storage import storage_from_string
from sqlalchemy import text

from coworking import clock
from coworking.extensions import db
from coworking.operations import figures
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
        return _failed(f"database unreachable: {type(error.orig).__name__}")
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
    return storage_from_string(uri, socket_timeout=2, socket_connect_timeout=2)


def _redis():
    """The shared store of the rate limits, when one is configured (None otherwise)."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith("redis"):
        return None
    try:
        reachable = _store(uri).check()
    except Exception:
        reachable = False
    return {"ok": True} if reachable else _failed("Redis (RATELIMIT_STORAGE_URI) unreachable")
