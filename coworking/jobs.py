"""Periodic jobs and their commands: `flask jobs run` (one pass) and `flask jobs work`.

Every job is idempotent and safe on several hosts at once: it takes its work with row locks
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite) in short units of work.
Each pass records when every job last ran and how it ended (`job_run`), so /readyz and
/metrics can tell an operator that the jobs have stopped.
"""
import logging
import time

import click
from flask.cli import AppGroup
from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.database import UTCDateTime, use_case
from coworking.extensions import db

log = logging.getLogger(__name__)

JOBS = {}
_LAST = set()

jobs_cli = AppGroup("jobs", help="Run the periodic jobs.")


def register(name, func, last=False):
    """Register a job: a function without arguments that returns a summary dict. A job run
    `last` in each pass acts on what the others wrote (the outbox sends their e-mails)."""
    JOBS[name] = func
    if last:
        _LAST.add(name)


class JobRun(db.Model):
    """The last run of one job: one row per job name, overwritten by every pass."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at = mapped_column(UTCDateTime, nullable=False)
    finished_at = mapped_column(UTCDateTime, nullable=False)
    # The last run's failure; None when it succeeded.
    error: Mapped[str | None] = mapped_column(String(500))
    last_success_at = mapped_column(UTCDateTime, nullable=True)


def run_all():
    """One pass of every job; a failing job is logged and does not stop the others."""
    results, runs = {}, []
    for name, func in sorted(JOBS.items(), key=lambda item: item[0] in _LAST):
        started = clock.utcnow()
        error = None
        try:
            results[name] = func()
        except Exception as failure:
            log.exception("job %s failed", name)
            error = f"{type(failure).__name__}: {failure}"
            results[name] = {"error": error}
        runs.append({"name": name, "started_at": started, "finished_at": clock.utcnow(),
                     "error": error[:500] if error else None,
                     "last_success_at": None if error else clock.utcnow()})
    try:
        _record(runs)
    except Exception:
        # The runs are what they were; a database that is down now is /readyz's to report.
        log.exception("could not record the jobs' runs")
        db.session.rollback()
    return results


@use_case
def _record(runs):
    """Overwrite each job's row in one statement; a success keeps its time for the next
    failures to be measured against."""
    if not runs:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(JobRun).values(runs)
    excluded = statement.excluded
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[JobRun.name],
        set_={"started_at": excluded.started_at, "finished_at": excluded.finished_at,
              "error": excluded.error,
              "last_success_at": db.func.coalesce(excluded.last_success_at,
                                                  JobRun.last_success_at)}))


def _echo(results):
    for name, summary in results.items():
        details = ", ".join(f"{key} {value}" for key, value in summary.items())
        click.echo(f"{name}: {details or 'nothing to do'}")


@jobs_cli.command("run")
def run_command():
    """Run one pass of every periodic job."""
    results = run_all()
    _echo(results)
    if any("error" in summary for summary in results.values()):
        raise SystemExit(1)


@jobs_cli.command("work")
@click.option("--interval", default=60, show_default=True, help="Seconds between passes.")
@click.option("--passes", default=0, help="Stop after this many passes (0: run until stopped).")
def work_command(interval, passes):
    """Run the jobs every minute until stopped (for a process supervisor or `make run`)."""
    done = 0
    try:
        while True:
            _echo(run_all())
            db.session.remove()  # the next pass reads afresh
            done += 1
            if passes and done >= passes:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped")
