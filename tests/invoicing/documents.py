"""Builders of `Document` snapshots for the tests of the invoice formats and of issuing: no
database needed. `make_document()` is a paid standard-rate invoice of a 10-visit card;
keyword arguments change what a test is about, e.g.

    make_document(tax_mode="small_business")
    make_document(lines=[("Tagespass", 2, 1500), ("Monatsticket", 1, 12000)])
    make_document(buyer=make_buyer(company="Muster GmbH", vat_id="DE111111125"))
    credit_note_for(make_document())
"""
from dataclasses import replace
from datetime import UTC, date, datetime

from coworking.invoicing.amounts import document_amounts
from coworking.invoicing.document import Address, Buyer, Document, Line, Payment, Seller


def make_seller(tax_mode="standard", **values):
    fields = {
        "slug": "moelln", "legal_name": "Stadt Mölln",
        "address": Address(street="Am Markt 12", postcode="23879", city="Mölln",
                           country="DE"),
        "representative": "Ingo Schäper", "register": "",
        "tax_number": "22/293/12345", "vat_id": "DE811234566", "tax_mode": tax_mode,
        "email": "rechnung@moelln.example.org", "phone": "+49 4542 803-0",
        "iban": "DE02120300000000202051", "bic": "BYLADEM1001", "bank_name": "Testbank",
    }
    return Seller(**(fields | values))


def seller_of(operator):
    """The snapshot of an `Operator` as the seller of a document."""
    return Seller(
        slug=operator.slug, legal_name=operator.legal_name,
        address=Address(street=operator.street, postcode=operator.postcode,
                        city=operator.city, country=operator.country),
        representative=operator.representative, register=operator.register,
        tax_number=operator.tax_number, vat_id=operator.vat_id, tax_mode=operator.tax_mode,
        email=operator.email, phone=operator.phone, iban=operator.iban, bic=operator.bic,
        bank_name=operator.bank_name)


def make_buyer(**values):
    fields = {
        "name": "Jana Beispiel", "company": "",
        "address": Address(street="Hauptstraße 5", postcode="23879", city="Mölln",
                           country="DE"),
        "email": "jana@example.org", "vat_id": "", "buyer_reference": "M-000042",
        "member_number": "M-000042",
    }
    return Buyer(**(fields | values))


def make_document(tax_mode="standard", lines=(("10er-Karte Mölln", 1, 12000),),
                  vat_basis_points=1900, seller=None, buyer=None, number="MOELLN-2026-00001",
                  issued_on=date(2026, 12, 7), method="stripe", notes=(), **values):
    """A paid invoice. `lines` are (description, quantity, unit gross cents)."""
    seller = seller or make_seller(tax_mode=tax_mode)
    amounts = document_amounts([quantity * unit for _d, quantity, unit in lines],
                               vat_basis_points, seller.tax_mode)
    document_lines = [
        Line(description=description, quantity=quantity, unit_gross_cents=unit,
             net_cents=amount.net_cents, vat_basis_points=amount.vat_basis_points,
             vat_cents=amount.vat_cents, gross_cents=amount.gross_cents,
             vat_category=amount.vat_category)
        for (description, quantity, unit), amount in zip(lines, amounts.lines)]
    fields = {
        "kind": "invoice", "number": number, "issued_on": issued_on, "refers_to": None,
        "refers_to_issued_on": None, "seller": seller, "buyer": buyer or make_buyer(),
        "service_start": issued_on, "service_end": date(2027, 6, 4),
        "lines": document_lines, "taxes": amounts.taxes, "net_cents": amounts.net_cents,
        "vat_cents": amounts.vat_cents, "gross_cents": amounts.gross_cents, "currency": "EUR",
        "tax_note": amounts.tax_note,
        "payment": Payment(method=method, paid_at=datetime(2026, 12, 7, 9, 30, tzinfo=UTC),
                           reference="pi_3QxTest"),
        "notes": list(notes),
    }
    return Document(**(fields | values))


def credit_note_for(invoice, number=None, issued_on=date(2026, 12, 9)):
    """The credit note that refunds all of `invoice`: every amount negated."""
    amounts = document_amounts([-line.gross_cents for line in invoice.lines],
                               [line.vat_basis_points for line in invoice.lines],
                               invoice.seller.tax_mode)
    lines = [replace(line, unit_gross_cents=-line.unit_gross_cents, net_cents=amount.net_cents,
                     vat_cents=amount.vat_cents, gross_cents=amount.gross_cents)
             for line, amount in zip(invoice.lines, amounts.lines)]
    prefix, year, _serial = invoice.number.rsplit("-", 2)
    return replace(
        invoice, kind="credit_note", number=number or f"{prefix}-{year}-00002",
        issued_on=issued_on, refers_to=invoice.number, refers_to_issued_on=invoice.issued_on,
        lines=lines, taxes=amounts.taxes, net_cents=amounts.net_cents,
        vat_cents=amounts.vat_cents, gross_cents=amounts.gross_cents,
        payment=replace(invoice.payment, paid_at=datetime(2026, 12, 9, 14, 0, tzinfo=UTC)))
