"""What an issued invoice or credit note says, frozen at issue: the snapshot every rendering
(API shape, PDF, Factur-X and XRechnung XML, the accountant's journal) is made from. Later
edits of the operator's or the member's data never reach it.

Amounts are integer cents. Prices are gross; `split_gross` derives net and VAT so that
EN 16931's calculation rules hold to the cent: line nets sum to the taxable amount of their
rate, the VAT of a rate is computed on that sum, and net plus VAT is the gross paid
(`amounts.document_amounts` does it for a whole document and says where a cent must give).
"""
from dataclasses import asdict, dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Seller:
    slug: str
    legal_name: str
    address: Address
    representative: str
    register: str
    tax_number: str
    vat_id: str
    tax_mode: str  # operators.models.TaxMode value
    email: str
    phone: str
    iban: str
    bic: str
    bank_name: str


@dataclass(frozen=True)
class Buyer:
    name: str
    company: str
    address: Address
    email: str
    vat_id: str
    # The Leitweg-ID given, else the member number: XRechnung always wants one.
    buyer_reference: str
    member_number: str

    @property
    def has_postal_address(self):
        """Whether an XRechnung can name the buyer's place (BR-DE-8, BR-DE-9): someone who
        paid on site without ever giving billing details has none, and gets the simplified
        invoice of § 33 UStDV that the PDF is."""
        return bool(self.address.postcode and self.address.city)


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    unit_gross_cents: int
    net_cents: int
    vat_basis_points: int  # 1900 = 19 %; 0 where no VAT is charged
    vat_cents: int
    gross_cents: int
    # EN 16931 VAT category: "S" standard rate, "E" exempt (§ 19 UStG), "O" not subject
    # (§ 2b UStG); credit notes keep the category of what they refund.
    vat_category: str


@dataclass(frozen=True)
class TaxSubtotal:
    vat_category: str
    vat_basis_points: int
    taxable_cents: int
    vat_cents: int
    exemption_reason: str  # the note for "E" and "O", empty for "S"


@dataclass(frozen=True)
class Payment:
    method: str             # "stripe", "sepa_debit", "on_site", "credit_transfer"
    paid_at: datetime | None  # aware UTC; None while an invoice on account is still to pay
    reference: str          # the payment's own id at the processor, or ours
    # An invoice on account (a company's month) is paid by transfer until this day.
    due_on: date | None = None

    @property
    def is_due(self):
        return self.paid_at is None


@dataclass(frozen=True)
class Document:
    kind: str               # "invoice" or "credit_note"
    number: str             # PREFIX-YYYY-NNNNN
    issued_on: date
    refers_to: str | None   # a credit note names the invoice it corrects
    refers_to_issued_on: date | None
    seller: Seller
    buyer: Buyer
    service_start: date
    service_end: date
    lines: list[Line]
    taxes: list[TaxSubtotal]
    net_cents: int
    vat_cents: int
    gross_cents: int
    currency: str           # ISO 4217, upper case
    tax_note: str           # the exemption note, or "" when VAT is charged
    payment: Payment
    notes: list[str] = field(default_factory=list)

    def to_json(self):
        """A JSON-safe dict for the stored snapshot."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data):
        seller = dict(data["seller"], address=Address(**data["seller"]["address"]))
        buyer = dict(data["buyer"], address=Address(**data["buyer"]["address"]))
        paid_at, due_on = data["payment"]["paid_at"], data["payment"].get("due_on")
        payment = dict(data["payment"], paid_at=datetime.fromisoformat(paid_at) if paid_at else None,
                       due_on=date.fromisoformat(due_on) if due_on else None)
        return cls(**(data | {
            "issued_on": date.fromisoformat(data["issued_on"]),
            "refers_to_issued_on": (date.fromisoformat(data["refers_to_issued_on"])
                                    if data.get("refers_to_issued_on") else None),
            "service_start": date.fromisoformat(data["service_start"]),
            "service_end": date.fromisoformat(data["service_end"]),
            "seller": Seller(**seller), "buyer": Buyer(**buyer),
            "lines": [Line(**line) for line in data["lines"]],
            "taxes": [TaxSubtotal(**tax) for tax in data["taxes"]],
            "payment": Payment(**payment),
            "notes": list(data.get("notes", [])),
        }))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def split_gross(gross_cents, vat_basis_points):
    """(net, vat) of a gross amount: the net rounded half away from zero, the VAT the rest,
    so that the gross stays what was paid. A credit note's negative amounts split alike.
    `amounts.document_amounts` applies it per VAT rate and shares the net among the lines."""
    if vat_basis_points == 0:
        return gross_cents, 0
    sign = -1 if gross_cents < 0 else 1
    whole = abs(gross_cents)
    divisor = 10000 + vat_basis_points
    net = (2 * whole * 10000 + divisor) // (2 * divisor)
    return sign * net, sign * (whole - net)
