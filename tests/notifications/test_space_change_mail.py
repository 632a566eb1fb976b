"""When the space cancels or moves a booking (a desk retired, hours cut, a closure), the member
hears it by e-mail: a cancellation says why and returns the credit whatever the deadline; a
move names the new place."""
import pytest
from sqlalchemy import select

from coworking.bookings import service
from coworking.bookings.models import Booking, BookingStatus
from coworking.database import unit_of_work
from coworking.errors import Conflict, Forbidden
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import CreditEntry
from tests.factories import give_membership, resources_of
from tests.notifications.conftest import at


@pytest.fixture
def host(desk, make_user):
    return make_user(role="host", space=desk.space, name="Hanna Host")


def test_a_host_cancels_for_the_space_after_the_deadline_and_the_credit_returns(
        desk, host, make_user, smtp_server, frozen):
    member = make_user(name="Mia Member", covered=False)
    give_membership(member, kind="multi_pass", all_spaces=True)
    booking = service.book(member, desk.id, at("09:00"), at("12:00"))
    frozen.set("2027-03-02T08:30:00+01:00")  # past the two-hour deadline
    service.cancel(host, booking.id, reason="Der Tisch ist kaputt.", for_space=True)
    refund = db.session.scalar(select(CreditEntry).where(
        CreditEntry.booking_id == booking.id, CreditEntry.reason == "cancellation"))
    assert refund is not None and refund.delta == 1
    run_all()
    message = smtp_server.messages[-1]
    assert message["Subject"].startswith("Buchung storniert: Desk 1")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"{desk.space.name} schreibt dir dazu: Der Tisch ist kaputt." in text
    assert "Der Tisch ist kaputt." in html


def test_a_member_s_own_cancellation_says_no_why(desk, make_user, smtp_server):
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    service.cancel(member, booking.id)
    run_all()
    text = smtp_server.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "schreibt dir dazu" not in text


def test_only_a_host_cancels_for_the_space(desk, make_user):
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    with pytest.raises(Forbidden):
        service.cancel(member, booking.id, reason="Weil ich es sage", for_space=True)
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_a_moved_booking_names_its_new_place(desk, make_user, smtp_server):
    member = make_user(email="mia@example.org")
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    other = resources_of(desk.space)[1]
    with unit_of_work():
        db.session.get(Booking, booking.id).move_to(other)
    assert db.session.get(Booking, booking.id).resource_id == other.id
    run_all()
    message = smtp_server.messages[-1]
    assert message["Subject"].startswith("Deine Buchung ist umgezogen auf Desk 2:")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "deine Buchung ist von Desk 1 auf Desk 2 umgezogen; die Zeit bleibt gleich" in text
    assert "Wann: Dienstag, 2. März 2027, 09:00–10:00 Uhr" in text


def test_a_booking_moves_only_within_its_space_and_kind(desk, make_user, make_space):
    booking = service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    room = resources_of(desk.space, kind="meeting_room")[0]
    elsewhere = resources_of(make_space())[0]
    for target in (room, elsewhere):
        with pytest.raises(Conflict), unit_of_work():
            db.session.get(Booking, booking.id).move_to(target)
