"""The waiting list in the member's pages: joining from a booking page whose slot was taken,
"my bookings", the offer page the e-mail links to, and what bad requests get."""
import html
import re

import pytest
from sqlalchemy import select

from coworking.bookings import service
from coworking.bookings.models import Booking
from coworking.extensions import db
from coworking.waitlist import service as waitlist_service
from coworking.waitlist.models import EntryStatus, WaitlistEntry
from tests.bookings.test_booking_form import at, open_form
from tests.factories import (
    csrf_token,
    give_billing_details,
    make_plan,
    order_through_summary,
    resources_of,
)

NINE, FIVE = at("09:00"), at("17:00")


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=1, rooms=0)


@pytest.fixture
def desk(space):
    return resources_of(space)[0]


@pytest.fixture
def ben(make_user, login):
    user = make_user(email="ben@example.org", name="Ben")
    login(user.email)
    return user


def join_data(client, space, start=NINE, end=FIVE, kind="hot_desk"):
    return {"csrf_token": csrf_token(client, "/bookings"), "space": space.slug, "kind": kind,
            "start": start.isoformat(), "end": end.isoformat()}


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def entry_of(user):
    db.session.commit()
    return db.session.scalars(select(WaitlistEntry).where(WaitlistEntry.user_id == user.id)
                              .execution_options(populate_existing=True)).one()


def test_a_slot_taken_meanwhile_offers_the_waiting_list_and_joining_says_the_place(
        space, desk, ben, client, make_user):
    form = open_form(client, space, desk, start="09:00")
    form["end"] = FIVE.isoformat()
    service.book(make_user(), desk.id, NINE, FIVE)  # someone else was quicker
    refused = client.post(f"/spaces/{space.slug}/book", data=form)
    assert refused.status_code == 422
    assert f"Desk 1 in {space.town.name} ist von 09:00 bis 17:00 schon gebucht" in text_of(refused)
    page = text_of(refused)
    assert "Belegt? Auf die Warteliste" in page and 'action="/waitlist"' in page
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                             page[page.index('action="/waitlist"'):]))
    assert fields["kind"] == "hot_desk" and fields["start"] == NINE.isoformat()

    joined = client.post("/waitlist", data=fields)
    assert joined.status_code == 302
    # Back on the space's page with the range asked for, not the whole day...
    assert joined.location == (f"/spaces/{space.slug}?date=2027-03-02&kind=hot_desk"
                               "&from=09:00&until=17:00")
    back = text_of(client.get(joined.location))
    assert "Du stehst auf der Warteliste (Platz 1)." in back
    # ...which says the member is on the list for it, and offers no second join.
    assert "Für 09:00–17:00 bist du auf Platz 1." in back
    assert 'class="primary join-waitlist"' not in back
    again = client.post("/waitlist", data=fields, follow_redirects=True)
    assert "Du stehst schon auf der Warteliste (Platz 1)." in text_of(again)
    mine = text_of(client.get("/bookings"))
    assert "Wartelisten" in mine and "Auf der Warteliste" in mine


def test_joining_while_a_place_is_free_leads_to_booking_it(space, desk, ben, client):
    response = client.post("/waitlist", data=join_data(client, space))
    assert response.status_code == 302
    assert response.location.startswith(f"/spaces/{space.slug}/book?resource={desk.id}&start=")
    page = text_of(client.get(response.location))
    assert "Es ist doch ein Platz frei: Desk 1. Buch ihn gleich." in page
    assert db.session.scalar(select(WaitlistEntry.id)) is None


@pytest.mark.parametrize("change, status, message", [
    ({"start": ""}, 422, "Dieses Formular ist unvollständig."),
    ({"start": "morgen"}, 422, "Bitte wähle eine Uhrzeit aus der Liste."),
    ({"kind": "fixed_desk"}, 422, "Für diese Art Platz gibt es keine Warteliste."),
    ({"start": at("17:00").isoformat(), "end": at("19:00").isoformat()}, 422, "18:00"),
    ({"end": at("20:00").isoformat()}, 422, "höchstens 10:00 Stunden"),
    ({"csrf_token": ""}, 303, ""),  # back to the page, with a message
    ({"space": "atlantis"}, 404, ""),
])
def test_a_bad_join_is_refused_with_its_reason(space, desk, ben, client, make_user, change,
                                               status, message):
    service.book(make_user(), desk.id, NINE, FIVE)
    response = client.post("/waitlist", data={**join_data(client, space), **change})
    assert response.status_code == status
    assert message in text_of(response)
    assert db.session.scalar(select(WaitlistEntry.id)) is None


