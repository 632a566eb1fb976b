"""The service worker is served from the site's root with headers that let it control every
page and reach phones at once; the account page shows the member's devices and forgets one
on request; a kept page carries its hidden "as of" note."""
from sqlalchemy import select

from coworking.extensions import db
from coworking.push.models import PushSubscription
from coworking.push.service import subscribe
from tests.factories import csrf_token

KEYS = {"p256dh": "BKammq3nDs6d8CXZDBd9XoF-ePovJk6YguiyIPIqKlvoX_3u7Vl0ZawuFLhxqib3p5bk5StmZqjUOP9qdndlblY",
        "auth": "AAECAwQFBgcICQoLDA0ODw"}


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    body = response.get_data(as_text=True)
    assert 'addEventListener("push"' in body and '"/bookings"' not in body
    assert '"/logout"' in body and "checkin" in body


def test_the_account_page_lists_devices_and_forgets_one(client, make_user, login):
    member = make_user()
    subscribe(member, "https://fcm.googleapis.com/fcm/send/one", **KEYS)
    login(member.email)
    page = client.get("/account").get_data(as_text=True)
    assert 'id="push-settings"' in page and 'data-key="BKammq3' in page
    assert "Über fcm.googleapis.com, seit" in page
    (device,) = db.session.scalars(select(PushSubscription)).all()
    response = client.post(f"/account/push-subscriptions/{device.id}/delete",
                           data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302 and response.location.endswith("/account#notifications")
    db.session.commit()
    assert db.session.scalars(select(PushSubscription)).all() == []
    assert "Dieses Gerät bekommt keine Mitteilungen mehr." in client.get("/account").get_data(
        as_text=True)


def test_another_member_s_device_is_not_removed(client, make_user, login):
    owner, other = make_user(), make_user()
    device = subscribe(owner, "https://push.example.org/owner", **KEYS)
    login(other.email)
    client.post(f"/account/push-subscriptions/{device.id}/delete",
                data={"csrf_token": csrf_token(client, "/account")})
    db.session.commit()
    assert len(db.session.scalars(select(PushSubscription)).all()) == 1


def test_without_vapid_keys_the_account_page_says_so(app, client, make_user, login):
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_PUBLIC_KEY=None)
    member = make_user()
    login(member.email)
    page = client.get("/account").get_data(as_text=True)
    assert "Mitteilungen aufs Handy sind auf diesem Server nicht eingerichtet." in page
    assert 'id="push-on"' not in page


def test_my_bookings_carries_its_note_for_offline_use_hidden(client, make_user, login, frozen):
    member = make_user()
    login(member.email)
    page = client.get("/bookings").get_data(as_text=True)
    assert "data-offline-note hidden>Keine Verbindung: Das ist der Stand vom 01.03.27, 07:00." in page
    assert 'src="/static/offline.js" data-worker="/sw.js"' in page
