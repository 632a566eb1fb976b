"""What a phone needs to keep the site on its home screen: the manifest, its icons at the
sizes it names, the links in every page's head, and a favicon where browsers look for it."""
import json
import struct
from pathlib import Path

import pytest

ICONS = Path(__file__).resolve().parents[2] / "coworking" / "static" / "icons"


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "StadtLabor Coworking" and manifest["short_name"] == "StadtLabor"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["lang"] == "de"
    assert manifest["theme_color"] == "#0b5e55" and manifest["background_color"] == "#f7f7f4"
    css = (ICONS.parent / "app.css").read_text()
    assert "--accent: #0b5e55" in css and "--bg: #f7f7f4" in css  # the palette of the pages
    icons = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _purpose), icon in icons.items():
        assert icon["type"] == "image/png"
        served = client.get(icon["src"])
        assert served.status_code == 200 and served.mimetype == "image/png"
        width, height = png_size(served.data)
        assert f"{width}x{height}" == sizes


@pytest.mark.parametrize("name, size", [("icon-192.png", 192), ("icon-512.png", 512),
                                        ("icon-maskable-512.png", 512),
                                        ("apple-touch-icon.png", 180)])
def test_the_icons_are_pngs_of_their_size(name, size):
    assert png_size((ICONS / name).read_bytes()) == (size, size)


def test_every_page_head_links_manifest_theme_and_icons(client):
    html = client.get("/login").get_data(as_text=True)
    head = html[:html.index("</head>")]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in head
    assert '<meta name="theme-color" content="#0b5e55">' in head
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in head
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in head
    assert client.get("/static/icons/apple-touch-icon.png").status_code == 200
    assert client.get("/static/icons/icon.svg").mimetype == "image/svg+xml"


def test_the_favicon_answers_where_browsers_look(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/x-icon", "image/vnd.microsoft.icon")
    reserved, kind, count = struct.unpack("<HHH", response.data[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    assert png_size(response.data[22:]) == (32, 32)
