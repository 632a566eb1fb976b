"""The document as UN/CEFACT CII (Cross Industry Invoice), built with drafthorse: one builder
for the Factur-X XML embedded in the PDF and for the XRechnung, which differ only in the
specification identifier (BT-24).

Choices the rules force (EN 16931 v1.3.16 and XRechnung 3.0 schematrons):
- a credit note is type 381 with positive amounts and names the invoice it corrects (BG-3);
  the snapshot's negative amounts are negated here;
- "not subject to VAT" (O) allows no VAT id of seller or buyer (BR-O-02), so they are left
  out then; the seller is then identified by its tax number (BT-32) and, like a small
  business without VAT id, by a seller identifier (BT-29, BR-CO-26);
- the payment is already made, so the amount due is 0 and the paid amount the total; the
  payment means say how it was made (BR-DE-1), with codes that need no card number or
  mandate the snapshot does not hold (see `PAYMENT_MEANS`).
"""
from decimal import Decimal

from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document as CIIDocument
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentMeans, PaymentTerms
from drafthorse.models.tradelines import LineItem

from coworking.invoicing.amounts import EXEMPTION_CODES, NOT_SUBJECT
from coworking.invoicing.formats.wording import PAYMENT_LABELS, payment_sentence

# BT-24: the EN 16931 core (Factur-X profile EN 16931) and the German CIUS XRechnung 3.0.
EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
# BT-23: the Peppol billing process, which XRechnung's examples name too.
BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

INVOICE, CREDIT_NOTE = "380", "381"
# UNTDID 4461. Stripe is an online payment service (68) whether the member paid by card or
# by SEPA direct debit: the card number (BG-18) and the mandate (BG-19) that codes 54 and 59
# require stay with Stripe. On site the host takes cash or card; "1" names no instrument.
# An invoice on account (a company's month) is paid by SEPA credit transfer (58) to the
# seller's account (BG-17), by the due date (BT-9), and the whole amount is due.
PAYMENT_MEANS = {"stripe": "68", "sepa_debit": "68", "on_site": "1", "credit_transfer": "58"}
UNIT = "C62"  # UN/ECE Rec. 20 "one": a pass, a plan, a day


def cii_document(document, guideline=EN16931):
    """The drafthorse model of `document` (a `coworking.invoicing.document.Document`)."""
    sign = -1 if document.kind == "credit_note" else 1
    not_subject = any(tax.vat_category == NOT_SUBJECT for tax in document.taxes)
    cii = CIIDocument()
    cii.context.business_parameter.id = BILLING_PROCESS
    cii.context.guideline_parameter.id = guideline

    cii.header.id = document.number
    cii.header.type_code = CREDIT_NOTE if sign < 0 else INVOICE
    cii.header.issue_date_time = document.issued_on
    for text in document.notes:
        note = IncludedNote()
        note.content = text
        cii.header.notes.add(note)

    for position, line in enumerate(document.lines, start=1):
        cii.trade.items.add(_line_item(position, line, sign))

    agreement = cii.trade.agreement
    # BT-10, which XRechnung requires: the issuer gives the Leitweg-ID, else the member number.
    agreement.buyer_reference = document.buyer.buyer_reference or document.buyer.member_number
    _seller(agreement.seller, document.seller, not_subject)
    _buyer(agreement.buyer, document.buyer, not_subject)

    settlement = cii.trade.settlement
    settlement.currency_code = document.currency
    means = PaymentMeans()
    means.type_code = PAYMENT_MEANS[document.payment.method]
    means.information.add(PAYMENT_LABELS[document.payment.method])
    if document.payment.is_due:
        means.payee_account.iban = document.seller.iban.replace(" ", "")
        if document.seller.bank_name:
            means.payee_account.account_name = document.seller.legal_name
    settlement.payment_means.add(means)
    for tax in document.taxes:
        settlement.trade_tax.add(_breakdown(tax, sign))
    settlement.period.start = document.service_start
    settlement.period.end = document.service_end
    terms = PaymentTerms()
    terms.description = payment_sentence(document)
    if document.payment.is_due:
        terms.due = document.payment.due_on
    settlement.terms.add(terms)

    total = sign * document.gross_cents
    summation = settlement.monetary_summation
    summation.line_total = _money(sign * sum(line.net_cents for line in document.lines))
    summation.tax_basis_total = (_money(sign * document.net_cents), None)
    summation.tax_total = (_money(sign * document.vat_cents), document.currency)
    summation.grand_total = (_money(total), None)
    summation.prepaid_total = _money(0 if document.payment.is_due else total)
    summation.due_amount = _money(total if document.payment.is_due else 0)

    if document.refers_to:
        settlement.invoice_referenced_document.issuer_assigned_id = document.refers_to
        settlement.invoice_referenced_document.issue_date_time = document.refers_to_issued_on
    return cii


