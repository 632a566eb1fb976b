"""Reading issued documents: a member's own, one for its owner or an admin, an operator's
month, and their renderings, always from the document's own snapshot."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import permissions
from coworking.errors import Conflict, NotFound
from coworking.extensions import db
from coworking.invoicing.formats import render_pdf, render_xrechnung
from coworking.invoicing.models import Invoice

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def parse_month(value):
    """(first day, first day of the next month) of "YYYY-MM", or None when malformed."""
    if not isinstance(value, str) or not _MONTH.match(value):
        return None
    year, month = int(value[:4]), int(value[5:])
    if not 2000 <= year <= 2100:
        return None
    first = date(year, month, 1)
    return first, date(year + month // 12, month % 12 + 1, 1)


def invoices_of(user):
    """The member's invoices and credit notes, newest first."""
    return db.session.scalars(select(Invoice).where(Invoice.user_id == user.id)
                              .order_by(Invoice.issued_on.desc(), Invoice.id.desc())).all()


def visible_invoice(actor, invoice_id):
    """The document, for its owner or an admin; anyone else learns nothing of it."""
    invoice = db.session.get(Invoice, invoice_id) \
        if isinstance(invoice_id, int) and 0 < invoice_id < 2**31 else None
    if invoice is None or not (invoice.user_id == actor.id
                               or permissions.can_manage_operators(actor)):
        raise NotFound(_l("There is no invoice %(id)s for you.", id=invoice_id))
    return invoice


def operator_documents(operator, first, after):
    """The operator's documents issued in [first, after), in the order of their numbers."""
    return db.session.scalars(
        select(Invoice).where(Invoice.operator_id == operator.id,
                              Invoice.issued_on >= first, Invoice.issued_on < after)
        .order_by(Invoice.year, Invoice.sequence)).all()


def pdf_of(invoice):
    return render_pdf(invoice.document())


def xrechnung_of(invoice):
    """The XRechnung; Conflict for a document made out to a buyer without an address, which
    the XRechnung rules refuse (its PDF, valid under EN 16931, is the invoice)."""
    document = invoice.document()
    if not document.buyer.has_postal_address:
        raise Conflict(_l("%(number)s is made out to a name without an address, as a small "
                          "amount paid on site may be (§ 33 UStDV); an XRechnung needs the "
                          "buyer's postcode and city. The PDF is the invoice.",
                          number=invoice.number))
    return render_xrechnung(document)


def file_name(invoice, extension):
    return f"{invoice.number}.{extension}"


def as_json(invoice):
    """An invoice as DESIGN.md's API describes it, from its snapshot."""
    document = invoice.document()
    buyer = document.buyer
    return {
        "id": invoice.id, "number": document.number, "kind": document.kind,
        "refers_to": document.refers_to, "operator": document.seller.slug,
        "issued_on": document.issued_on.isoformat(),
        "service_period": {"start": document.service_start.isoformat(),
                           "end": document.service_end.isoformat()},
        "buyer": {"name": buyer.name, "company": buyer.company or None,
                  "address": {"street": buyer.address.street,
                              "postcode": buyer.address.postcode,
                              "city": buyer.address.city, "country": buyer.address.country}},
        "lines": [{"description": line.description, "quantity": line.quantity,
                   "net_cents": line.net_cents, "vat_rate": line.vat_basis_points / 100,
                   "vat_cents": line.vat_cents, "gross_cents": line.gross_cents}
                  for line in document.lines],
        "net_cents": document.net_cents, "vat_cents": document.vat_cents,
        "gross_cents": document.gross_cents, "currency": document.currency,
        "tax_note": document.tax_note or None,
        "paid_at": (document.payment.paid_at.isoformat()
                    if document.payment.paid_at is not None else None),
        "payment_method": document.payment.method,
    }
