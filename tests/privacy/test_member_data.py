"""A member's own data: all of it in one download, and deleting the account erases the person
while past bookings and the figures built on them stay."""
import json
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from coworking.accounts.models import ApiToken, User
from coworking.accounts.research_profile import ResearchProfile, set_research
from coworking.bookings.models import Booking, BookingStatus
from coworking.bookings.service import book
from coworking.calendars.tokens import personal_feed_url
from coworking.checkins.models import Visit
from coworking.checkins.service import check_in
from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.factories import csrf_token, resources_of


def at(space, iso):
    return datetime.fromisoformat(iso).replace(tzinfo=space.zone)


@pytest.fixture
def world(make_space, make_user, frozen):
    """Mia with a visit today, a booking next week and research consent; Tom, another member."""
    space = make_space()
    desks = resources_of(space)
    mia = make_user(email="mia@example.org", name="Mia Sommer")
    tom = make_user(email="tom@example.org", name="Tom Winter")
    host = make_user(role="host", space=space)
    today = book(mia, desks[0].id, at(space, "2027-03-01T08:00"), at(space, "2027-03-01T12:00"))
    frozen.set("2027-03-01T08:05:00+01:00")
    check_in(host, today.id)
    ahead = book(mia, desks[1].id, at(space, "2027-03-08T09:00"), at(space, "2027-03-08T17:00"))
    toms = book(tom, desks[2].id, at(space, "2027-03-08T09:00"), at(space, "2027-03-08T17:00"))
    set_research(mia, True, {"work_mode": "commute", "commute_km_band": "50-100"})
    return space, mia, tom, today, ahead, toms


def test_the_download_holds_everything_about_the_member_and_nothing_of_others(world, api):
    space, mia, tom, today, ahead, toms = world
    caller = api(mia)
    response = caller.get("/api/v1/me/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "mia@example.org"
    assert data["account"]["name"] == "Mia Sommer"
    tables = data["tables"]
    assert {b["id"] for b in tables["booking"]} == {today.id, ahead.id}
    assert [v["booking_id"] for v in tables["visit"]] == [today.id]
    assert tables["membership"] and {u["booking_id"] for u in tables["cover_use"]} == {
        today.id, ahead.id}
    assert tables["research_profile"][0]["commute_km_band"] == "50-100"
    assert [t["name"] for t in tables["api_token"]]
    text = json.dumps(data)
    for secret in ("password_hash", "token_hash", "nonce", "scrypt", "pbkdf2"):
        assert secret not in text
    assert "tom@example.org" not in text and "Tom Winter" not in text
    assert toms.id not in {b["id"] for b in tables["booking"]}


def test_the_account_page_offers_the_download(world, client, login):
    login("mia@example.org")
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data())["account"]["email"] == "mia@example.org"


def test_deleting_erases_the_person_and_keeps_the_past(world, api, client, make_user):
    space, mia, tom, today, ahead, toms = world
    feed = personal_feed_url(mia)
    caller = api(mia)
    response = client.delete("/api/v1/me", json={"password": "correct horse"},
                             headers=caller.headers)
    assert response.status_code == 204
    db.session.expire_all()
    gone = db.session.get(User, mia.id)
    assert gone.email != "mia@example.org" and gone.name != "Mia Sommer"
    assert gone.deleted_at is not None and gone.roles == []
    # Her token, her session and her calendar link stop working.
    assert caller.get("/api/v1/me").status_code == 401
    assert client.get(feed.replace("http://localhost", "")).status_code == 404
    assert client.post("/api/v1/auth/tokens", json={
        "email": "mia@example.org", "password": "correct horse"}).status_code == 401
    # The desk ahead is free for others; the past stays, without her name.
    assert db.session.get(Booking, ahead.id).status == BookingStatus.CANCELLED
    assert db.session.get(Booking, today.id).status == BookingStatus.CHECKED_IN
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
    assert db.session.get(ResearchProfile, mia.id) is None
    assert db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == mia.id)) == 0
    # Nothing is written to the old address, and what was written to it is gone.
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "mail")).all()
    assert not [m for m in mails if m.payload.get("to") == "mia@example.org"]
    # Tom is untouched, and the address is free to register again.
    assert db.session.get(Booking, toms.id).status == BookingStatus.CONFIRMED
    again = client.post("/api/v1/auth/register", json={
        "email": "mia@example.org", "password": "another horse", "name": "Mia S."})
    assert again.status_code == 201


