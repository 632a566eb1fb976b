"""Issuing: the invoice of a settled payment and the credit note of a refunded one, in the
unit of work that settles or refunds it. Memberships and billing only record
`PaymentSettled` / `PaymentRefunded`; this module subscribes to them.

The snapshot takes the seller's and buyer's data as they are at that moment; later edits of
either never reach an issued document."""
from dataclasses import replace

from sqlalchemy import select, update

from coworking import clock
from coworking.accounts.billing_service import billing_details_of
from coworking.accounts.models import User
from coworking.extensions import db
from coworking.invoicing.amounts import document_amounts
from coworking.invoicing.document import Address, Buyer, Document, Line, Payment, Seller
from coworking.invoicing.formats.wording import local_date
from coworking.invoicing.models import DocumentKind, Invoice, purge_after
from coworking.invoicing.numbers import format_number, prefix_of, take_sequence
from coworking.memberships.models import (
    Membership,
    PaymentMethod,
)


def member_number(user_id):
    return f"M-{user_id:06d}"


def seller_of(operator):
    """The operator as the seller of a document, frozen."""
    return Seller(
        slug=operator.slug, legal_name=operator.legal_name or operator.slug,
        address=Address(street=operator.street, postcode=operator.postcode,
                        city=operator.city, country=operator.country or "DE"),
        representative=operator.representative, register=operator.register,
        tax_number=operator.tax_number, vat_id=operator.vat_id, tax_mode=operator.tax_mode,
        email=operator.email, phone=operator.phone, iban=operator.iban, bic=operator.bic,
        bank_name=operator.bank_name)


def buyer_of(user):
    """The member as the buyer: their billing details, or their account's name where they
    gave none (a purchase on site asks for none). A walk-in known by name only has no
    address to name."""
    details = billing_details_of(user)
    number = member_number(user.id)
    email = user.email if user.has_mailbox else ""
    if details is None:
        return Buyer(name=user.name or email, company="",
                     address=Address(street="", postcode="", city="", country="DE"),
                     email=email, vat_id="", buyer_reference=number, member_number=number)
    return Buyer(name=details.name, company=details.company,
                 address=Address(street=details.street, postcode=details.postcode,
                                 city=details.city, country=details.country or "DE"),
                 email=email, vat_id=details.vat_id,
                 buyer_reference=details.buyer_reference or number, member_number=number)


def invoice_of_payment(payment_id, kind=DocumentKind.INVOICE):
    return db.session.scalar(select(Invoice).where(Invoice.payment_id == payment_id,
                                                   Invoice.kind == kind))


def _service_period(payment, paid_day):
    """The days the purchase covers: the booked day of a day pass for a booking, the
    membership's period, else the day it was paid."""
    if payment.booking_id is not None:
        from coworking.bookings.models import Booking

        booking = db.session.get(Booking, payment.booking_id)
        if booking is not None:
            return local_date(booking.start_at), local_date(booking.end_at)
    membership = db.session.get(Membership, payment.membership_id) \
        if payment.membership_id is not None else None
    if membership is not None and membership.current_period_end is not None:
        start = membership.current_period_start or membership.activated_at or payment.paid_at
        return local_date(start), max(local_date(membership.current_period_end), paid_day)
    return paid_day, paid_day


def _description(payment):
    plan = payment.plan
    if payment.booking_id is not None:
        return f"{plan.name} (Buchung {payment.booking_id})"
    return plan.name


def _method(payment):
    """How it was paid, as the document says it: a checkout whose money waited for the bank
    (its expiry dropped while the debit ran) was a SEPA debit."""
    if payment.method == PaymentMethod.STRIPE and payment.checkout_session_id \
            and payment.expires_at is None:
        return "sepa_debit"
    return payment.method.value


def _reference(payment):
    return (payment.stripe_payment_intent_id or payment.stripe_invoice_id
            or payment.checkout_session_id or f"P-{payment.id}")


def _store(document, operator, sequence, payment, user_id, refers_to_id=None):
    invoice = Invoice(
        operator_id=operator.id, user_id=user_id, number=document.number, kind=document.kind,
        refers_to_id=refers_to_id, issued_on=document.issued_on,
        year=document.issued_on.year, sequence=sequence, snapshot=document.to_json(),
        net_cents=document.net_cents, vat_cents=document.vat_cents,
        gross_cents=document.gross_cents, currency=document.currency,
        payment_id=payment.id, membership_id=payment.membership_id,
        booking_id=payment.booking_id, stripe_payment_id=payment.stripe_payment_intent_id,
        purge_after=purge_after(document.issued_on.year), created_at=clock.utcnow())
    db.session.add(invoice)
    db.session.flush()
    return invoice


