"""Net and VAT from gross prices: the member pays the price, the figures obey EN 16931's
calculation rules to the cent (or, where no net in cents can, by the one cent the official
schematron allows), and a credit note mirrors its invoice."""
import random
from fractions import Fraction

import pytest

from coworking.invoicing.amounts import EXEMPTION_NOTES, document_amounts
from coworking.invoicing.document import split_gross

EVERY_PRICE = range(1, 50_001)  # 0,01 € to 500,00 €


def vat_of(net, basis_points):
    """VAT computed on a net, rounded half up to the cent, as BR-CO-17 reads."""
    return (2 * net * basis_points + 10000) // 20000


def exact_split(gross, basis_points):
    """A net whose rounded VAT makes exactly `gross`, or None where no net in cents does."""
    near = gross * 10000 // (10000 + basis_points)
    for net in range(max(0, near - 2), near + 3):
        if net + vat_of(net, basis_points) == gross:
            return net
    return None


@pytest.mark.parametrize("basis_points", [1900, 700])
def test_every_price_up_to_500_euros_splits_into_what_was_paid_and_the_rules_hold(basis_points):
    off_by_a_cent = []
    for gross in EVERY_PRICE:
        amounts = document_amounts([gross], basis_points, "standard")
        (line,), (tax,) = amounts.lines, amounts.taxes
        assert line.net_cents + line.vat_cents == gross == amounts.gross_cents
        assert (tax.taxable_cents, tax.vat_cents) == (line.net_cents, line.vat_cents)
        assert (amounts.net_cents, amounts.vat_cents) == (tax.taxable_cents, tax.vat_cents)
        exact = exact_split(gross, basis_points)
        if exact is not None:
            assert (line.net_cents, line.vat_cents) == (exact, vat_of(exact, basis_points)), gross
        else:
            assert abs(line.vat_cents - vat_of(line.net_cents, basis_points)) == 1, gross
            off_by_a_cent.append(gross)
    # Only the prices no net in cents can make are a cent off, and they are not rare.
    share = len(off_by_a_cent) / len(EVERY_PRICE)
    assert share == pytest.approx(basis_points / (10000 + basis_points), abs=0.01)


def test_15_euros_at_19_percent_is_the_price_paid_with_the_vat_german_practice_takes_out():
    amounts = document_amounts([1500], 1900, "standard")
    assert (amounts.net_cents, amounts.vat_cents, amounts.gross_cents) == (1261, 239, 1500)
    assert vat_of(1260, 1900) + 1260 == 1499 and vat_of(1261, 1900) + 1261 == 1501


def test_split_gross_is_the_single_line_rule():
    for gross in (1, 99, 1500, 12000, 4999, -1500):
        amounts = document_amounts([gross], 1900, "standard")
        assert split_gross(gross, 1900) == (amounts.net_cents, amounts.vat_cents)


def test_vat_of_a_rate_is_computed_on_the_sum_of_its_line_nets():
    """Three day passes at 10,00 €: each alone is 8,40 € + 1,60 €, but the VAT of 25,21 €
    is 4,79 €, so one line carries the cent the sum asks for."""
    amounts = document_amounts([1000, 1000, 1000], 1900, "standard")
    (tax,) = amounts.taxes
    assert sum(line.net_cents for line in amounts.lines) == tax.taxable_cents == 2521
    assert tax.vat_cents == vat_of(2521, 1900) == 479
    assert [line.net_cents for line in amounts.lines] == [841, 840, 840]
    assert [line.vat_cents for line in amounts.lines] == [159, 160, 160]
    assert amounts.gross_cents == 3000


def test_each_rate_has_its_own_breakdown_highest_first():
    amounts = document_amounts([1500, 12000, 990], [700, 1900, 700], "standard")
    assert [(tax.vat_basis_points, tax.taxable_cents, tax.vat_cents) for tax in amounts.taxes] \
        == [(1900, 10084, 1916), (700, 2327, 163)]
    assert [line.vat_basis_points for line in amounts.lines] == [700, 1900, 700]
    assert amounts.gross_cents == 14490 == amounts.net_cents + amounts.vat_cents
    assert amounts.tax_note == ""


