"""The transactional outbox: a domain event whose topic has a handler becomes a row in the
transaction that caused it; after the commit a worker hands each row to the handlers of its
topic (e-mail, ...). The handlers are registered in `coworking/reactions.py`.

Delivery is at least once: a message is claimed for a lease, handled outside any
transaction, then marked processed; a worker that dies mid-way lets the lease run out and
another worker takes the message again. Handlers therefore must be idempotent. A handler whose
effect cannot be taken back (a mail an SMTP server accepted) calls `accepted()` the moment it
happened, which shrinks the window for a second delivery to that one commit.

A message that used all its attempts is parked, never dropped: it waits, counted by /readyz
and /metrics and listed on the admins' status page, until an admin sends it back (`unpark`).
"""
import logging
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import JSON, Index, Integer, String, delete, func, insert, select, text
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.database import UTCDateTime, use_case
from coworking.extensions import db

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 100
MAX_ATTEMPTS = 12
KEEP_PROCESSED = timedelta(days=30)

_handlers = defaultdict(list)


@dataclass
class _Handling:
    """The message a worker is handing to its handlers right now."""

    id: int
    attempts: int
    accepted: bool = False


_handling = ContextVar("outbox_handling", default=None)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # Workers look only for unprocessed messages that are due.
        Index("ix_outbox_message_due", "available_at",
              postgresql_where=text("processed_at IS NULL"),
              sqlite_where=text("processed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60))
    payload = mapped_column(JSON, nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False)
    # Not before this instant: the first delivery, the end of a lease, or a retry's back-off.
    available_at = mapped_column(UTCDateTime, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Since when the workers have given up on it: every attempt used. Only an admin's retry
    # (`unpark`) puts it back in the queue.
    parked_at = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_parked(self):
        return self.parked_at is not None and self.processed_at is None

    def unpark(self, now):
        """Back in the queue, due now, with all its attempts again; the last error stays
        for whoever looks until the next attempt tells more."""
        self.parked_at = None
        self.attempts = 0
        self.available_at = now


def handle(topic, handler):
    """Register an after-commit handler for the messages of `topic`; it gets the payload.
    Registering it twice changes nothing."""
    if handler not in _handlers[topic]:
        _handlers[topic].append(handler)


def handled_topics():
    return frozenset(topic for topic, handlers in _handlers.items() if handlers)


def enqueue(topic, payload):
    """Write a message for the workers, in the unit of work of the change that causes it."""
    now = clock.utcnow()
    message = OutboxMessage(topic=topic, payload=payload, created_at=now, available_at=now,
                            attempts=0)
    db.session.add(message)
    return message


def enqueue_row(topic, payload):
    """`enqueue` with one Core INSERT, at once, for a hot path (a booking's confirmation):
    the ORM's flush of one new message costs more than the statement. Nothing is read back."""
    now = clock.utcnow()
    db.session.execute(insert(OutboxMessage.__table__),
                       {"topic": topic, "payload": payload, "created_at": now,
                        "available_at": now, "attempts": 0})


def store(event):
    """The event as a message, when its topic has a handler: a row nobody reads is not written."""
    if _handlers.get(event.name):
        enqueue(event.name, event.payload())


def _backoff(attempts):
    return timedelta(minutes=min(2 ** attempts, 360))


@use_case
def _claim(limit):
    """Take up to `limit` due messages for one lease; rows another worker holds are skipped."""
    now = clock.utcnow()
    _park_abandoned(now)
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.processed_at.is_(None), OutboxMessage.parked_at.is_(None),
               OutboxMessage.available_at <= now, OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for message in messages:
        message.attempts += 1
        message.available_at = now + LEASE
    return [(m.id, m.topic, m.payload, m.attempts) for m in messages]


@use_case
def _settle(message_id, attempts, error=None):
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    now = clock.utcnow()
    if message is None or message.processed_at is not None or message.attempts != attempts:
        return  # someone else took it over after our lease ran out; theirs is the word
    if error is None:
        message.processed_at = now
        message.last_error = None
        message.parked_at = None
        return
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.available_at = now + _backoff(attempts)
    if attempts >= MAX_ATTEMPTS:
        message.parked_at = now
        log.error("outbox message %s (%s) is parked after %s attempts: %s", message.id,
                  message.topic, attempts, message.last_error)


def _park_abandoned(now):
    """Park the messages whose last attempt's worker died: their lease ran out, and no
    worker takes them again, so they would otherwise wait unseen."""
    abandoned = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.processed_at.is_(None), OutboxMessage.parked_at.is_(None),
               OutboxMessage.attempts >= MAX_ATTEMPTS, OutboxMessage.available_at <= now)
        .with_for_update(skip_locked=True)).all()
    for message in abandoned:
        message.parked_at = now
        log.error("outbox message %s (%s) is parked: its last attempt never ended",
                  message.id, message.topic)


def parked(limit):
    """The latest `limit` messages given up on, the latest first: for the admins' page."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.parked_at.is_not(None), OutboxMessage.processed_at.is_(None))
        .order_by(OutboxMessage.parked_at.desc(), OutboxMessage.id.desc()).limit(limit)).all()


def parked_count():
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.parked_at.is_not(None), OutboxMessage.processed_at.is_(None)))


def unpark(message_id):
    """Put a parked message back in the queue (inside the caller's unit of work); None when
    it is not parked (any more): sent, retried by someone else, or never there."""
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or not message.is_parked:
        return None
    message.unpark(clock.utcnow())
    return message


def accepted():
    """Mark the message being handled as processed now, in a commit of its own, before the
    handler goes on: once the outside world has it (the SMTP server said 250), a failure
    after that (the goodbye, the next message, a killed worker) must not send it again.

    For topics with one handler: the others' failures after this are logged, not retried.
    Outside a worker's pass (a handler called directly) it does nothing."""
    handling = _handling.get()
    if handling is None or handling.accepted:
        return
    _settle(handling.id, handling.attempts)
    handling.accepted = True


@use_case
def _prune():
    cutoff = clock.utcnow() - KEEP_PROCESSED
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.processed_at < cutoff))


def deliver(limit=BATCH):
    """One pass over the due messages; returns how many were delivered and how many failed."""
    delivered = failed = 0
    for message_id, topic, payload, attempts in _claim(limit):
        handling = _Handling(message_id, attempts)
        token = _handling.set(handling)
        try:
            for handler in _handlers.get(topic, ()):
                handler(payload)
        except Exception as error:  # a handler's failure must not stop the others
            if handling.accepted:
                log.warning("outbox message %s (%s) was delivered, then: %s", message_id,
                            topic, error)
                delivered += 1
            else:
                log.warning("outbox message %s (%s) failed: %s", message_id, topic, error)
                _settle(message_id, attempts, error)
                failed += 1
        else:
            if not handling.accepted:
                _settle(message_id, attempts)
            delivered += 1
        finally:
            _handling.reset(token)
    _prune()
    return {"delivered": delivered, "failed": failed}
