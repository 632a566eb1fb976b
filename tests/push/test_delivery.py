"""Notifications reach a member's phone through the outbox, encrypted for that device and
signed with the server's VAPID key: the local push service decrypts each one with the
device's keys and verifies the signature. A subscription the push service has forgotten
(404, 410) is dropped; a push service that is down delays nothing else."""
import time

import pytest
from sqlalchemy import select

from coworking import outbox, push
from coworking.bookings import service
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.outbox import OutboxMessage
from coworking.push.models import PushSubscription
from coworking.waitlist import service as waitlist_service
from coworking.waitlist.models import WaitlistEntry
from tests.factories import resources_of
from tests.notifications.conftest import at
from tests.push.push_endpoint import Device, vapid_claims

PATH = "/api/v1/me/push-subscriptions"


def subscribe(api, user, device, endpoint):
    response = api(user).post(PATH, json=device.subscription(endpoint))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def subscriptions():
    db.session.commit()
    return db.session.scalars(select(PushSubscription)).all()


def push_messages():
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "push")
                              .order_by(OutboxMessage.id)).all()


@pytest.fixture
def offer_scene(make_space, make_user, frozen):
    """Anna has the only desk on Tuesday; Ben waits for it."""
    space = make_space(desks=1, rooms=0)
    desk = resources_of(space)[0]
    anna = make_user(name="Anna", email="anna@example.org")
    ben = make_user(name="Ben Wartend", email="ben@example.org")
    booking = service.book(anna, desk.id, at("09:00"), at("17:00"))
    waitlist_service.join(ben, space, "hot_desk", at("09:00"), at("17:00"))
    return space, anna, ben, booking


def test_a_waiting_list_offer_reaches_the_phone_encrypted_and_signed(
        app, api, offer_scene, push_endpoint, device, smtp_server):
    space, anna, ben, booking = offer_scene
    subscribe(api, ben, device, push_endpoint.url("ben-phone"))
    service.cancel(anna, booking.id)
    run_all()
    (received,) = push_endpoint.received
    assert received.path == "/push/ben-phone"
    entry = db.session.scalars(select(WaitlistEntry)).one()
    message = device.read(received)
    assert message == {
        "title": "Ein Platz ist für dich frei",
        "body": f"Desk 1 in {space.town.name}, Dienstag, 2. März 2027, 09:00–17:00 Uhr. "
                "Für dich gehalten bis 01.03.2027, 07:30 Uhr.",
        "url": f"http://127.0.0.1:5000/waitlist/offers/{entry.id}",
        "tag": f"waitlist-{entry.id}", "lang": "de"}
    claims = vapid_claims(received, app.config["VAPID_PUBLIC_KEY"])
    assert claims["aud"] == push_endpoint.origin
    assert claims["sub"] == app.config["VAPID_SUBJECT"]
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    # Held for 30 minutes: the push service need not keep it longer; it is urgent.
    assert int(received.headers["Ttl"]) == 30 * 60
    assert received.headers["Urgency"] == "high"
    # The e-mail goes as well.
    assert [m["Subject"][:27] for m in smtp_server.messages if m["To"] == ben.email] == [
        "Ein Platz ist für dich frei"]
    assert subscriptions()[0].last_sent_at is not None


def test_every_device_of_the_member_gets_it_in_their_language(
        api, offer_scene, push_endpoint, smtp_server):
    space, anna, ben, booking = offer_scene
    ben.language = "en"
    db.session.commit()
    phone, laptop = Device(), Device()
    subscribe(api, ben, phone, push_endpoint.url("phone"))
    subscribe(api, ben, laptop, push_endpoint.url("laptop"))
    service.cancel(anna, booking.id)
    run_all()
    by_path = {r.path: r for r in push_endpoint.received}
    assert phone.read(by_path["/push/phone"])["title"] == "A place is free for you"
    assert laptop.read(by_path["/push/laptop"])["body"].startswith("Desk 1 in ")
    with pytest.raises(Exception):
        phone.read(by_path["/push/laptop"])  # each is encrypted for its own device only


