"""/metrics in Prometheus' text format: requests counted in the process, and the figures of
the database (bookings, the outbox, the jobs) read at each scrape.

Under gunicorn each worker counts its own requests. With PROMETHEUS_MULTIPROC_DIR set (an
empty directory, emptied before each start) the workers share their counts through files
there and every scrape sees them all; without it a scrape sees one worker's share. The
database figures are whole either way.
"""
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from coworking import clock
from coworking.extensions import db
from coworking.operations import figures
from coworking.unavailable import database_unreachable

REQUESTS = Counter("coworking_http_requests", "Requests answered, by method, URL rule and "
                   "status", ["method", "route", "status"])
LATENCY = Histogram("coworking_http_request_duration_seconds", "Time to answer a request, by "
                    "method and URL rule", ["method", "route"])


def observe_request(method, route, status, seconds):
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def multiprocess_dir():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def _process_metrics():
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


class DatabaseFigures:
    """A collector read at each scrape, inside the request's app context."""

    def collect(self):
        up = GaugeMetricFamily("coworking_database_up", "1 when the database answered")
        try:
            families = list(self._figures())
        except Exception as error:
            db.session.rollback()
            if not database_unreachable(error):
                raise
            up.add_metric([], 0)
            yield up
            return
        finally:
            db.session.rollback()
        up.add_metric([], 1)
        yield up
        yield from families

    def _figures(self):
        now = clock.utcnow()
        yield CounterMetricFamily("coworking_bookings_made", "Bookings ever made, whatever "
                                  "became of them", value=figures.bookings_made())
        backlog, oldest = figures.outbox_backlog(now)
        yield GaugeMetricFamily("coworking_outbox_backlog", "Outbox messages not sent yet "
                                "that will still be tried", value=backlog)
        yield GaugeMetricFamily("coworking_outbox_oldest_unsent_age_seconds", "Age of the "
                                "oldest unsent outbox message (0 when none)", value=oldest or 0)
        yield GaugeMetricFamily("coworking_outbox_parked", "Outbox messages given up after "
                                "every attempt", value=figures.parked_messages())
        last_run = GaugeMetricFamily("coworking_job_last_run_timestamp_seconds", "When each "
                                     "job last finished a run (Unix time)", labels=["job"])
        last_success = GaugeMetricFamily("coworking_job_last_success_timestamp_seconds",
                                         "When each job last succeeded (Unix time)",
                                         labels=["job"])
        failing = GaugeMetricFamily("coworking_job_last_run_failed", "1 when the job's last "
                                    "run failed", labels=["job"])
        for run in figures.job_runs():
            last_run.add_metric([run.name], run.finished_at.timestamp())
            if run.last_success_at is not None:
                last_success.add_metric([run.name], run.last_success_at.timestamp())
            failing.add_metric([run.name], 1 if run.error else 0)
        yield from (last_run, last_success, failing)


def exposition():
    """The body of /metrics and its content type."""
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseFigures())
    return _process_metrics() + generate_latest(database), CONTENT_TYPE_LATEST
