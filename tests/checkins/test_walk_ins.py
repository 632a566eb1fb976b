"""Walk-ins over the API: a host books a free desk from now for a member, a new guest or a
guest known by name only (who gets no account) and checks them in; a full space is a 409, a desk overdue for check-in counts as free, and bad
input changes nothing."""
import pytest
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.accounts.service import authenticate
from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.errors import AuthenticationFailed
from coworking.extensions import db
from coworking.invoicing.models import Invoice
from coworking.memberships.models import Payment
from coworking.outbox import OutboxMessage
from tests.checkins.helpers import at, audit_entries, booking_of, visits
from tests.factories import make_plan, resources_of

NOW = "2027-03-02T10:07:00+01:00"


@pytest.fixture
def hosting(space, host, api, frozen):
    frozen.set(NOW)
    return api(host)


def mails_to(address):
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail"))
        if m.payload["to"] == address]


def walk_in(hosting, space, **body):
    return hosting.post(f"/api/v1/spaces/{space.slug}/walk-ins", json=body)


def counts():
    db.session.commit()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, Booking, Payment))


def test_a_member_walks_in_under_their_plan(space, hosting, host, make_user):
    member = make_user(email="mara@example.org", name="Mara Member")
    response = walk_in(hosting, space, email="Mara@Example.org",
                       end="2027-03-02T13:00:00+01:00")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "checked_in" and body["space"] == space.slug
    assert body["start"] == "2027-03-02T10:00:00+01:00"  # the slot under way
    assert body["end"] == "2027-03-02T13:00:00+01:00"
    assert body["covered_by"] is not None and body["payment"] is None
    booking = booking_of(body["id"])
    assert booking.user_id == member.id and booking.source == "walk-in"
    (visit,) = visits()
    assert (visit.booking_id, visit.check_in_method, visit.checked_in_by_id) == \
        (booking.id, "host", host.id)
    assert visit.checked_in_at == at("10:07")
    (entry,) = audit_entries(action="booking.walk_in")
    assert entry.actor_id == host.id and entry.after["new_guest"] is False


def test_a_new_guest_gets_an_account_without_a_usable_password_and_pays_on_site(
        space, hosting, app):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    response = walk_in(hosting, space, email="gast@example.org", name="Gerd Gast",
                       end="2027-03-02T18:00:00+01:00")
    assert response.status_code == 201, response.json
    assert response.json["covered_by"] is None
    assert response.json["payment"] == {"method": "on_site", "amount_cents": 1500,
                                        "status": "due"}
    guest = db.session.scalar(select(User).where(User.email == "gast@example.org"))
    assert guest.name == "Gerd Gast" and guest.role_names == ["member"]
    for password in ("", "!", guest.password_hash):
        with pytest.raises(AuthenticationFailed):
            authenticate("gast@example.org", password, "127.0.0.1")
    assert audit_entries(action="booking.walk_in")[0].after["new_guest"] is True


def test_a_guest_known_by_name_only_gets_no_account_and_no_mail(space, hosting, host):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    response = walk_in(hosting, space, name="Frieda Fremd", end="2027-03-02T13:00:00+01:00")
    assert response.status_code == 201, response.json
    assert response.json["status"] == "checked_in"
    assert response.json["payment"] == {"method": "on_site", "amount_cents": 1500,
                                        "status": "due"}
    guest = booking_of(response.json["id"]).user
    assert guest.name == "Frieda Fremd" and guest.role_names == [] and not guest.has_mailbox
    # Nobody signs in as them, and nothing is written to them.
    for password in ("", "!", guest.password_hash):
        with pytest.raises(AuthenticationFailed):
            authenticate(guest.email, password, "127.0.0.1")
    assert mails_to(guest.email) == []
    # The visit is on the host's day with the name given.
    day = hosting.get(f"/api/v1/spaces/{space.slug}/day").json
    (entry,) = [b for b in day["bookings"] if b["id"] == response.json["id"]]
    assert "Frieda Fremd" in str(entry) and guest.email not in str(day)
    # A second guest of the same name is another person.
    second = walk_in(hosting, space, name="Frieda Fremd", end="2027-03-02T11:00:00+01:00")
    assert second.status_code == 201 and booking_of(second.json["id"]).user_id != guest.id
    # The day pass paid on site is invoiced to the name, with no address to write to.
    paid = hosting.post(f"/api/v1/bookings/{response.json['id']}/confirm-payment")
    assert paid.status_code == 200, paid.json
    db.session.commit()
    (invoice,) = db.session.scalars(select(Invoice).where(Invoice.user_id == guest.id)).all()
    buyer = invoice.document().buyer
    assert (buyer.name, buyer.email) == ("Frieda Fremd", "")
    assert mails_to(guest.email) == []


