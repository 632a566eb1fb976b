"""Booking requests remembered by a key their client chose, so that sending one again (a
double tap, a retry after a broken connection) answers the first booking instead of making a
second one or reporting the first as a conflict.

Only successful bookings are remembered: a request that failed is simply tried again. A key
belongs to one member and is kept for 24 hours; the prune job removes older ones.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.bookings import service
from coworking.bookings.limits import lock_member
from coworking.bookings.models import Booking
from coworking.database import UTCDateTime, savepoint, use_case
from coworking.errors import Conflict, InvalidInput
from coworking.extensions import db

KEEP = timedelta(hours=24)
KEY_MAX = 200


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_key"
    __table_args__ = (
        # Decides between two requests with one key that arrive at once: one commits, the
        # other's whole unit (its booking too) rolls back and it answers the first.
        UniqueConstraint("user_id", "key", name="uq_idempotency_key_user_key"),
        Index("ix_idempotency_key_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    # A hash of what was asked, so the same key with another request is told apart.
    fingerprint: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body = mapped_column(JSON, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, nullable=False)


class KeyReused(InvalidInput):
    """The key was used in the last 24 hours for a different request."""

    code = "idempotency-key-reused"

    def __init__(self):
        super().__init__(_l("This key was already used for a different booking request."))


@dataclass
class Answer:
    """What to answer a booking request: the first answer again when `replayed`."""

    status: int
    body: object
    booking: Booking | None
    replayed: bool = False


def fingerprint(request):
    """A stable hash of a request given as JSON-compatible data (key order does not matter)."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _remembered(user, key, now):
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key,
                                     IdempotencyKey.created_at > now - KEEP)
    )


def _replay(user, key, request_fingerprint):
    """The first answer to this key, None if there is none, KeyReused for another request."""
    row = _remembered(user, key, clock.utcnow())
    if row is None:
        return None
    if row.fingerprint != request_fingerprint:
        raise KeyReused()
    booking = db.session.get(Booking, row.booking_id) if row.booking_id else None
    return Answer(row.response_status, row.response_body, booking, replayed=True)


@use_case(race_message=service.TAKEN_MESSAGE)
def _book_and_remember(user, key, request_fingerprint, respond, book_call):
    # On PostgreSQL a second request of the member waits here until the first has committed,
    # then finds its key: a deadlock between their inserts cannot make it answer a conflict
    # with the member's own booking. The unique key stays the guarantee.
    lock_member(user)
    answer = _replay(user, key, request_fingerprint)
    if answer is not None:
        return answer
    now = clock.utcnow()
    # A key older than 24 hours is free again, whether or not the prune job has run.
    db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.user_id == user.id, IdempotencyKey.key == key,
        IdempotencyKey.created_at <= now - KEEP))
    with savepoint():
        booking = book_call()
        status, body = respond(booking)
        db.session.add(IdempotencyKey(user_id=user.id, key=key, fingerprint=request_fingerprint,
                                      response_status=status, response_body=body,
                                      booking_id=booking.id, created_at=now))
    return Answer(status, body, booking)


def book_once(user, key, request_fingerprint, respond, book_call):
    """Book with `book_call()` (`service.book` or `service.book_any` with their arguments), once
    per key: a repeat of the same request within 24 hours answers what the first one did; the
    key with a different request is KeyReused.

    `respond(booking)` gives the (status, body) to remember. Two requests with one key at the
    same moment cannot both book: the second one finds the first one's key once that has
    committed, or else its booking collides with the first one's or its key does; its unit
    rolls back and it answers the first one's response.
    """
    try:
        return _book_and_remember(user, key, request_fingerprint, respond, book_call)
    except (Conflict, IntegrityError):
        answer = _replay(user, key, request_fingerprint)
        if answer is None:
            raise
        return answer


@use_case
def _prune(now):
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= now - KEEP))
    return result.rowcount


def prune():
    """Forget keys older than 24 hours; they are free for new requests anyway."""
    return {"pruned": _prune(clock.utcnow())}