@pytest.mark.parametrize("body, status, field", [
    ({"password": "wrong horse"}, 422, "password"),
    ({}, 422, "password"),
    ({"password": 42}, 422, "password"),
])
def test_deleting_needs_the_password(world, api, client, body, status, field):
    space, mia, *_ = world
    response = client.delete("/api/v1/me", json=body, headers=api(mia).headers)
    assert response.status_code == status
    assert field in response.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(User, mia.id).email == "mia@example.org"


def test_a_running_subscription_is_ended_first(world, api, client):
    space, mia, *_ = world
    membership = mia_membership(mia)
    membership.stripe_subscription_id = "sub_123"
    db.session.commit()
    response = client.delete("/api/v1/me", json={"password": "correct horse"},
                             headers=api(mia).headers)
    assert response.status_code == 409
    assert "subscription" in response.get_json()["detail"]


def mia_membership(mia):
    from coworking.memberships.models import Membership
    return db.session.scalars(select(Membership).where(Membership.user_id == mia.id)).first()


def test_deleting_on_the_web_asks_for_the_password_and_signs_out(world, client, login):
    space, mia, *_ = world
    login("mia@example.org")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Mein Konto löschen" in page
    token = csrf_token(client, "/account/delete")
    wrong = client.post("/account/delete", data={"csrf_token": token, "password": "nope nope"})
    assert wrong.status_code == 422
    assert "nicht dein Passwort" in wrong.get_data(as_text=True)
    done = client.post("/account/delete", data={"csrf_token": token,
                                                "password": "correct horse"})
    assert done.status_code == 302
    assert client.get("/account").status_code == 302  # signed out: to the sign-in page
    db.session.expire_all()
    assert db.session.get(User, mia.id).deleted_at is not None


def test_a_deleted_member_waits_for_nothing_and_their_offer_goes_on(make_space, make_user,
                                                                     frozen, api, client):
    from coworking.bookings.service import cancel
    from coworking.waitlist import service as waitlist_service
    from coworking.waitlist.models import EntryStatus, WaitlistEntry

    space = make_space(desks=1)
    desk = resources_of(space)[0]
    start, end = at(space, "2027-03-08T10:00"), at(space, "2027-03-08T12:00")
    holder, mia, tom = make_user(), make_user(email="mia@example.org"), make_user()
    taken = book(holder, desk.id, start, end)
    first = waitlist_service.join(mia, space, "hot_desk", start, end)[0]
    second = waitlist_service.join(tom, space, "hot_desk", start, end)[0]
    assert api(mia).get("/api/v1/me/export").get_json()["tables"]["waitlist_entry"]
    cancel(holder, taken.id)  # the desk is offered to Mia and held for her
    db.session.expire_all()
    assert db.session.get(WaitlistEntry, first.id).status == EntryStatus.OFFERED
    response = client.delete("/api/v1/me", json={"password": "correct horse"},
                             headers=api(mia).headers)
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(WaitlistEntry, first.id).status == EntryStatus.WITHDRAWN
    assert db.session.get(WaitlistEntry, second.id).status == EntryStatus.OFFERED


def test_the_data_reads_as_a_page_in_german_with_local_times_and_no_table_names(
        world, client, login):
    space, mia, tom, today, ahead, toms = world
    login(mia.email)
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/account/export/page"' in account
    response = client.get("/account/export/page")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main"):]))
    assert "Mia Sommer" in text and "mia@example.org" in text and "Tom Winter" not in text
    assert "Buchungen" in text and "Besuche" in text and "Forschung" in text
    # Local times, the desk and space by name, statuses in words.
    assert "08.03.27, 09:00" in text and "08.03.27, 17:00" in text
    assert f"Desk 2, {space.name}" in text
    assert "bestätigt" in text and "eingecheckt" in text
    assert "Mitglied seit" in text
    # Nothing of the machine room: no table or column names, no UTC.
    for word in ("booking", "user_id", "resource_id", "start_at", "+00:00", "checked_in_at"):
        assert word not in text, word