def test_a_walk_in_takes_the_desk_asked_for(space, hosting):
    desk = resources_of(space)[2]
    response = walk_in(hosting, space, email="gast@example.org", name="Gerd Gast",
                       resource_id=desk.id, end="2027-03-02T11:00:00+01:00")
    # No cover and no day pass on offer here: nothing to pay with.
    assert response.status_code == 422 and "no day pass" in response.json["detail"]
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    response = walk_in(hosting, space, email="gast@example.org", name="Gerd Gast",
                       resource_id=desk.id, end="2027-03-02T11:00:00+01:00")
    assert response.status_code == 201 and response.json["resource_id"] == desk.id


def test_a_full_space_is_a_conflict_and_changes_nothing(space, hosting, make_user):
    for desk in resources_of(space):
        book(make_user(), desk.id, at("10:30"), at("12:00"))
    before = counts()
    response = walk_in(hosting, space, email="new@example.org", name="Nina New",
                       end="2027-03-02T11:00:00+01:00")
    assert response.status_code == 409 and "No desk" in response.json["detail"]
    assert counts() == before
    # Until the first booking starts there is room.
    response = walk_in(hosting, space, email="new@example.org", name="Nina New",
                       end="2027-03-02T10:30:00+01:00")
    assert response.status_code == 422  # no cover, no day pass: but not "full"
    assert counts() == before


def test_a_walk_in_over_a_desk_overdue_for_check_in_releases_it(space, hosting, make_user,
                                                                frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    desks = resources_of(space)
    bookings = [book(make_user(), desk.id, at("09:30"), at("12:00")) for desk in desks]
    frozen.set("2027-03-02T09:59:00+01:00")
    assert walk_in(hosting, space, email="late@example.org", name="Lea Late",
                   end="2027-03-02T11:00:00+01:00").status_code == 409
    frozen.set("2027-03-02T10:00:00+01:00")  # 09:30 + 30 minutes' grace
    make_user(email="late@example.org")
    response = walk_in(hosting, space, email="late@example.org",
                       end="2027-03-02T11:00:00+01:00")
    assert response.status_code == 201, response.json
    released = [b for b in map(booking_of, (b.id for b in bookings)) if b.status == "no_show"]
    assert [b.resource_id for b in released] == [response.json["resource_id"]]


@pytest.mark.parametrize("body, field", [
    ({"email": "not an address", "name": "X", "end": "2027-03-02T11:00:00+01:00"}, "email"),
    ({"email": "", "name": "", "end": "2027-03-02T11:00:00+01:00"}, "name"),
    ({"end": "2027-03-02T11:00:00+01:00"}, "name"),
    ({"name": "   ", "end": "2027-03-02T11:00:00+01:00"}, "name"),
    ({"name": "X" * 201, "end": "2027-03-02T11:00:00+01:00"}, "name"),
    ({"email": "new@example.org", "end": "2027-03-02T11:00:00+01:00"}, "name"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T18:30:00+01:00"}, "end"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T10:00:00+01:00"}, "end"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T09:00:00+01:00"}, "end"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T10:45:00+01:00"}, "end"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T11:00:00"}, "end"),
    ({"email": "new@example.org", "name": "X"}, "end"),
    ({"email": "new@example.org", "name": "X", "end": "2027-03-02T11:00:00+01:00",
      "resource_id": 999999}, "resource_id"),
])
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(space, hosting, body, field):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space])
    before = counts()
    response = walk_in(hosting, space, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert counts() == before


def test_another_spaces_desk_is_not_taken(space, hosting, make_space):
    elsewhere = resources_of(make_space(desks=1))[0]
    response = walk_in(hosting, space, email="new@example.org", name="X",
                       resource_id=elsewhere.id, end="2027-03-02T11:00:00+01:00")
    assert response.status_code == 422 and "resource_id" in response.json["errors"]


def test_outside_opening_hours_there_is_no_walk_in(space, hosting, frozen):
    frozen.set("2027-03-02T18:00:00+01:00")
    response = walk_in(hosting, space, email="new@example.org", name="X",
                       end="2027-03-02T18:30:00+01:00")
    assert response.status_code == 422 and "not open now" in response.json["detail"]


def test_someone_with_a_booking_now_is_checked_in_on_it_instead(space, hosting, make_user):
    member = make_user(email="booked@example.org")
    book(member, resources_of(space)[0].id, at("10:30"), at("12:00"))
    response = walk_in(hosting, space, email="booked@example.org",
                       end="2027-03-02T11:00:00+01:00")
    assert response.status_code == 409 and "check them in on that booking" in \
        response.json["detail"]


def test_only_hosts_of_the_space_take_walk_ins(space, api, make_user, make_space, frozen):
    frozen.set(NOW)
    body = {"email": "new@example.org", "name": "X", "end": "2027-03-02T11:00:00+01:00"}
    for caller in (api(), api(make_user(role="host", space=make_space(desks=1)))):
        assert caller.post(f"/api/v1/spaces/{space.slug}/walk-ins", json=body).status_code == 403
