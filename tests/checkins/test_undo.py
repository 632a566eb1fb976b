"""A host's day that forgives: check-in, check-out, no-show and "paid on site" can be undone
by any host of the space for 15 minutes (not a minute longer); a no-show asks first, and
undoing one restores the booking on its desk, or on another free desk when its own was taken."""
import re

import pytest

from coworking import events
from coworking.bookings.service import book
from coworking.checkins.jobs import mark_no_shows
from coworking.memberships.models import PaymentStatus
from coworking.memberships.payment_undo import PaymentConfirmationUndone
from coworking.memberships.service import buy
from tests.api.test_api_contract import assert_problem
from tests.billing.paying import fresh
from tests.checkins.helpers import at, audit_entries, booking_of, visits
from tests.factories import csrf_token, make_plan, resources_of

UNDONE = []


def _heard(event):
    UNDONE.append(event.payload())


events.subscribe(PaymentConfirmationUndone, _heard)


@pytest.fixture
def member(api):
    return api(name="Mara Member")


@pytest.fixture
def booking(space, member):
    return book(member.user, resources_of(space)[0].id, at("09:00"), at("12:00"))


def undo(caller, booking):
    return caller.post(f"/api/v1/bookings/{booking.id}/undo")


def test_a_check_in_is_undone_within_15_minutes_and_not_at_the_15th(
        space, booking, host, api, frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:00:00+01:00")
    assert hosting.post(f"/api/v1/bookings/{booking.id}/check-in").status_code == 200
    frozen.set("2027-03-02T09:14:59+01:00")
    response = undo(hosting, booking)
    assert response.status_code == 200 and response.json["status"] == "confirmed"
    assert booking_of(booking.id).checked_in_at is None and visits() == []
    assert [e.action for e in audit_entries()] == ["booking.checked_in",
                                                   "booking.check_in_undone"]
    assert_problem(undo(hosting, booking), 409)  # nothing left to undo

    assert hosting.post(f"/api/v1/bookings/{booking.id}/check-in").status_code == 200
    frozen.set("2027-03-02T09:29:58+01:00")
    assert undo(hosting, booking).status_code == 200
    assert hosting.post(f"/api/v1/bookings/{booking.id}/check-in").status_code == 200
    frozen.set("2027-03-02T09:44:58+01:00")  # exactly 15 minutes later
    late = undo(hosting, booking)
    assert_problem(late, 409)
    assert "Too late" in late.json["detail"]
    assert booking_of(booking.id).status == "checked_in"


def test_any_host_of_the_space_may_undo_others_may_not(
        space, booking, host, api, make_space, make_user, frozen):
    colleague = api(make_user(email="co@example.org", role="host", space=space, name="Co Host"))
    elsewhere = api(make_user(email="else@example.org", role="host",
                              space=make_space(desks=1), name="Other Host"))
    stranger = api(name="Stranger")
    frozen.set("2027-03-02T09:05:00+01:00")
    assert api(host).post(f"/api/v1/bookings/{booking.id}/check-in").status_code == 200
    assert_problem(undo(elsewhere, booking), 403)
    member = api(booking.user)
    assert_problem(undo(member, booking), 403)
    assert_problem(undo(stranger, booking), 404)
    assert undo(colleague, booking).json["status"] == "confirmed"


def test_undoing_a_check_out_reopens_the_visit(space, booking, host, api, frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:05:00+01:00")
    hosting.post(f"/api/v1/bookings/{booking.id}/check-in")
    frozen.set("2027-03-02T10:00:00+01:00")
    assert hosting.post(f"/api/v1/bookings/{booking.id}/check-out").json["status"] == "completed"
    assert undo(hosting, booking).json["status"] == "checked_in"
    (visit,) = visits()
    assert visit.is_open and visit.check_out_method is None


def test_undoing_a_no_show_keeps_the_desk_and_the_job_leaves_it(booking, host, api, frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:31:00+01:00")
    assert hosting.post(f"/api/v1/bookings/{booking.id}/no-show").json["status"] == "no_show"
    frozen.set("2027-03-02T09:40:00+01:00")
    restored = undo(hosting, booking)
    assert restored.json["status"] == "confirmed"
    assert restored.json["resource_id"] == booking.resource_id
    assert mark_no_shows() == 0
    frozen.set("2027-03-02T11:00:00+01:00")
    assert mark_no_shows() == 0 and booking_of(booking.id).status == "confirmed"
    assert hosting.post(f"/api/v1/bookings/{booking.id}/check-in").json["status"] == \
        "checked_in"


def test_undoing_a_no_show_whose_desk_was_taken_moves_it_to_another_free_desk(
        space, booking, host, api, frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:31:00+01:00")
    hosting.post(f"/api/v1/bookings/{booking.id}/no-show")
    desk, second, third = resources_of(space)[:3]
    taker = api(name="Taker")
    taken = taker.post("/api/v1/bookings", json={"resource_id": desk.id,
                                                 "start": "2027-03-02T10:00:00+01:00",
                                                 "end": "2027-03-02T11:00:00+01:00"})
    assert taken.status_code == 201
    restored = undo(hosting, booking)
    assert restored.json["status"] == "confirmed" and restored.json["resource_id"] == second.id


def test_undoing_a_no_show_with_every_desk_taken_is_a_conflict(space, booking, host, api,
                                                               frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:31:00+01:00")
    hosting.post(f"/api/v1/bookings/{booking.id}/no-show")
    for desk in resources_of(space):
        if desk.kind == "hot_desk":
            api(name="Taker").post("/api/v1/bookings", json={
                "resource_id": desk.id, "start": "2027-03-02T11:00:00+01:00",
                "end": "2027-03-02T12:00:00+01:00"})
    response = undo(hosting, booking)
    assert_problem(response, 409)
    assert booking_of(booking.id).status == "no_show"


def test_undoing_paid_on_site_makes_it_due_again_and_says_so(
        space, host, api, make_user, frozen):
    UNDONE.clear()
    card = make_plan("10er-Karte", spaces=[space])
    nina = make_user(email="nina@example.org", name="Nina Neu", covered=False)
    _membership, payment = buy(nina, card.id, online=False)
    booking = book(nina, resources_of(space)[0].id, at("09:00"), at("12:00"))
    hosting = api(host)
    frozen.set("2027-03-02T08:50:00+01:00")
    response = hosting.post(f"/api/v1/bookings/{booking.id}/check-in",
                            json={"paid_on_site": True})
    assert response.json["payment"]["status"] == "paid"
    undone = undo(hosting, booking)
    assert undone.json["payment"]["status"] == "due" and undone.json["status"] == "checked_in"
    assert fresh(payment).status == PaymentStatus.DUE and fresh(payment).paid_at is None
    assert UNDONE[-1]["payment_id"] == payment.id and UNDONE[-1]["undone_by"] == host.id
    # The check-in of the same tap is the next to undo.
    assert undo(hosting, booking).json["status"] == "confirmed"


def test_undoing_paid_on_site_cancels_its_invoice_and_the_next_payment_is_invoiced_anew(
        space, host, api, make_user, frozen):
    from sqlalchemy import select

    from coworking.extensions import db
    from coworking.invoicing.models import Invoice

    card = make_plan("10er-Karte", spaces=[space])
    nina = make_user(email="nina@example.org", name="Nina Neu", covered=False)
    _membership, payment = buy(nina, card.id, online=False)
    booking = book(nina, resources_of(space)[0].id, at("09:00"), at("12:00"))
    hosting = api(host)
    frozen.set("2027-03-02T08:50:00+01:00")
    check_in = f"/api/v1/bookings/{booking.id}/check-in"
    assert hosting.post(check_in, json={"paid_on_site": True}).status_code == 200
    assert undo(hosting, booking).json["payment"]["status"] == "due"
    assert undo(hosting, booking).json["status"] == "confirmed"
    assert hosting.post(check_in, json={"paid_on_site": True}).status_code == 200

    documents = db.session.scalars(select(Invoice).order_by(Invoice.sequence)).all()
    first, cancelled, second = (d.document() for d in documents)
    assert [d.kind for d in (first, cancelled, second)] == [
        "invoice", "credit_note", "invoice"]
    assert cancelled.refers_to == first.number and cancelled.gross_cents == -first.gross_cents
    assert [d.sequence for d in documents] == [1, 2, 3]  # no gap, no number twice
    assert [d.payment_id for d in documents] == [None, None, payment.id]
    assert second.gross_cents == card.price_cents


def card_of(html, booking):
    match = re.search(rf'id="booking-{booking.id}".*?</li>', html, re.S)
    assert match, "the booking is not on the day page"
    return match.group(0)


def test_the_day_page_asks_before_a_no_show_and_offers_the_undo(
        client, login, space, booking, host, frozen):
    frozen.set("2027-03-02T09:31:00+01:00")
    login(host.email)
    day = f"/host/{space.slug}"
    card = card_of(client.get(day).get_data(as_text=True), booking)
    assert 'href="/host/%s/bookings/%d/no-show"' % (space.slug, booking.id) in card
    page = client.get(f"{day}/bookings/{booking.id}/no-show").get_data(as_text=True)
    assert "Mara Member als nicht erschienen markieren?" in page
    assert booking_of(booking.id).status == "confirmed"  # asking changed nothing
    response = client.post(f"{day}/bookings/{booking.id}/no-show",
                           data={"csrf_token": csrf_token(client, day)})
    html = client.get(response.location).get_data(as_text=True)
    card = card_of(html, booking)
    assert "„Nicht erschienen“ rückgängig</button>" in card and "bis 09:46" in card
    response = client.post(f"{day}/bookings/{booking.id}/undo",
                           data={"csrf_token": csrf_token(client, day)})
    assert response.status_code == 302
    assert booking_of(booking.id).status == "confirmed"


def test_a_no_show_owes_no_day_pass_and_its_undo_makes_it_due_again(
        space, host, api, make_user, frozen):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    ben = api(make_user(email="ben@example.org", name="Ben", covered=False))
    booked = book(ben.user, resources_of(space)[0].id, at("09:00"), at("12:00"),
                  pay="day_pass")
    assert ben.get(f"/api/v1/bookings/{booked.id}").json["payment"] == {
        "method": "on_site", "amount_cents": 1500, "status": "due"}
    hosting = api(host)
    frozen.set("2027-03-02T09:31:00+01:00")
    marked = hosting.post(f"/api/v1/bookings/{booked.id}/no-show")
    assert marked.json["payment"]["status"] == "expired"
    assert ben.get(f"/api/v1/bookings/{booked.id}").json["payment"]["status"] == "expired"
    restored = hosting.post(f"/api/v1/bookings/{booked.id}/undo")
    assert restored.json["payment"]["status"] == "due"


def test_a_member_who_took_another_desk_since_keeps_it(space, booking, host, api, frozen):
    hosting = api(host)
    frozen.set("2027-03-02T09:31:00+01:00")
    hosting.post(f"/api/v1/bookings/{booking.id}/no-show")
    member = api(booking.user)
    other = member.post("/api/v1/bookings", json={
        "resource_id": resources_of(space)[2].id, "start": "2027-03-02T10:00:00+01:00",
        "end": "2027-03-02T11:00:00+01:00"})
    assert other.status_code == 201
    response = undo(hosting, booking)
    assert_problem(response, 409)
    assert "Mara Member has booked another desk" in response.json["detail"]
    assert booking_of(booking.id).status == "no_show"