def _number(operator, issued_on):
    sequence = take_sequence(operator.id, issued_on.year)
    return sequence, format_number(prefix_of(operator), issued_on.year, sequence)


def issue_invoice(payment):
    """The invoice of a settled payment, issued by the plan's seller; None for a free one.
    Issuing twice for one payment returns the first."""
    if payment.amount_cents <= 0 or payment.method == PaymentMethod.FREE:
        return None
    existing = invoice_of_payment(payment.id)
    if existing is not None:
        return existing
    operator = payment.plan.seller
    user = db.session.get(User, payment.user_id)
    paid_at = payment.paid_at or clock.utcnow()
    issued_on = local_date(clock.utcnow())
    amounts = document_amounts([payment.amount_cents], payment.vat_basis_points,
                               operator.tax_mode)
    line = amounts.lines[0]
    start, end = _service_period(payment, local_date(paid_at))
    sequence, number = _number(operator, issued_on)
    document = Document(
        kind=DocumentKind.INVOICE.value, number=number, issued_on=issued_on, refers_to=None,
        refers_to_issued_on=None, seller=seller_of(operator), buyer=buyer_of(user),
        service_start=start, service_end=end,
        lines=[Line(description=_description(payment), quantity=1,
                    unit_gross_cents=payment.amount_cents, net_cents=line.net_cents,
                    vat_basis_points=line.vat_basis_points, vat_cents=line.vat_cents,
                    gross_cents=line.gross_cents, vat_category=line.vat_category)],
        taxes=amounts.taxes, net_cents=amounts.net_cents, vat_cents=amounts.vat_cents,
        gross_cents=amounts.gross_cents, currency=payment.currency.upper(),
        tax_note=amounts.tax_note,
        payment=Payment(method=_method(payment), paid_at=paid_at,
                        reference=_reference(payment)))
    return _store(document, operator, sequence, payment, user.id)


def credit_note_document(original, number, issued_on, refunded_at):
    """The credit note over all of `original` (a Document): every amount negated, the
    seller's and buyer's data as the invoice has them."""
    amounts = document_amounts([-line.gross_cents for line in original.lines],
                               [line.vat_basis_points for line in original.lines],
                               original.seller.tax_mode)
    lines = [replace(line, unit_gross_cents=-line.unit_gross_cents, net_cents=amount.net_cents,
                     vat_cents=amount.vat_cents, gross_cents=amount.gross_cents)
             for line, amount in zip(original.lines, amounts.lines)]
    return replace(
        original, kind=DocumentKind.CREDIT_NOTE.value, number=number, issued_on=issued_on,
        refers_to=original.number, refers_to_issued_on=original.issued_on, lines=lines,
        taxes=amounts.taxes, net_cents=amounts.net_cents, vat_cents=amounts.vat_cents,
        gross_cents=amounts.gross_cents,
        payment=replace(original.payment, paid_at=refunded_at))


def issue_credit_note(payment):
    """The credit note of a refunded payment, naming its invoice; None when it had none (a
    free purchase). Issuing twice returns the first."""
    original = invoice_of_payment(payment.id)
    if original is None:
        return None
    existing = invoice_of_payment(payment.id, DocumentKind.CREDIT_NOTE)
    if existing is not None:
        return existing
    now = clock.utcnow()
    issued_on = local_date(now)
    sequence, number = _number(original.operator, issued_on)
    document = credit_note_document(original.document(), number, issued_on, now)
    return _store(document, original.operator, sequence, payment, original.user_id,
                  refers_to_id=original.id)


def issue_on_settlement(event):
    issue_invoice(event.payment)


def credit_on_refund(event):
    issue_credit_note(event.payment)


def cancel_on_undo(event):
    """A host took back "paid on site": the invoice it issued is cancelled by a credit note
    (an issued document is never changed or removed), and both let go of the payment, so the
    confirmation that follows issues a new invoice with the next number."""
    if issue_credit_note(event.payment) is not None:
        db.session.execute(update(Invoice).where(Invoice.payment_id == event.payment.id)
                           .values(payment_id=None))
