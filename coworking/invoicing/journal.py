"""The accountant's journal of an operator's month: one row per document and VAT rate, as
CSV and as a DATEV "Buchungsstapel" (EXTF format 700, category 21, version 13).

DATEV's file: a header line of 31 fields, a line naming the columns, then one booking per
line, separated by semicolons, text in double quotes, amounts with a decimal comma, encoded
in Windows-1252 with CRLF line ends. Each booking debits the account the money arrived in
(SKR03: 1360 "Geldtransit" for Stripe, 1000 "Kasse" on site) and credits the operator's
revenue account for the rate; an invoice is "S", a credit note "H", the amount always
positive. The revenue accounts of SKR03 (8400 at 19 %, 8300 at 7 %) are automatic accounts
that book the VAT themselves, so no BU key is given. Consultant and client numbers are left
empty: the accountant's import asks for them."""
import csv
import io

from coworking import clock
from coworking.invoicing.formats.wording import SELLER_ZONE
from coworking.operators.models import SKR03_REVENUE_ACCOUNTS
from coworking.spreadsheets import text_cell

# SKR03 accounts the money arrives in, by how it was paid.
# An invoice on account is owed until the transfer arrives: receivables (SKR03 1400).
MONEY_ACCOUNTS = {"stripe": "1360", "sepa_debit": "1360", "on_site": "1000",
                  "credit_transfer": "1400"}

CSV_COLUMNS = ("number", "kind", "refers_to", "issued_on", "buyer", "description",
               "vat_rate", "net", "vat", "gross", "currency", "revenue_account",
               "payment_method", "paid_at")

DATEV_COLUMNS = ("Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs",
                 "Basis-Umsatz", "WKZ Basis-Umsatz", "Konto",
                 "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum",
                 "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext")


def revenue_account(operator, vat_basis_points):
    accounts = {**SKR03_REVENUE_ACCOUNTS, **(operator.revenue_accounts or {})}
    return accounts.get(str(vat_basis_points), accounts["0"])


def rows(operator, invoices):
    """(document, tax subtotal, gross of that rate) per document and VAT rate."""
    for invoice in invoices:
        document = invoice.document()
        for tax in document.taxes:
            yield document, tax, tax.taxable_cents + tax.vat_cents


def _decimal(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def journal_csv(operator, invoices):
    """UTF-8 with a byte order mark (spreadsheets read the umlauts), semicolons, decimal
    commas: what a German spreadsheet opens as it is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for document, tax, gross in rows(operator, invoices):
        # Text cells (names and descriptions people typed) are escaped for spreadsheets;
        # the amounts stay numbers, negative ones of credit notes included.
        number, kind, refers_to, buyer, description = (text_cell(value) for value in (
            document.number, document.kind, document.refers_to or "",
            document.buyer.company or document.buyer.name,
            "; ".join(line.description for line in document.lines)))
        writer.writerow((
            number, kind, refers_to, document.issued_on.isoformat(), buyer, description,
            f"{tax.vat_basis_points / 100:g}".replace(".", ","), _decimal(tax.taxable_cents),
            _decimal(tax.vat_cents), _decimal(gross), text_cell(document.currency),
            text_cell(revenue_account(operator, tax.vat_basis_points)),
            text_cell(document.payment.method), (document.payment.paid_at.isoformat() if document.payment.paid_at else "")))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value, limit):
    """A DATEV text field; the file is opened in spreadsheets too, so escaped as any CSV."""
    return '"' + text_cell(value.replace('"', ""))[:limit] + '"'


def datev_header(operator, first, last, now):
    """The 31 fields of the EXTF header line of a Buchungsstapel."""
    created = now.astimezone(SELLER_ZONE).strftime("%Y%m%d%H%M%S%f")[:17]
    fields = [
        '"EXTF"', "700", "21", '"Buchungsstapel"', "13", created, "", '"RE"', '""', '""',
        "", "",                                   # consultant and client number
        f"{first.year}0101", "4", first.strftime("%Y%m%d"), last.strftime("%Y%m%d"),
        _text(f"Rechnungen {operator.slug} {first:%Y-%m}", 30), '""',
        "1", "0", "0", '"EUR"', "", '""', "", "", '"03"', "", "", '""', '""']
    assert len(fields) == 31
    return ";".join(fields)


def journal_datev(operator, invoices, first, last):
    lines = [datev_header(operator, first, last, clock.utcnow()),
             ";".join(_text(column, 60) for column in DATEV_COLUMNS)]
    for document, tax, gross in rows(operator, invoices):
        side = "S" if gross >= 0 else "H"  # a credit note reverses its invoice
        lines.append(";".join((
            _decimal(abs(gross)), f'"{side}"', f'"{document.currency}"', "", "", "",
            MONEY_ACCOUNTS.get(document.payment.method, "1360"),
            revenue_account(operator, tax.vat_basis_points), '""',
            document.issued_on.strftime("%d%m"), _text(document.number, 36),
            _text(document.refers_to or "", 36), "",
            _text(f"{document.lines[0].description} {document.buyer.name}", 60))))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")
