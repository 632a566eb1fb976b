"""A space open 08:00-18:00 every day with three desks and a room, and its host."""
import pytest


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=1, public_holidays_closed=False)


@pytest.fixture
def host(space, make_user):
    return make_user(email="host@example.org", name="Hanna Host", role="host", space=space)
