"""An operator is a legal seller: a town, its economic-development company, an association,
or the programme office that runs the portal. Each space belongs to one; each plan is sold by
one. Whoever sells must issue invoices, so an operator sells online only once its invoice
data is complete."""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from coworking import clock
from coworking.database import UTCDateTime, one_of
from coworking.extensions import db


class TaxMode(enum.StrEnum):
    """How the operator charges VAT, which decides the invoice's tax category and note."""

    STANDARD = "standard"              # VAT at each plan's rate
    SMALL_BUSINESS = "small_business"  # § 19 UStG: no VAT shown, the invoice says why
    EXEMPT_PUBLIC = "exempt_public"    # § 2b UStG transition: a public body not yet taxable

    @property
    def label(self):
        return _TAX_MODE_LABELS[self]

    @property
    def charges_vat(self):
        return self is TaxMode.STANDARD


_TAX_MODE_LABELS = {
    TaxMode.STANDARD: _l("VAT at the plan's rate"),
    TaxMode.SMALL_BUSINESS: _l("Small business, no VAT (§ 19 UStG)"),
    TaxMode.EXEMPT_PUBLIC: _l("Public body, not yet taxable (§ 2b UStG)"),
}

# SKR03 revenue accounts by VAT rate in basis points ("0": without VAT), DATEV's default chart.
SKR03_REVENUE_ACCOUNTS = {"1900": "8400", "700": "8300", "0": "8200"}

# What an invoice cannot be issued without (§ 14 (4) UStG, and the seller contact, both
# electronic addresses and the number range that XRechnung asks for; the IBAN, which every
# German invoice names for payments and which XRechnung's credit transfer needs). A tax
# number or a VAT id is needed too; `missing_fields` checks that pair apart.
REQUIRED_FIELDS = ("legal_name", "street", "postcode", "city", "country", "representative",
                   "invoice_prefix", "iban", "email", "phone")

# What people call each field, by its API name: forms, the readiness list and messages.
FIELD_LABELS = {
    "legal_name": _l("Legal name"), "street": _l("Street and number"),
    "postcode": _l("Postcode"), "city": _l("Town or city"), "country": _l("Country"),
    "representative": _l("Represented by"), "register": _l("Register entry"),
    "tax_number": _l("Tax number"), "vat_id": _l("VAT id"), "tax_mode": _l("VAT"),
    "invoice_prefix": _l("Invoice number prefix"), "iban": _l("IBAN"), "bic": _l("BIC"),
    "bank_name": _l("Bank"), "email": _l("E-mail address"), "phone": _l("Phone"),
    "revenue_accounts": _l("Revenue accounts"),
}


class Operator(db.Model):
    __tablename__ = "operator"
    __table_args__ = (
        CheckConstraint(one_of("tax_mode", TaxMode), name="tax_mode"),
        # One operator runs the portal: its Impressum is the site's outside a space's pages.
        Index("uq_operator_runs_portal", "runs_portal", unique=True,
              sqlite_where=text("runs_portal"), postgresql_where=text("runs_portal")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="DE")
    # Who represents it (a mayor, a managing director, the board), as the Impressum names them.
    representative: Mapped[str] = mapped_column(String(200), default="")
    # Register court and number, e.g. "Amtsgericht Lübeck, HRB 1234"; optional.
    register: Mapped[str] = mapped_column(String(200), default="")
    tax_number: Mapped[str] = mapped_column(String(30), default="")
    vat_id: Mapped[str] = mapped_column(String(20), default="")
    tax_mode: Mapped[str] = mapped_column(String(20), default=TaxMode.STANDARD.value)
    # Invoice numbers read PREFIX-YYYY-NNNNN; unique, so two operators never share a range.
    invoice_prefix: Mapped[str | None] = mapped_column(String(12), unique=True)
    iban: Mapped[str] = mapped_column(String(34), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    bank_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # {"<VAT rate in basis points>": "<account>"} for the accountant's journal.
    revenue_accounts: Mapped[dict] = mapped_column(
        JSON, default=lambda: dict(SKR03_REVENUE_ACCOUNTS))
    runs_portal: Mapped[bool] = mapped_column(Boolean, default=False)
    # Filled by `seed-demo` in development with invented data, which pages say.
    sample_data: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)
    updated_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    @property
    def mode(self):
        return TaxMode(self.tax_mode)

    def missing_fields(self):
        """The invoice data still empty, by API field name (the address's parts by their own
        names); empty when it may sell. "tax_number" stands for "a tax number or a VAT id"."""
        missing = [name for name in REQUIRED_FIELDS if not (getattr(self, name) or "").strip()]
        if not (self.tax_number or "").strip() and not (self.vat_id or "").strip():
            missing.append("tax_number")
        return missing

    @property
    def is_complete(self):
        return not self.missing_fields()

    @property
    def name(self):
        """What pages call it: its legal name, or its slug until it has one."""
        return self.legal_name or self.slug
