"""Retention: invoices and credit notes are kept 8 years after the end of the year they were
issued in (§ 14b UStG, § 147 AO as amended in 2025), whatever happens to the account, and
removed by a job once that period is over.

The job asks the database for its own date, the same date the immutability trigger checks:
a document the job selects is always one the trigger lets go."""
from sqlalchemy import delete, func, select

from coworking.database import use_case
from coworking.extensions import db
from coworking.invoicing.models import Invoice

BATCH = 500


@use_case
def purge_expired(limit=BATCH):
    """Delete up to `limit` documents whose retention ended; returns how many went."""
    ids = db.session.scalars(
        select(Invoice.id).where(Invoice.purge_after < func.current_date())
        .order_by(Invoice.id).limit(limit)
        .with_for_update(of=Invoice, skip_locked=True)).all()
    if ids:
        db.session.execute(delete(Invoice).where(Invoice.id.in_(ids))
                           .execution_options(synchronize_session=False))
    return len(ids)


def purge_expired_documents():
    """Invoices and credit notes past their retention period are deleted."""
    return {"documents deleted": purge_expired()}
