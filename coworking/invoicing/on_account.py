"""Invoices on account: what a customer used over a period, billed afterwards and paid by
transfer (a company's month of desk days or seats). Numbered, stored and immutable like every
other document; no payment row stands behind them, so `paid_at` stays empty."""
from dataclasses import dataclass
from datetime import date, timedelta

from coworking import clock
from coworking.extensions import db
from coworking.invoicing.amounts import document_amounts
from coworking.invoicing.document import Address, Buyer, Document, Line, Payment
from coworking.invoicing.formats.wording import local_date
from coworking.invoicing.issuing import seller_of
from coworking.invoicing.models import DocumentKind, Invoice, purge_after
from coworking.invoicing.numbers import format_number, prefix_of, take_sequence

# Paid by transfer within two weeks of issue.
PAYMENT_DAYS = 14


@dataclass(frozen=True)
class Charge:
    """One line of an invoice on account: `quantity` units of `unit_gross_cents` each."""

    description: str
    quantity: int
    unit_gross_cents: int
    vat_basis_points: int


def buyer(name, company, street, postcode, city, country, vat_id, buyer_reference, email,
          customer_number):
    """The buyer of an invoice on account, from the billing details the customer gave."""
    return Buyer(name=name, company=company,
                 address=Address(street=street, postcode=postcode, city=city,
                                 country=country or "DE"),
                 email=email, vat_id=vat_id, buyer_reference=buyer_reference or customer_number,
                 member_number=customer_number)


def issue_on_account(operator, buyer, charges, service_start, service_end, reference):
    """Issue `operator`'s invoice for `charges` (a list of Charge) to `buyer`, due by transfer;
    returns the stored Invoice. The caller makes sure a period is billed once."""
    now = clock.utcnow()
    issued_on = local_date(now)
    amounts = document_amounts([c.quantity * c.unit_gross_cents for c in charges],
                               [c.vat_basis_points for c in charges], operator.tax_mode)
    lines = [Line(description=c.description, quantity=c.quantity,
                  unit_gross_cents=c.unit_gross_cents, net_cents=amount.net_cents,
                  vat_basis_points=amount.vat_basis_points, vat_cents=amount.vat_cents,
                  gross_cents=amount.gross_cents, vat_category=amount.vat_category)
             for c, amount in zip(charges, amounts.lines)]
    sequence = take_sequence(operator.id, issued_on.year)
    number = format_number(prefix_of(operator), issued_on.year, sequence)
    document = Document(
        kind=DocumentKind.INVOICE.value, number=number, issued_on=issued_on, refers_to=None,
        refers_to_issued_on=None, seller=seller_of(operator), buyer=buyer,
        service_start=service_start, service_end=service_end, lines=lines,
        taxes=amounts.taxes, net_cents=amounts.net_cents, vat_cents=amounts.vat_cents,
        gross_cents=amounts.gross_cents, currency="EUR", tax_note=amounts.tax_note,
        payment=Payment(method="credit_transfer", paid_at=None, reference=reference,
                        due_on=issued_on + timedelta(days=PAYMENT_DAYS)))
    invoice = Invoice(
        operator_id=operator.id, user_id=None, number=number, kind=document.kind,
        issued_on=issued_on, year=issued_on.year, sequence=sequence,
        snapshot=document.to_json(), net_cents=document.net_cents,
        vat_cents=document.vat_cents, gross_cents=document.gross_cents,
        currency=document.currency, purge_after=purge_after(issued_on.year), created_at=now)
    db.session.add(invoice)
    db.session.flush()
    return invoice


def last_day_of_month(first):
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)