def _line_item(position, line, sign):
    item = LineItem()
    item.document.line_id = str(position)
    item.product.name = line.description
    net = sign * line.net_cents
    # The net price per unit, exact in cents where the quantity divides the line net, else
    # the price of the whole quantity (BT-149), so that quantity × price is the line net.
    if net % line.quantity == 0:
        item.agreement.net.amount = _money(net // line.quantity)
    else:
        item.agreement.net.amount = _money(net)
        item.agreement.net.basis_quantity = (Decimal(line.quantity), UNIT)
    item.delivery.billed_quantity = (Decimal(line.quantity), UNIT)
    item.settlement.trade_tax.type_code = "VAT"
    item.settlement.trade_tax.category_code = line.vat_category
    if line.vat_category != NOT_SUBJECT:
        item.settlement.trade_tax.rate_applicable_percent = _percent(line.vat_basis_points)
    item.settlement.monetary_summation.total_amount = _money(net)
    return item


def _seller(party, seller, not_subject):
    party.name = seller.legal_name
    shows_vat_id = bool(seller.vat_id) and not not_subject
    if not shows_vat_id:
        party.id = seller.tax_number or seller.vat_id
    legal = [f"Vertreten durch {seller.representative}"] if seller.representative else []
    if seller.register:
        legal.append(seller.register)
    party.description = ". ".join(legal)
    party.contact.person_name = seller.representative or seller.legal_name
    party.contact.telephone.number = seller.phone
    party.contact.email.address = seller.email
    _address(party.address, seller.address)
    party.electronic_address.uri_ID = ("EM", seller.email)
    if seller.tax_number:
        party.tax_registrations.add(_registration("FC", seller.tax_number))
    if shows_vat_id:
        party.tax_registrations.add(_registration("VA", seller.vat_id))


def _buyer(party, buyer, not_subject):
    party.id = buyer.member_number
    party.name = buyer.company or buyer.name
    if buyer.company and buyer.name:
        party.contact.person_name = buyer.name
    _address(party.address, buyer.address)
    if buyer.email:  # a walk-in known by name only has none
        party.electronic_address.uri_ID = ("EM", buyer.email)
    if buyer.vat_id and not not_subject:
        party.tax_registrations.add(_registration("VA", buyer.vat_id))


def _address(postal, address):
    postal.line_one = address.street
    postal.postcode = address.postcode
    postal.city_name = address.city
    postal.country_id = address.country


def _registration(scheme, value):
    registration = TaxRegistration()
    registration.id = (scheme, value)
    return registration


def _breakdown(tax, sign):
    breakdown = ApplicableTradeTax()
    breakdown.calculated_amount = _money(sign * tax.vat_cents)
    breakdown.type_code = "VAT"
    if tax.exemption_reason:
        breakdown.exemption_reason = tax.exemption_reason
    breakdown.basis_amount = _money(sign * tax.taxable_cents)
    breakdown.category_code = tax.vat_category
    if tax.vat_category in EXEMPTION_CODES:
        breakdown.exemption_reason_code = EXEMPTION_CODES[tax.vat_category]
    # XRechnung wants the rate even where none applies (BR-DE-14): 0 then.
    breakdown.rate_applicable_percent = _percent(tax.vat_basis_points)
    return breakdown


def _money(cents):
    return Decimal(cents).scaleb(-2)


def _percent(basis_points):
    return Decimal(basis_points).scaleb(-2)
