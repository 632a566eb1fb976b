"""Net, VAT and totals of an invoice or credit note, derived from the gross prices paid.

Prices are gross. EN 16931 wants the VAT of a rate computed on the sum of the line nets of
that rate (BR-CO-17, BR-S-08/09) and totals that add up (BR-CO-10, -13 to -16). A gross price
cannot always meet both to the cent: at 19 % no net in whole cents gives 15,00 € (12,60 € +
2,39 € = 14,99 €; 12,61 € + 2,40 € = 15,01 €). The rule here:

- per VAT rate, the taxable amount is the gross of that rate divided by (1 + rate), rounded
  half away from zero, and the VAT is the rest: net plus VAT is always the gross paid;
- the line nets share that taxable amount by the largest remainder, so they sum to it exactly
  and each is its own exact net rounded down or up.

Whenever some net in cents meets "VAT = net × rate, rounded" exactly, this rule finds that
net (it is then the rounded quotient), so the VAT is exact. Otherwise (about one gross price
in six at 19 %, one in fifteen at 7 %) the VAT is one cent off the product. That is the VAT
German practice takes out of a gross price (the VAT contained in what the buyer paid), and
the official EN 16931 schematron accepts it: its BR-CO-17 and BR-S-09 take any difference
below one currency unit; XRechnung adds no stricter rule. A rounding amount (BT-114) was
the other way; it would print a total other than the price paid and a VAT the seller did
not collect (and would owe once stated, § 14c UStG), so it is not used.

Credit notes carry negative amounts; they split alike (half away from zero), so a credit
note over a whole invoice is that invoice with every figure negated.
"""
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from coworking.invoicing.document import TaxSubtotal, split_gross
from coworking.operators.models import TaxMode

# EN 16931 VAT categories (UNTDID 5305) per tax mode.
STANDARD_RATE = "S"
EXEMPT = "E"            # § 19 UStG: since 2025 a tax exemption for small businesses
NOT_SUBJECT = "O"       # § 2b UStG not yet applied: outside the scope of VAT

CATEGORY_OF_MODE = {TaxMode.STANDARD: STANDARD_RATE, TaxMode.SMALL_BUSINESS: EXEMPT,
                    TaxMode.EXEMPT_PUBLIC: NOT_SUBJECT}

# The note § 14 (4) UStG and § 34a UStDV ask for, printed and sent as VAT exemption reason
# (BT-120). An invoice is a German tax document, so its words are German whatever the
# reader's language.
EXEMPTION_NOTES = {
    EXEMPT: "Steuerbefreiung für Kleinunternehmer nach § 19 Abs. 1 UStG: "
            "Es wird keine Umsatzsteuer berechnet.",
    NOT_SUBJECT: "Nicht umsatzsteuerbar: Leistung einer juristischen Person des öffentlichen "
                 "Rechts, für die § 2b UStG nach der Übergangsregelung des § 27 Abs. 22a UStG "
                 "noch nicht gilt. Es wird keine Umsatzsteuer berechnet.",
}
# The CEF VATEX code for "not subject to VAT" (BT-121); there is none for § 19 UStG.
EXEMPTION_CODES = {NOT_SUBJECT: "VATEX-EU-O"}


@dataclass(frozen=True)
class LineAmount:
    net_cents: int
    vat_cents: int
    gross_cents: int
    vat_basis_points: int
    vat_category: str


@dataclass(frozen=True)
class Amounts:
    """What `Document` needs besides the parties: line amounts in the order given, the VAT
    breakdown (highest rate first), totals and the exemption note ("" when VAT is charged)."""

    lines: list[LineAmount]
    taxes: list[TaxSubtotal]
    net_cents: int
    vat_cents: int
    gross_cents: int
    tax_note: str


def document_amounts(lines_gross, vat_basis_points, tax_mode):
    """The amounts of a document whose lines cost `lines_gross` (cents, negative on a credit
    note). `vat_basis_points` is one rate for every line or a rate per line (1900 = 19 %);
    outside the standard tax mode no VAT is charged and the rates are ignored."""
    grosses = [int(gross) for gross in lines_gross]
    if not grosses:
        raise ValueError("a document needs at least one line")
    if any(gross > 0 for gross in grosses) and any(gross < 0 for gross in grosses):
        raise ValueError("an invoice's lines are all charges, a credit note's all refunds")
    rates = ([int(vat_basis_points)] * len(grosses) if isinstance(vat_basis_points, int)
             else [int(rate) for rate in vat_basis_points])
    if len(rates) != len(grosses):
        raise ValueError("one VAT rate per line")
    category = CATEGORY_OF_MODE[TaxMode(tax_mode)]
    if category != STANDARD_RATE:
        rates = [0] * len(grosses)
    elif any(rate <= 0 for rate in rates):
        raise ValueError("the standard tax mode charges a positive VAT rate")

    by_rate = defaultdict(list)
    for index, rate in enumerate(rates):
        by_rate[rate].append(index)
    nets = [0] * len(grosses)
    taxes = []
    for rate in sorted(by_rate, reverse=True):
        indexes = by_rate[rate]
        gross = sum(grosses[i] for i in indexes)
        taxable, vat = split_gross(gross, rate)
        for i, net in zip(indexes, _share(taxable, [grosses[i] for i in indexes], rate)):
            nets[i] = net
        taxes.append(TaxSubtotal(vat_category=category, vat_basis_points=rate,
                                 taxable_cents=taxable, vat_cents=vat,
                                 exemption_reason=EXEMPTION_NOTES.get(category, "")))
    lines = [LineAmount(net_cents=net, vat_cents=gross - net, gross_cents=gross,
                        vat_basis_points=rate, vat_category=category)
             for net, gross, rate in zip(nets, grosses, rates)]
    return Amounts(lines=lines, taxes=taxes,
                   net_cents=sum(tax.taxable_cents for tax in taxes),
                   vat_cents=sum(tax.vat_cents for tax in taxes),
                   gross_cents=sum(grosses), tax_note=EXEMPTION_NOTES.get(category, ""))


def _share(taxable, grosses, vat_basis_points):
    """Line nets that sum to `taxable`: each line's exact net rounded down, and the cents
    left over to the lines with the largest remainders (ties to the earlier line)."""
    if len(grosses) == 1:
        return [taxable]
    sign = -1 if taxable < 0 or any(gross < 0 for gross in grosses) else 1
    exact = [Fraction(abs(gross) * 10000, 10000 + vat_basis_points) for gross in grosses]
    nets = [int(value) for value in exact]
    left = abs(taxable) - sum(nets)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - nets[i]), i))
    for i in by_remainder[:left]:
        nets[i] += 1
    return [sign * net for net in nets]