@pytest.fixture
def offered(space, desk, ben, make_user):
    anna = make_user()
    booking = service.book(anna, desk.id, NINE, FIVE)
    waitlist_service.join(ben, space, "hot_desk", NINE, FIVE)
    service.cancel(anna, booking.id)
    return entry_of(ben)


def test_the_offer_page_takes_the_place_with_one_button(offered, ben, client):
    page = text_of(client.get(f"/waitlist/offers/{offered.id}"))
    assert "Ein Platz für dich" in page and "Für dich reserviert bis" in page and "07:30" in page
    mine = text_of(client.get("/bookings"))
    assert "Ein Platz ist bis 07:30 Uhr für dich reserviert." in mine
    taken = client.post(f"/waitlist/offers/{offered.id}/accept",
                        data={"csrf_token": csrf_token(client, f"/waitlist/offers/{offered.id}")})
    assert (taken.status_code, taken.location) == (302, "/bookings")
    assert "Gebucht: Desk 1" in text_of(client.get("/bookings"))
    assert entry_of(ben).status == EntryStatus.BOOKED
    assert "Du hast das Angebot angenommen" in text_of(client.get(f"/waitlist/offers/{offered.id}"))


def test_someone_elses_offer_does_not_exist_for_them(offered, client, make_user, login):
    other = make_user(email="other@example.org")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/bookings")})
    login(other.email)
    assert client.get(f"/waitlist/offers/{offered.id}").status_code == 404
    token = csrf_token(client, "/bookings")
    assert client.post(f"/waitlist/offers/{offered.id}/accept",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/waitlist/{offered.id}/leave",
                       data={"csrf_token": token}).status_code == 404
    assert client.get("/waitlist/offers/99999999999").status_code == 404


def test_a_lapsed_offer_says_so_and_links_to_the_space(offered, space, client, frozen):
    token = csrf_token(client, f"/waitlist/offers/{offered.id}")
    frozen.set("2027-03-01T07:30:00+01:00")
    for response in (client.get(f"/waitlist/offers/{offered.id}"),
                     client.post(f"/waitlist/offers/{offered.id}/accept",
                                 data={"csrf_token": token})):
        assert response.status_code == 410
        page = text_of(response)
        assert "Das Angebot ist abgelaufen" in page
        assert f'href="/spaces/{space.slug}?date=2027-03-02"' in page
    assert db.session.scalar(select(Booking.id).where(Booking.user_id == offered.user_id)) is None


def test_declining_on_the_offer_page_ends_the_offer(offered, client):
    token = csrf_token(client, f"/waitlist/offers/{offered.id}")
    response = client.post(f"/waitlist/{offered.id}/leave", data={"csrf_token": token},
                           follow_redirects=True)
    assert "Du hast das Angebot abgelehnt" in text_of(response)
    assert entry_of(offered.user).status == EntryStatus.WITHDRAWN
    assert "Wartelisten" not in text_of(client.get("/bookings"))
    gone = client.get(f"/waitlist/offers/{offered.id}")
    assert gone.status_code == 410
    assert "Dieses Angebot gilt nicht mehr." in text_of(gone)
    assert "Du hast die Warteliste verlassen." in text_of(gone)


def test_without_cover_the_offer_page_shows_the_offers_and_a_day_pass(space, desk, client,
                                                                       make_user, login):
    make_plan(kind="day_pass", price_cents=1500, spaces=[space], name="Tagespass")
    anna, cleo = make_user(), make_user(email="cleo@example.org", covered=False)
    booking = service.book(anna, desk.id, NINE, FIVE)
    waitlist_service.join(cleo, space, "hot_desk", NINE, FIVE)
    service.cancel(anna, booking.id)
    entry = entry_of(cleo)
    login(cleo.email)
    token = csrf_token(client, f"/waitlist/offers/{entry.id}")
    refused = client.post(f"/waitlist/offers/{entry.id}/accept", data={"csrf_token": token})
    assert refused.status_code == 402
    page = text_of(refused)
    assert "Keine Mitgliedschaft" in page or "Tagespass" in page
    assert 'name="pay_day_pass"' in page
    give_billing_details(cleo)
    paid = order_through_summary(client, client.post(
        f"/waitlist/offers/{entry.id}/accept", data={"csrf_token": token, "pay_day_pass": "y"}))
    assert (paid.status_code, paid.location) == (302, "/bookings")
    assert "vor Ort" in text_of(client.get("/bookings"))
    assert entry_of(cleo).status == EntryStatus.BOOKED
