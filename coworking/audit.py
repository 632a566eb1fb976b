"""The audit log: who changed what, when, with the values before and after.

Host and admin actions (check-ins, walk-ins, desk and hours edits, appointing hosts) and
research exports record an `Audited` event; its subscriber writes the entry in the same
transaction as the change, so a change and its entry exist together or not at all.
"""
from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock, events
from coworking.database import UTCDateTime
from coworking.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_space_at", "space_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, nullable=False)
    # Kept when the account is deleted: the entry then names no one.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id", ondelete="CASCADE"))
    before = mapped_column(JSON, nullable=True)
    after = mapped_column(JSON, nullable=True)


class Audited(events.Event):
    """A host's or admin's action, e.g. Audited(host.id, "booking.checked_in", "booking",
    booking.id, space_id=space.id, before={"status": "confirmed"}, after={...})."""

    name = "audit"

    def __init__(self, actor_id, action, target_type, target_id, space_id=None, before=None,
                 after=None):
        self.actor_id, self.action = actor_id, action
        self.target_type, self.target_id, self.space_id = target_type, target_id, space_id
        self.before, self.after = before, after

    def payload(self):
        return {"actor_id": self.actor_id, "action": self.action,
                "target_type": self.target_type, "target_id": self.target_id,
                "space_id": self.space_id}


def record(actor_id, action, target_type, target_id, space_id=None, before=None, after=None):
    """Note an action for the log; written with the unit of work that makes the change."""
    events.record(Audited(actor_id, action, target_type, target_id, space_id, before, after))


def write(event):
    db.session.add(AuditEntry(at=clock.utcnow(), actor_id=event.actor_id, action=event.action,
                              target_type=event.target_type, target_id=event.target_id,
                              space_id=event.space_id, before=event.before, after=event.after))


def recent(space_id=None, limit=50):
    """The newest entries, of one space or of all."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if space_id is not None:
        query = query.where(AuditEntry.space_id == space_id)
    return db.session.scalars(query).all()
