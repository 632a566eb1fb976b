"""Steps the tests of issued documents share."""
from sqlalchemy import select

from coworking.extensions import db
from coworking.invoicing.models import Invoice


def invoices(**criteria):
    """The documents the database holds now, oldest first."""
    db.session.commit()
    db.session.expire_all()
    return db.session.scalars(select(Invoice).filter_by(**criteria).order_by(Invoice.id)).all()


def numbers(**criteria):
    return [invoice.number for invoice in invoices(**criteria)]
