"""Messages the outbox gave up on, as the admins' status page shows them, and their retry."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from coworking import audit, outbox, permissions
from coworking.database import use_case
from coworking.errors import Forbidden, NotFound

SHOWN = 100


@dataclass(frozen=True)
class Parked:
    """One parked message in the words of the page: what it is and why it failed."""

    id: int
    topic: str
    recipient: str | None  # an e-mail's address; other topics have none
    subject: str | None
    created_at: object
    parked_at: object
    attempts: int
    last_error: str | None


def _require_admin(actor):
    if not permissions.can_see_outbox(actor):
        raise Forbidden(_l("Only admins see the outbox."))


def parked_messages(actor):
    """(the latest parked messages, how many are parked in all): a mail server that was away
    for days may have parked thousands, and the page stays light."""
    _require_admin(actor)
    shown = [Parked(m.id, m.topic, m.payload.get("to"), m.payload.get("subject"),
                    m.created_at, m.parked_at, m.attempts, m.last_error)
             for m in outbox.parked(SHOWN)]
    return shown, outbox.parked_count()


@use_case
def retry(actor, message_id):
    """Back in the queue with fresh attempts: the next pass of the jobs sends it. Retrying
    twice (two admins, a double tap) puts it back once; the second is told so."""
    _require_admin(actor)
    message = outbox.unpark(message_id) if 0 < message_id < 2**31 else None
    if message is None:
        raise NotFound(_l("Message %(id)s is not parked (any more): it was sent or is queued "
                          "again already.", id=message_id))
    audit.record(actor.id, "outbox.retried", "outbox_message", message.id)
    return message
