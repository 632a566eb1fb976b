"""Hosts keep their space's desks and rooms: add, rename, take out of service and back.
A desk with bookings to come is retired only once the host has said what happens to them;
the members concerned are told by e-mail."""
from sqlalchemy import select

from coworking.bookings.models import BookingStatus
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import CreditEntry
from coworking.spaces.models import Resource
from tests.factories import give_membership, resources_of
from tests.management.conftest import audit_entries, forget_mail, mails, post_form


def fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_a_host_adds_a_desk_that_members_can_book_at_once(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/resources",
                         {"kind": "hot_desk", "name": "Platz 9", "capacity": "1",
                          "amenities": "Monitor"}, token_from=f"/manage/{space.slug}")
    assert response.status_code == 302 and response.location == f"/manage/{space.slug}"
    desk = db.session.scalar(select(Resource).where(Resource.name == "Platz 9"))
    assert (desk.space_id, desk.kind, desk.active, desk.amenities) == (
        space.id, "hot_desk", True, "Monitor")
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "Platz 9 ist angelegt und kann gebucht werden." in page
    assert "<strong>Hanna Host</strong> hat Platz 9 angelegt" in page
    (entry,) = audit_entries("resource.created")
    assert (entry.actor_id, entry.space_id, entry.target_id) == (host.id, space.id, desk.id)
    assert entry.before is None
    assert entry.after == {"kind": "hot_desk", "name": "Platz 9", "capacity": 1,
                           "amenities": "Monitor"}


def test_a_desk_needs_a_name_of_its_own(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/resources",
                         {"kind": "hot_desk", "name": "desk 1", "capacity": "1"},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 422
    assert "hat schon einen Platz oder Raum namens „desk 1“" in response.get_data(as_text=True)
    assert len(resources_of(space)) == 3 and audit_entries() == []


def test_a_host_renames_a_desk_and_the_log_keeps_both_names(client, space, host):
    desk = resources_of(space)[0]
    path = f"/manage/{space.slug}/resources/{desk.id}"
    response = post_form(client, path, {"name": "Fensterplatz", "capacity": "1",
                                        "amenities": ""})
    assert response.status_code == 302
    assert fresh(desk).name == "Fensterplatz"
    (entry,) = audit_entries("resource.updated")
    assert (entry.before, entry.after) == ({"name": "Desk 1"}, {"name": "Fensterplatz"})
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat Desk 1 geändert" in page and "Desk 1 <span aria-hidden=\"true\">→</span>" in page


def test_a_desk_without_bookings_goes_out_of_service_and_comes_back(client, space, host):
    desk = resources_of(space)[0]
    path = f"/manage/{space.slug}/resources/{desk.id}/deactivate"
    page = client.get(path).get_data(as_text=True)
    assert "Niemand hat Desk 1 ab jetzt gebucht." in page
    assert post_form(client, path, {}).status_code == 302
    assert fresh(desk).active is False
    day = client.get(f"/spaces/{space.slug}?date=2027-03-02").get_data(as_text=True)
    assert f'id="r{desk.id}"' not in day
    response = post_form(client, f"/manage/{space.slug}/resources/{desk.id}/reactivate", {},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 302 and fresh(desk).active is True
    assert [e.action for e in audit_entries()] == ["resource.deactivated",
                                                   "resource.reactivated"]
    assert audit_entries()[0].after == {"active": False}


def test_a_desk_with_bookings_asks_first_and_changes_nothing_until_told(client, space, host,
                                                                       booked):
    desk = resources_of(space)[0]
    booking = booked(desk, name="Mia Member")
    path = f"/manage/{space.slug}/resources/{desk.id}/deactivate"
    page = client.get(path).get_data(as_text=True)
    assert "1 Buchung von Desk 1 steht noch an." in page
    assert "Mia Member" in page and "02.03.2027" in page and "09:00–12:00" in page
    assert "Desk 2" in page  # where it could move
    assert 'id="choice-move" checked' in page  # moving is what the page suggests
    response = post_form(client, path, {"confirmed": str(booking.id), "choice": ""})
    assert response.status_code == 422
    assert "Wähl, was mit den Buchungen geschehen soll." in response.get_data(as_text=True)
    assert fresh(desk).active is True and fresh(booking).status == BookingStatus.CONFIRMED
    assert audit_entries() == []


def test_cancelling_the_bookings_tells_each_member_once_why_and_returns_their_credit(
        client, space, host, booked, make_user, smtp_server):
    desk = resources_of(space)[0]
    member = make_user(name="Mia Member", covered=False)
    give_membership(member, kind="multi_pass", all_spaces=True)
    first = booked(desk, member=member)
    later = booked(desk, "09:00", "12:00", day="2027-03-04", member=member)
    second = booked(desk, "13:00", "15:00", day="2027-03-03", name="Max Member")
    forget_mail()
    response = post_form(client, f"/manage/{space.slug}/resources/{desk.id}/deactivate",
                         {"choice": "cancel", "confirmed": f"{first.id},{second.id},{later.id}",
                          "reason": "Der Tisch ist kaputt."})
    assert response.status_code == 302
    assert fresh(desk).active is False
    assert {fresh(first).status, fresh(second).status, fresh(later).status} == {
        BookingStatus.CANCELLED}
    refunds = db.session.scalars(select(CreditEntry).where(
        CreditEntry.booking_id == first.id, CreditEntry.reason == "cancellation")).all()
    assert [r.delta for r in refunds] == [1]
    run_all()
    assert len(smtp_server.messages) == 2  # one per member, not one per booking
    for message in smtp_server.messages:
        assert message["Subject"].startswith(f"Änderung in {space.name}")
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"{space.name} hat Desk 1 außer Betrieb genommen" in text
        assert "vom Standort abgesagt" in text
        assert f"{space.name} schreibt dir dazu: Der Tisch ist kaputt." in text
    (entry,) = audit_entries("resource.deactivated")
    assert entry.after == {"active": False, "cancelled": [first.id, second.id, later.id],
                           "moved": {}, "reason": "Der Tisch ist kaputt."}


def test_moving_the_bookings_puts_them_on_a_free_desk_and_tells_the_members(
        client, space, host, booked, smtp_server):
    desk, desk2, desk3 = resources_of(space)
    booking = booked(desk, name="Mia Member", email="mia@example.org")
    booked(desk2, "08:00", "18:00")  # Desk 2 is taken all day: Desk 3 is where it goes
    forget_mail()
    path = f"/manage/{space.slug}/resources/{desk.id}/deactivate"
    assert "Desk 3" in client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"choice": "move", "confirmed": str(booking.id)})
    assert response.status_code == 302
    moved = fresh(booking)
    assert (moved.resource_id, moved.status, moved.start_at, moved.end_at) == (
        desk3.id, BookingStatus.CONFIRMED, booking.start_at, booking.end_at)
    assert fresh(desk).active is False
    run_all()
    (message,) = smtp_server.messages
    assert message["To"] == "mia@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Desk 3" in text and "vom Standort verschoben" in text
    (entry,) = audit_entries("resource.deactivated")
    assert entry.after["moved"] == {str(booking.id): "Desk 3"} and entry.after["cancelled"] == []


