"""A space with two desks, a member without any plan, the plans they can buy, and the app
paying through the local Stripe-compatible server."""
from types import SimpleNamespace

import pytest

from tests.factories import make_plan, read_topics, resources_of


@pytest.fixture(autouse=True)
def read_payment_events(monkeypatch):
    """The tests count the events of a payment by their outbox rows."""
    read_topics(monkeypatch, "membership.activated", "payment.credited")


@pytest.fixture
def shop(app, make_space, make_user, frozen, online):
    space = make_space(desks=2, rooms=0)
    desk, other_desk = resources_of(space)
    return SimpleNamespace(
        space=space, desk=desk, other_desk=other_desk, fake=online, frozen=frozen,
        member=make_user(covered=False),
        card=make_plan("10er-Karte", spaces=[space]),
        day_pass=make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space]),
        monthly=make_plan("Monat", kind="monthly", price_cents=8900, spaces=[space]))
