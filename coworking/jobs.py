"""Periodic jobs and their commands: `flask jobs run` (one pass) and `flask jobs work`.

Every job is idempotent and safe on several hosts at once: it takes its work with row locks
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite) in short units of work.
"""
import logging
import time

import click
from flask.cli import AppGroup

from coworking.extensions import db

log = logging.getLogger(__name__)

JOBS = {}
_LAST = set()

jobs_cli = AppGroup("jobs", help="Run the periodic jobs.")


def job(name, last=False):
    """Register a job: a function without arguments that returns a summary dict. A job run
    `last` in each pass acts on what the others wrote (the outbox sends their e-mails)."""

    def register(func):
        JOBS[name] = func
        if last:
            _LAST.add(name)
        return func

    return register


def run_all():
    """One pass of every job; a failing job is logged and does not stop the others."""
    results = {}
    for name, func in sorted(JOBS.items(), key=lambda item: item[0] in _LAST):
        try:
            results[name] = func()
        except Exception as error:
            log.exception("job %s failed", name)
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    return results


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