def test_where_no_desk_is_free_moving_cancels_that_booking(client, space, host, booked,
                                                           smtp_server):
    desk, desk2, desk3 = resources_of(space)
    movable = booked(desk, "09:00", "10:00", name="Mia Member", email="mia@example.org")
    stuck = booked(desk, "14:00", "15:00", member=movable.user)
    booked(desk2, "14:00", "16:00")
    booked(desk3, "13:00", "18:00")
    forget_mail()
    path = f"/manage/{space.slug}/resources/{desk.id}/deactivate"
    page = client.get(path).get_data(as_text=True)
    assert "nichts frei: wird storniert" in page
    response = post_form(client, path, {"confirmed": f"{movable.id},{stuck.id}"})  # default
    assert response.status_code == 302
    assert fresh(movable).resource_id == desk2.id
    assert fresh(stuck).status == BookingStatus.CANCELLED
    (mail,) = mails()  # Mia hears once about both
    assert "vom Standort verschoben" in mail["text"] and "vom Standort abgesagt" in mail["text"]


def test_a_booking_made_after_the_host_looked_is_shown_before_it_is_cancelled(
        client, space, host, booked):
    desk = resources_of(space)[0]
    seen = booked(desk, "09:00", "10:00")
    unseen = booked(desk, "11:00", "12:00")
    response = post_form(client, f"/manage/{space.slug}/resources/{desk.id}/deactivate",
                         {"choice": "cancel", "confirmed": str(seen.id)})
    assert response.status_code == 200
    assert "Buchungen haben sich inzwischen geändert." in response.get_data(as_text=True)
    assert fresh(desk).active and fresh(seen).status == fresh(unseen).status == "confirmed"
