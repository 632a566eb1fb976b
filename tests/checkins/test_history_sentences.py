"""The space's history tells a host's day as sentences in local time ("Hanna Host hat Mara
Member um 09:12 eingecheckt"), never action codes, ids or UTC."""
import re

import pytest

from coworking.bookings.service import book
from coworking.memberships.service import buy
from tests.checkins.helpers import at
from tests.factories import make_plan, resources_of


@pytest.fixture
def history(client, login, space, host, api, make_user, frozen):
    mara = make_user(email="mara@example.org", name="Mara Member")
    ben = make_user(email="ben@example.org", name="Ben Bar", covered=False)
    _membership, _payment = buy(ben, make_plan("10er-Karte", spaces=[space]).id, online=False)
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    first = book(mara, resources_of(space)[0].id, at("09:00"), at("12:00"))
    second = book(ben, resources_of(space)[1].id, at("09:00"), at("12:00"))
    hosting = api(host)
    frozen.set("2027-03-02T09:12:00+01:00")
    hosting.post(f"/api/v1/bookings/{first.id}/check-in")
    frozen.set("2027-03-02T09:14:00+01:00")
    hosting.post(f"/api/v1/bookings/{first.id}/undo")
    frozen.set("2027-03-02T09:20:00+01:00")
    hosting.post(f"/api/v1/bookings/{second.id}/check-in", json={"paid_on_site": True})
    frozen.set("2027-03-02T11:05:00+01:00")
    hosting.post(f"/api/v1/bookings/{second.id}/check-out")
    frozen.set("2027-03-02T11:06:00+01:00")
    walk_in = hosting.post("/api/v1/spaces/%s/walk-ins" % space.slug, json={
        "email": "gast@example.org", "name": "Gina Gast", "end": "2027-03-02T13:00:00+01:00"})
    assert walk_in.status_code == 201, walk_in.json
    login(host.email)
    return client.get(f"/manage/{space.slug}").get_data(as_text=True)


def test_the_host_day_reads_as_sentences_in_local_time(history):
    assert "<strong>Hanna Host</strong> hat Mara Member um 09:12 eingecheckt" in history
    assert ("<strong>Hanna Host</strong> hat das Einchecken von Mara Member (09:00–12:00) "
            "rückgängig gemacht") in history
    assert "<strong>Hanna Host</strong> hat Ben Bar um 09:20 eingecheckt" in history
    assert "hat 120,00\xa0€ vor Ort von Ben Bar kassiert" in history
    assert "hat Ben Bar um 11:05 ausgecheckt" in history
    assert re.search(r"hat Gina Gast um 11:06 spontan an Desk \d eingecheckt \(bis 13:00\)",
                     history)


def test_no_codes_ids_or_utc(history):
    for raw in ("booking.", "payment.", "user_id", "#", "+00:00", "Z<"):
        assert raw not in history.split('id="history"', 1)[1], raw
