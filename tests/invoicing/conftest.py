"""Fixtures of the tests of issued invoices."""
from types import SimpleNamespace

import pytest

from tests.factories import give_billing_details, make_plan


@pytest.fixture
def shop_at_seller(app, make_space, make_user, make_operator, frozen, online):
    """A space of the operator "moelln" (prefix MOE), its 10-visit card, a member with
    billing details, and the app paying through the local Stripe server."""
    seller = make_operator("moelln", invoice_prefix="MOE")
    space = make_space(operator=seller, desks=2, rooms=0)
    member = make_user(email="mia@example.org", name="Mia Member", covered=False)
    give_billing_details(member)
    return SimpleNamespace(seller=seller, space=space, member=member, fake=online,
                           frozen=frozen, card=make_plan("10er-Karte", spaces=[space]))
