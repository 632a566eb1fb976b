"""Invoice numbers: PREFIX-YYYY-NNNNN, consecutive without gaps per operator and year.

The next number is taken by incrementing the operator's counter row for the year inside the
unit of work that issues the document. On PostgreSQL the UPDATE locks the row until that unit
commits, so a second issuer waits and then sees the new value; on SQLite every writer begins
with BEGIN IMMEDIATE and so runs alone. Should the unit roll back, the counter rolls back
with it: no number is ever skipped."""
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from coworking.extensions import db
from coworking.invoicing.models import InvoiceCounter


def prefix_of(operator):
    """The operator's prefix; one not set yet falls back to its slug in capitals, so a
    payment taken on site before the admin filled in the invoice data still gets a number."""
    return operator.invoice_prefix or operator.slug.upper()[:12]


def format_number(prefix, year, sequence):
    return f"{prefix}-{year}-{sequence:05d}"


def take_sequence(operator_id, year):
    """The next sequence number of `operator_id` in `year`, reserved until the unit ends."""
    bump = (update(InvoiceCounter)
            .where(InvoiceCounter.operator_id == operator_id, InvoiceCounter.year == year)
            .values(last_sequence=InvoiceCounter.last_sequence + 1)
            .returning(InvoiceCounter.last_sequence)
            .execution_options(synchronize_session=False))
    sequence = db.session.execute(bump).scalar()
    if sequence is None:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(dialect.insert(InvoiceCounter.__table__)
                           .values(operator_id=operator_id, year=year, last_sequence=0)
                           .on_conflict_do_nothing())
        sequence = db.session.execute(bump).scalar_one()
    return sequence
