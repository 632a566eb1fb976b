"""Hosts add up to six photos of their space: each needs its alt text, is turned upright,
made at most 1600 px wide and stored as a fresh JPEG without the camera's metadata, and is
served by the app itself; a host of another space cannot touch them."""
import io

import pytest
from PIL import Image

from tests.factories import csrf_token
from tests.management.conftest import audit_entries

GPS_TAG, ORIENTATION_TAG = 0x8825, 0x0112


def photo_bytes(width=3000, height=2000, fmt="JPEG", exif=True):
    image = Image.new("RGB", (width, height), (11, 94, 85))
    out = io.BytesIO()
    if exif and fmt == "JPEG":
        tags = Image.Exif()
        tags[ORIENTATION_TAG] = 6  # taken upright: the camera says "turn 90° clockwise"
        tags[GPS_TAG] = {1: "N", 2: (53.0, 37.0, 0.0)}
        image.save(out, fmt, exif=tags)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(client, slug, data, alt="Sechs Tische am Fenster", alt_en="", name="photo.jpg"):
    path = f"/manage/{slug}/photos"
    return client.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, path), "alt": alt, "alt_en": alt_en,
        "photo": (io.BytesIO(data), name)})


def test_a_host_adds_a_photo_that_the_space_page_shows_from_its_own_origin(
        client, space, host):
    response = upload(client, space.slug, photo_bytes(), alt_en="Six desks by the window")
    assert response.status_code == 303
    page = client.get(f"/spaces/{space.slug}").get_data(as_text=True)
    (src,) = [part.split('"')[0] for part in page.split('<img src="')[1:]
              if "/photos/" in part]
    assert src.startswith(f"/spaces/{space.slug}/photos/") and src.endswith(".jpg")
    assert 'alt="Sechs Tische am Fenster"' in page
    served = client.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    # Turned upright as the camera meant it, then made smaller; nothing of the EXIF kept.
    assert image.size == (1067, 1600)
    assert not image.getexif()
    assert client.get(src, headers={"If-None-Match": served.headers["ETag"]}).status_code == 304
    (entry,) = audit_entries("space.photo_added")
    assert entry.after["alt"] == "Sechs Tische am Fenster"


@pytest.mark.parametrize("data, alt, field, says", [
    (photo_bytes(40, 30, "PNG"), "", "alt", "Sag, was das Foto zeigt"),
    (b"<script>alert(1)</script>", "Ein Bild", "photo", "kein Foto, das wir lesen können"),
    (b"", "Ein Bild", "photo", "Wähle ein Foto"),
    (photo_bytes(40, 30, "GIF"), "Ein Bild", "photo", "JPEG, PNG oder WebP"),
])
def test_a_photo_without_alt_text_or_that_is_no_photo_is_refused_beside_its_field(
        client, space, host, data, alt, field, says):
    response = upload(client, space.slug, data, alt=alt)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and says in page
    assert "/photos/" not in client.get(f"/spaces/{space.slug}").get_data(as_text=True)


def test_a_space_shows_at_most_six_photos_and_a_removed_one_is_gone(client, space, host):
    small = photo_bytes(80, 60, "PNG")
    for n in range(6):
        assert upload(client, space.slug, small, alt=f"Foto {n}").status_code == 303
    page = client.get(f"/manage/{space.slug}/photos").get_data(as_text=True)
    assert "so viele wie möglich" in page and 'type="file"' not in page
    path = f"/manage/{space.slug}/photos"
    token = csrf_token(client, f"/manage/{space.slug}")
    response = client.post(path, content_type="multipart/form-data", data={
        "csrf_token": token, "alt": "Das siebte", "photo": (io.BytesIO(small), "x.png")})
    assert response.status_code == 409 and "höchstens 6 Fotos" in response.get_data(as_text=True)

    first = page.split('action="/manage/')[1].split('"')[0]
    photo_id = int(first.split("/")[2])
    response = client.post(f"/manage/{first}", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get(f"/spaces/{space.slug}/photos/{photo_id}.jpg").status_code == 404
    assert upload(client, space.slug, small, alt="Wieder sechs").status_code == 303


def test_a_host_of_another_space_cannot_add_or_remove_photos(client, space, host, make_space,
                                                              make_user, login):
    assert upload(client, space.slug, photo_bytes(80, 60, "PNG")).status_code == 303
    other = make_space()
    make_user(email="other-host@example.org", role="host", space=other)
    login("other-host@example.org")
    assert client.get(f"/manage/{space.slug}/photos").status_code == 403
    token = csrf_token(client, f"/manage/{other.slug}/photos")
    response = client.post(f"/manage/{space.slug}/photos", content_type="multipart/form-data",
                           data={"csrf_token": token, "alt": "x",
                                 "photo": (io.BytesIO(photo_bytes(80, 60, "PNG")), "x.png")})
    assert response.status_code == 403
    response = client.post(f"/manage/{space.slug}/photos/1/remove", data={"csrf_token": token})
    assert response.status_code == 403