def test_the_reminder_the_evening_before_reaches_the_phone(
        api, desk, make_user, push_endpoint, device, frozen, smtp_server):
    member = make_user()
    subscribe(api, member, device, push_endpoint.url("m"))
    service.book(member, desk.id, at("09:00"), at("12:00"))
    run_all()
    assert push_endpoint.received == []  # a confirmation is e-mail only
    frozen.set("2027-03-01T18:00:00+01:00")
    run_all()
    (received,) = push_endpoint.received
    message = device.read(received)
    assert message["title"].startswith("Morgen: Desk 1 in ")
    assert message["body"] == "Dienstag, 2. März 2027, 09:00–12:00 Uhr"
    assert message["url"] == "http://127.0.0.1:5000/bookings"
    # Worth keeping until the booking starts, 15 hours later.
    assert int(received.headers["Ttl"]) == 15 * 3600


def test_a_booking_the_space_cancels_reaches_the_phone(
        api, desk, make_user, push_endpoint, device, smtp_server):
    member = make_user()
    host = make_user(role="host", space=desk.space)
    subscribe(api, member, device, push_endpoint.url("m"))
    booking = service.book(member, desk.id, at("09:00"), at("12:00"))
    service.cancel(member, service.book(member, desk.id, at("13:00"), at("14:00")).id)
    run_all()
    assert push_endpoint.received == []  # the member's own doings are not pushed
    service.cancel(host, booking.id, reason="Wasserschaden", for_space=True)
    run_all()
    (received,) = push_endpoint.received
    message = device.read(received)
    assert message["title"] == "Vom Standort abgesagt: Desk 1 in " + desk.space.town.name
    assert message["url"].endswith(f"/bookings#booking-{booking.id}")


@pytest.mark.parametrize("answer", [404, 410])
def test_a_subscription_the_push_service_forgot_is_dropped(
        api, offer_scene, push_endpoint, device, answer, smtp_server):
    space, anna, ben, booking = offer_scene
    subscribe(api, ben, device, push_endpoint.url("old-phone"))
    push_endpoint.answer = answer
    service.cancel(anna, booking.id)
    results = run_all()
    assert results["send-outbox"]["failed"] == 0
    assert len(push_endpoint.received) == 1
    assert subscriptions() == []
    (message,) = push_messages()
    assert message.processed_at is not None and message.parked_at is None


def test_a_push_service_that_is_down_delays_nothing_else(
        app, api, make_user, push_endpoint, smtp_server, frozen):
    """Five messages to a push service that takes connections and never answers, then an
    e-mail and a message to another, working push service: one pass tries the silent service
    once, gives up after the timeout, and sends everything else; the silent one's messages
    wait for a retry and go when it answers again."""
    from tests.push.push_endpoint import PushEndpoint

    members = [make_user() for _ in range(5)]
    devices = [Device() for _ in members]
    for n, (member, dev) in enumerate(zip(members, devices)):
        subscribe(api, member, dev, push_endpoint.url(f"silent-{n}"))
    working = PushEndpoint().start()
    try:
        app.config.update(PUSH_INSECURE_HOSTS="127.0.0.1", PUSH_TIMEOUT_SECONDS=0.5)
        lucky, lucky_device = make_user(), Device()
        # Another port of the same host is another push service.
        subscribe(api, lucky, lucky_device, working.url("lucky"))
        push_endpoint.hang = True
        from coworking.database import use_case
        from coworking.notifications import mail

        @use_case
        def write():
            for member in members:
                push.notify(member, "Titel", "Text", "/bookings")
            mail.queue("someone@example.org", {"subject": "Hallo", "text": "Text", "html": ""})
            push.notify(lucky, "Für dich", "Text", "/bookings")

        write()
        result = outbox.deliver()
        assert result == {"delivered": 2, "failed": 5}
        assert push_endpoint.connections == 1  # tried once, not once per message
        assert [m["Subject"] for m in smtp_server.messages] == ["Hallo"]
        assert lucky_device.read(working.received[0])["title"] == "Für dich"
        waiting = [m for m in push_messages() if m.processed_at is None]
        assert len(waiting) == 5
        assert all("PushServiceDown" in m.last_error for m in waiting)

        push_endpoint.hang = False
        frozen.set("2027-03-01T07:05:00+01:00")  # past the back-off
        assert outbox.deliver()["delivered"] == 5
        assert sorted(r.path for r in push_endpoint.received) == [
            f"/push/silent-{n}" for n in range(5)]
        for dev, received in zip(devices, sorted(push_endpoint.received, key=lambda r: r.path)):
            assert dev.read(received)["title"] == "Titel"
    finally:
        working.stop()


