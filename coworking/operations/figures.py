"""The figures /readyz and /metrics report, read from the database in a few small queries."""
from sqlalchemy import func, select

from coworking import outbox
from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.jobs import JobRun
from coworking.outbox import OutboxMessage


def outbox_backlog(now):
    """Messages not sent yet that the workers will still try (parked ones are counted apart):
    how many, and the age in seconds of the oldest (None when there are none)."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.processed_at.is_(None), OutboxMessage.parked_at.is_(None))
    ).one()
    return count, (now - oldest).total_seconds() if oldest is not None else None


def parked_messages():
    """Messages the outbox has given up on after every attempt, until an admin retries them."""
    return outbox.parked_count()


def job_runs():
    """Each job's last run, by name."""
    return db.session.scalars(select(JobRun).order_by(JobRun.name)).all()


def bookings_made():
    """Every booking ever made (held, confirmed, cancelled alike): a counter for rate()."""
    return db.session.scalar(select(func.count()).select_from(Booking))