def test_random_documents_keep_every_rule():
    """Line nets sum to the taxable amount of their rate, each is its exact net rounded down
    or up, the VAT of a rate is at most a cent off its rounded product, totals add up."""
    draw = random.Random(15)
    for _ in range(2000):
        count = draw.randint(1, 6)
        grosses = [draw.randint(1, 60000) for _ in range(count)]
        rates = [draw.choice((1900, 700)) for _ in range(count)]
        amounts = document_amounts(grosses, rates, "standard")
        for tax in amounts.taxes:
            lines = [line for line in amounts.lines
                     if line.vat_basis_points == tax.vat_basis_points]
            assert sum(line.net_cents for line in lines) == tax.taxable_cents
            assert sum(line.gross_cents for line in lines) == tax.taxable_cents + tax.vat_cents
            assert abs(tax.vat_cents - vat_of(tax.taxable_cents, tax.vat_basis_points)) <= 1
            for line in lines:
                exact = Fraction(line.gross_cents * 10000, 10000 + line.vat_basis_points)
                assert abs(line.net_cents - exact) < 1
        assert amounts.net_cents == sum(tax.taxable_cents for tax in amounts.taxes)
        assert amounts.vat_cents == sum(tax.vat_cents for tax in amounts.taxes)
        assert amounts.gross_cents == sum(grosses) == amounts.net_cents + amounts.vat_cents


def test_a_credit_note_over_a_whole_invoice_negates_every_figure():
    draw = random.Random(16)
    for _ in range(500):
        grosses = [draw.randint(1, 60000) for _ in range(draw.randint(1, 4))]
        rates = [draw.choice((1900, 700)) for _ in grosses]
        invoice = document_amounts(grosses, rates, "standard")
        credit = document_amounts([-gross for gross in grosses], rates, "standard")
        assert [(-line.net_cents, -line.vat_cents, -line.gross_cents) for line in invoice.lines] \
            == [(line.net_cents, line.vat_cents, line.gross_cents) for line in credit.lines]
        assert [(-tax.taxable_cents, -tax.vat_cents) for tax in invoice.taxes] \
            == [(tax.taxable_cents, tax.vat_cents) for tax in credit.taxes]
        assert credit.gross_cents == -invoice.gross_cents


@pytest.mark.parametrize("tax_mode, category", [("small_business", "E"),
                                                ("exempt_public", "O")])
def test_without_vat_the_net_is_the_price_and_the_note_says_why(tax_mode, category):
    amounts = document_amounts([12000, 1500], 1900, tax_mode)
    assert [(line.net_cents, line.vat_cents, line.vat_basis_points, line.vat_category)
            for line in amounts.lines] == [(12000, 0, 0, category), (1500, 0, 0, category)]
    (tax,) = amounts.taxes
    assert (tax.vat_category, tax.vat_basis_points, tax.taxable_cents, tax.vat_cents) \
        == (category, 0, 13500, 0)
    assert tax.exemption_reason == amounts.tax_note == EXEMPTION_NOTES[category]
    assert ("§ 19" if category == "E" else "§ 2b") in amounts.tax_note


def test_what_no_document_can_hold_is_refused():
    with pytest.raises(ValueError, match="at least one line"):
        document_amounts([], 1900, "standard")
    with pytest.raises(ValueError, match="all charges"):
        document_amounts([1500, -1500], 1900, "standard")
    with pytest.raises(ValueError, match="positive VAT rate"):
        document_amounts([1500], 0, "standard")
    with pytest.raises(ValueError, match="one VAT rate per line"):
        document_amounts([1500, 900], [1900], "standard")
    with pytest.raises(ValueError):
        document_amounts([1500], 1900, "reverse_charge")
