"""Helpers of the check-in tests: times on Tuesday 2027-03-02 (Berlin, UTC+1) and rows read
afresh from the database."""
from datetime import datetime

from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.bookings.models import Booking
from coworking.checkins.models import Visit
from coworking.extensions import db


def at(hm, day="2027-03-02", offset="+01:00"):
    return datetime.fromisoformat(f"{day}T{hm}:00{offset}")


def fresh(model, **criteria):
    """Rows as the database has them now (requests run in their own sessions)."""
    db.session.commit()
    return db.session.scalars(select(model).filter_by(**criteria).order_by(model.id)
                              .execution_options(populate_existing=True)).all()


def booking_of(booking_id):
    (booking,) = fresh(Booking, id=booking_id)
    return booking


def visits(**criteria):
    return fresh(Visit, **criteria)


def audit_entries(**criteria):
    return fresh(AuditEntry, **criteria)
