"""The German words and figures of an invoice. An invoice is a German tax document, so it
speaks German whatever the reader's language; times are the seller's (Europe/Berlin)."""
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, format_decimal

SELLER_ZONE = ZoneInfo("Europe/Berlin")

TITLES = {"invoice": "Rechnung", "credit_note": "Rechnungskorrektur"}

# How the member paid, as the payment line and the XML's payment means text (BT-82) say it.
PAYMENT_LABELS = {
    "stripe": "Kartenzahlung über Stripe",
    "sepa_debit": "SEPA-Lastschrift über Stripe",
    "on_site": "Zahlung vor Ort",
    "credit_transfer": "Überweisung",
}


def local_date(instant):
    """The calendar day of an aware instant in the seller's time zone."""
    return instant.astimezone(SELLER_ZONE).date()


def german_date(day):
    return day.strftime("%d.%m.%Y")


def money(cents, currency="EUR"):
    """1.234,56 € (German grouping and decimal comma)."""
    return format_currency(cents / 100, currency, locale="de_DE")


def percent(basis_points):
    """19 % or 7 % (or 5,5 %)."""
    return f"{format_decimal(basis_points / 100, locale='de_DE')} %"


def payment_sentence(document):
    """How and when it was paid (or, on a credit note, refunded)."""
    label = PAYMENT_LABELS[document.payment.method]
    if document.payment.is_due:
        return (f"Zahlbar bis zum {german_date(document.payment.due_on)} ohne Abzug per "
                f"{label} auf das Konto IBAN {document.seller.iban} "
                f"({document.seller.bank_name}) unter Angabe der Rechnungsnummer.")
    day = german_date(local_date(document.payment.paid_at))
    if document.kind == "credit_note":
        return f"Der Betrag wurde am {day} erstattet ({label}). Es ist nichts zu zahlen."
    return f"Bezahlt am {day} ({label}). Es ist nichts mehr zu zahlen."
