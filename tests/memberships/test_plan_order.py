"""The plans page for a visitor who came from one space: that space's plans first, then the
network plans, then the other towns'; a plan card says what a day is."""
import re

import pytest

from tests.factories import make_plan


@pytest.fixture
def towns(make_space):
    moelln, wittenberge = make_space(slug="moelln"), make_space(slug="wittenberge")
    # The cheapest plan is another town's: by price alone it would stand first.
    make_plan("Monatstarif Wittenberge", kind="monthly", price_cents=5000, spaces=[wittenberge],
              days_per_month=8)
    make_plan("10er-Karte Mölln", price_cents=12000, spaces=[moelln])
    make_plan("Netzwerk", kind="monthly", price_cents=19900, all_spaces=True)
    return moelln, wittenberge


def names(page):
    return re.findall(r'<h[23]>([^<]+)</h[23]>', page)


def test_a_visitor_from_moelln_reads_moellns_plans_first(client, towns):
    page = client.get("/plans?space=moelln").get_data(as_text=True)
    headings = names(page)
    assert headings.index("10er-Karte Mölln") < headings.index("Netzwerk") \
        < headings.index("Monatstarif Wittenberge")
    assert f"Tarife für {towns[0].name}" in headings
    assert "Tarife der anderen Standorte" in headings


def test_without_a_space_or_with_an_unknown_one_the_plans_go_by_price(client, towns):
    for path in ("/plans", "/plans?space=nowhere"):
        response = client.get(path)
        assert response.status_code == 200
        headings = names(response.get_data(as_text=True))
        assert headings[:3] == ["Monatstarif Wittenberge", "10er-Karte Mölln", "Netzwerk"]


def test_a_space_page_links_the_plans_of_that_space(client, towns):
    page = client.get("/spaces/moelln").get_data(as_text=True)
    assert 'href="/plans?space=moelln"' in page


def test_a_plan_card_says_what_a_day_is(client, towns):
    page = client.get("/plans").get_data(as_text=True)
    # Both the card (credits) and the monthly plan with a day quota explain it.
    assert page.count("egal wie viele Stunden") == 2