def test_an_offer_that_lapsed_while_the_service_was_down_is_not_sent_late(
        api, offer_scene, push_endpoint, device, frozen, smtp_server):
    space, anna, ben, booking = offer_scene
    subscribe(api, ben, device, push_endpoint.url("ben"))
    push_endpoint.answer = 503
    service.cancel(anna, booking.id)
    run_all()
    assert len(push_endpoint.received) == 1
    push_endpoint.answer = 201
    frozen.set("2027-03-01T08:00:00+01:00")  # the offer lapsed at 07:30
    run_all()
    assert len(push_endpoint.received) == 1
    assert all(m.processed_at is not None for m in push_messages()[:1])


def test_a_name_that_leads_to_a_private_address_reaches_nothing(
        app, make_user, push_endpoint, device, frozen):
    """As if DNS pointed a public-looking name at this machine: the endpoint is stored as the
    rules allow it, but the connection is refused before any byte is sent."""
    from coworking import clock
    from coworking.database import use_case

    member = make_user()
    app.config["PUSH_INSECURE_HOSTS"] = ""
    port = push_endpoint.server.server_port

    @use_case
    def write():
        db.session.add(PushSubscription(
            user_id=member.id, endpoint=f"https://127.0.0.1:{port}/push/x",
            p256dh=device.subscription("x")["keys"]["p256dh"],
            auth=device.subscription("x")["keys"]["auth"], created_at=clock.utcnow()))
        db.session.flush()
        push.notify(member, "Titel", "Text", "/bookings")

    write()
    assert outbox.deliver()["failed"] == 1
    assert push_endpoint.received == []
    (message,) = push_messages()
    assert "unreachable: PrivateAddress" in message.last_error


def test_nothing_is_written_for_a_member_without_devices(make_user, frozen):
    from coworking.database import use_case

    member = make_user()
    assert use_case(lambda: push.notify(member, "Titel", "Text", "/"))() == []
    assert push_messages() == []


def test_a_cancelled_event_reaches_the_phones_of_members_registered(
        api, make_space, make_user, push_endpoint, device, smtp_server, frozen):
    from coworking.space_events.registrations import register_member
    from coworking.space_events.service import cancel_event, create_event
    space = make_space(desks=2, rooms=0)
    host = make_user(email="hanna@example.org", role="host", space=space)
    mia = make_user(name="Mia", email="mia@example.org")
    event = create_event(host, space.slug, "Stammtisch", "", at("16:00"), at("17:00"),
                         capacity=10, visibility="public")
    register_member(mia, event.id)
    subscribe(api, mia, device, push_endpoint.url("mia-phone"))
    cancel_event(host, event.id)
    run_all()
    (received,) = push_endpoint.received
    message = device.read(received)
    assert "Stammtisch" in message["body"] and message["url"].endswith(f"/events/{event.id}")
    assert [m["To"] for m in smtp_server.messages].count("mia@example.org") >= 1
