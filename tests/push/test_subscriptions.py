"""A member's browser stores its push subscription and ends it again; the server posts only
to https endpoints on public hosts (or the hosts PUSH_INSECURE_HOSTS names), and refuses
what it could not use with a 422 naming the field."""
import pytest
from sqlalchemy import select

from coworking.accounts.service import sign_out_everywhere
from coworking.extensions import db
from coworking.push.models import PushSubscription
from coworking.push.service import MAX_PER_MEMBER

PATH = "/api/v1/me/push-subscriptions"


def stored():
    db.session.commit()
    return db.session.scalars(select(PushSubscription).order_by(PushSubscription.id)).all()


def test_a_member_stores_a_subscription_and_ends_it(api, client, device):
    caller = api()
    body = device.subscription("https://fcm.googleapis.com/fcm/send/abc:def")
    response = caller.post(PATH, json=body)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["endpoint"] == body["endpoint"] and answer["created_at"].endswith("+01:00")
    (row,) = stored()
    assert (row.user_id, row.p256dh, row.auth) == (caller.user.id, body["keys"]["p256dh"],
                                                  body["keys"]["auth"])
    gone = client.delete(f"{PATH}/{answer['id']}", headers=caller.headers)
    assert gone.status_code == 204 and stored() == []
    again = client.delete(f"{PATH}/{answer['id']}", headers=caller.headers)
    assert again.status_code == 404


def test_another_member_cannot_end_it(api, client, device):
    owner, other = api(), api()
    answer = owner.post(PATH, json=device.subscription("https://push.example.org/a")).get_json()
    assert client.delete(f"{PATH}/{answer['id']}", headers=other.headers).status_code == 404
    assert len(stored()) == 1


@pytest.mark.parametrize("endpoint", [
    "http://push.example.org/x",         # not https
    "https://127.0.0.1/x",               # loopback
    "https://127.8.0.1:8443/x",
    "https://10.1.2.3/x",                # private
    "https://192.168.0.10/x",
    "https://172.16.5.4/x",
    "https://169.254.169.254/latest",    # link-local (cloud metadata)
    "https://[::1]/x",
    "https://[fe80::1]/x",
    "https://[fd00::1]/x",
    "https://localhost/x",
    "https://printer.local/x",
    "https://intranet/x",                # a name without a domain
    "https://user:secret@push.example.org/x",
    "ftp://push.example.org/x",
    "not a url",
    "https://push.example.org:notaport/x",
])
def test_endpoints_the_server_must_not_post_to_are_refused(api, device, endpoint):
    response = api().post(PATH, json=device.subscription(endpoint))
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert list(problem["errors"]) == ["endpoint"], problem
    assert stored() == []


def test_a_host_named_in_push_insecure_hosts_may_be_plain_http_on_loopback(app, api, device):
    app.config["PUSH_INSECURE_HOSTS"] = "127.0.0.1, push.test"
    caller = api()
    assert caller.post(PATH, json=device.subscription("http://127.0.0.1:9/x")).status_code == 201
    assert caller.post(PATH, json=device.subscription("http://push.test/x")).status_code == 201
    refused = caller.post(PATH, json=device.subscription("http://127.0.0.2:9/x"))
    assert refused.status_code == 422


@pytest.mark.parametrize("keys, field", [
    ({"p256dh": "AAAA", "auth": "AAECAwQFBgcICQoLDA0ODw"}, "keys.p256dh"),
    # 65 bytes starting with 4, but no point on the curve
    ({"p256dh": "BA" + "A" * 85, "auth": "AAECAwQFBgcICQoLDA0ODw"}, "keys.p256dh"),
    ({"p256dh": None, "auth": "AAECAwQFBgcICQoLDA0ODw"}, "keys.p256dh"),  # missing
    ({"p256dh": "@@@", "auth": "AAECAwQFBgcICQoLDA0ODw"}, "keys.p256dh"),
    ({"auth": "AAECAw"}, "keys.auth"),
    ({"auth": 16}, "keys.auth"),
    ("keys", "keys"),
    (None, "keys"),
])
def test_keys_a_device_could_not_have_are_refused(api, device, keys, field):
    body = device.subscription("https://push.example.org/x")
    if isinstance(keys, dict):
        body["keys"] = {**body["keys"], **keys}
        body["keys"] = {k: v for k, v in body["keys"].items() if v is not None}
    elif keys is None:
        del body["keys"]
    else:
        body["keys"] = keys
    response = api().post(PATH, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"], response.get_json()
    assert stored() == []


def test_without_vapid_keys_the_server_says_it_sends_no_notifications(app, api, device):
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_PUBLIC_KEY=None)
    response = api().post(PATH, json=device.subscription("https://push.example.org/x"))
    assert response.status_code == 409
    assert response.get_json()["detail"] == "Notifications to phones are not set up on this server."


def test_a_phone_passed_on_to_another_member_stops_telling_the_first(api, device):
    first, second = api(), api()
    endpoint = "https://push.example.org/shared-phone"
    first.post(PATH, json=device.subscription(endpoint))
    second.post(PATH, json=device.subscription(endpoint))
    (row,) = stored()
    assert row.user_id == second.user.id


def test_a_member_keeps_the_newest_devices_only(api, device):
    caller = api()
    for n in range(MAX_PER_MEMBER + 2):
        assert caller.post(PATH, json=device.subscription(
            f"https://push.example.org/{n}")).status_code == 201
    rows = stored()
    assert len(rows) == MAX_PER_MEMBER
    assert [r.endpoint for r in rows][0] == "https://push.example.org/2"


def test_signing_out_everywhere_ends_notifications_to_every_device(api, device):
    caller = api()
    caller.post(PATH, json=device.subscription("https://push.example.org/lost-phone"))
    sign_out_everywhere(caller.user)
    assert stored() == []
