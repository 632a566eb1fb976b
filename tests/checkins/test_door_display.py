"""The door display: a host creates a device link, the tablet shows the day's code and its
QR code, switches at local midnight, says "geschlossen" outside opening hours, and a revoked
link shows nothing."""
import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from coworking.checkins.codes import daily_code
from tests.factories import csrf_token


@pytest.fixture
def link(client, login, space, host, frozen):
    frozen.set("2027-03-02T09:00:00+01:00")
    login(host.email)
    page = f"/host/{space.slug}/door"
    response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                       "name": "Tablet am Eingang"})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    (url,) = re.findall(r'id="new-device-link" href="([^"]+)"', html)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    parts = urlsplit(url.replace("&amp;", "&"))
    return f"{parts.path}?{parts.query}"


def shown(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_the_tablet_shows_the_code_and_switches_at_local_midnight(client, space, link, frozen):
    status, html = shown(client, link)
    assert status == 200 and f'id="door-code">{daily_code(space, date(2027, 3, 2))}<' in html
    assert '<svg role="img"' in html and 'http-equiv="refresh"' in html
    frozen.set("2027-03-02T23:59:59+01:00")  # closed at night: no code
    status, html = shown(client, link)
    assert "geschlossen" in html and "door-code" not in html
    frozen.set("2027-03-03T08:00:00+01:00")
    status, html = shown(client, link)
    assert f'id="door-code">{daily_code(space, date(2027, 3, 3))}<' in html


def test_a_revoked_or_made_up_link_shows_nothing(client, login, space, host, link, frozen):
    assert shown(client, f"/door/{space.slug}?device=made-up")[0] == 404
    assert shown(client, f"/door/{space.slug}")[0] == 404
    login(host.email)
    page = client.get(f"/host/{space.slug}/door").get_data(as_text=True)
    assert "Tablet am Eingang" in page
    (device_id,) = re.findall(r'id="device-(\d+)"', page)
    revoked = client.post(f"/host/{space.slug}/door/{device_id}/revoke",
                          data={"csrf_token": csrf_token(client, f"/host/{space.slug}/door")})
    assert revoked.status_code == 302
    assert shown(client, link)[0] == 404


def test_only_hosts_of_the_space_make_device_links(client, login, space, make_user, frozen):
    make_user(email="m@example.org")
    login("m@example.org")
    assert client.get(f"/host/{space.slug}/door").status_code == 403
