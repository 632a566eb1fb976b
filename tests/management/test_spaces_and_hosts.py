"""Admins open towns and spaces and appoint or remove the hosts of a space; hosts do none
of that. Bad input is named beside its field and nothing is created."""
import re
from datetime import time

import pytest
from sqlalchemy import select

from coworking.accounts.models import User
from coworking.extensions import db
from coworking.spaces.models import Space, Town
from tests.factories import csrf_token
from tests.management.conftest import audit_entries, post_form

SPACE = {"name": "Coworking Bad Belzig", "slug": "bad-belzig",
         "address": "Markt 1, 14806 Bad Belzig",
         "timezone": "Europe/Berlin", "slot_minutes": "30",
         "monday": "08:00–18:00", "tuesday": "08:00–18:00", "wednesday": "08:00–18:00",
         "thursday": "08:00–18:00", "friday": "08:00–18:00", "saturday": "", "sunday": ""}


@pytest.fixture
def admin(make_user, login, frozen):
    user = make_user(email="admin@example.org", name="Ada Admin", role="admin")
    login("admin@example.org")
    return user


@pytest.fixture
def town(app):
    town = Town(name="Bad Belzig", state="BB", state_name="Brandenburg")
    db.session.add(town)
    db.session.commit()
    return town


def space_named(slug):
    db.session.expire_all()
    return db.session.scalar(select(Space).where(Space.slug == slug))


def test_an_admin_adds_a_town(client, admin):
    response = post_form(client, "/admin/towns/new", {
        "name": "Bad Belzig", "state": "BB", "population": "11000", "town_type": "Kleinstadt"})
    assert response.status_code == 302 and response.location == "/admin/spaces"
    town = db.session.scalar(select(Town).where(Town.name == "Bad Belzig"))
    assert (town.state, town.state_name, town.population, town.town_type,
            town.location_type) == ("BB", "Brandenburg", 11000, "Kleinstadt", None)
    (entry,) = audit_entries("town.created")
    assert entry.actor_id == admin.id and entry.after["name"] == "Bad Belzig"
    assert "Bad Belzig" in client.get("/admin/spaces").get_data(as_text=True)


def test_a_town_needs_a_state(client, admin):
    response = post_form(client, "/admin/towns/new", {"name": "Bad Belzig", "state": ""})
    assert response.status_code == 422
    assert "Wähl das Bundesland des Orts." in response.get_data(as_text=True)
    assert db.session.scalars(select(Town)).all() == []


def test_an_admin_opens_a_space_with_the_usual_hours(client, admin, town):
    response = post_form(client, "/admin/spaces/new", {**SPACE, "town_id": town.id,
                                                        **{day: "" for day in (
                                                            "monday", "tuesday", "wednesday",
                                                            "thursday", "friday")}})
    assert response.status_code == 302 and response.location == "/manage/bad-belzig"
    space = space_named("bad-belzig")
    assert (space.name, space.town_id, space.timezone, space.slot_minutes) == (
        "Coworking Bad Belzig", town.id, "Europe/Berlin", 30)
    assert sorted((h.weekday, h.opens, h.closes) for h in space.opening_hours) == [
        (day, time(8), time(18)) for day in range(5)]
    (entry,) = audit_entries("space.created")
    assert entry.space_id == space.id and entry.after["slug"] == "bad-belzig"
    assert entry.after["monday"] == "08:00–18:00" and entry.after["saturday"] == ""
    page = client.get("/manage/bad-belzig").get_data(as_text=True)
    assert "<strong>Ada Admin</strong> hat den Standort eröffnet" in page
    assert space.draft and "Entwurf: noch nicht veröffentlicht" in page


def test_a_new_space_is_a_draft_until_an_admin_publishes_it(client, admin, town, make_user,
                                                            login, api):
    post_form(client, "/admin/spaces/new", {**SPACE, "town_id": town.id})
    space = space_named("bad-belzig")
    host = make_user(email="hanna@example.org", role="host", space=space)
    member = make_user(email="mo@example.org")
    db.session.commit()
    # Members and visitors see no trace of it: not listed, no page, not in the API.
    login(member.email)
    assert "Coworking Bad Belzig" not in client.get("/").get_data(as_text=True)
    assert client.get("/spaces/bad-belzig").status_code == 404
    assert "bad-belzig" not in [s["slug"] for s in api(member).get("/api/v1/spaces").json]
    assert api(member).get("/api/v1/spaces/bad-belzig/resources").status_code == 404
    # Its host sees it (to get it ready), and so do admins.
    login(host.email)
    assert client.get("/spaces/bad-belzig").status_code == 200
    assert "bad-belzig" in [s["slug"] for s in api(host).get("/api/v1/spaces").json]
    # Nobody books it yet, not even its host.
    from coworking.management import resources
    desk = resources.add_resource(host, "bad-belzig", resources.ResourceDraft(
        name="Desk 1", capacity=1, amenities="", kind="hot_desk"))
    refused = api(host).post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-02T09:00:00+01:00",
        "end": "2027-03-02T10:00:00+01:00"})
    assert refused.status_code == 422
    assert "is not open for bookings yet" in refused.json["detail"]
    # Hosts do not publish; admins do, and then everyone sees it.
    assert post_form(client, "/manage/bad-belzig/publish", {},
                     token_from="/manage/bad-belzig").status_code == 403
    login(admin.email)
    response = post_form(client, "/manage/bad-belzig/publish", {},
                         token_from="/manage/bad-belzig")
    assert response.status_code == 302
    assert not space_named("bad-belzig").draft
    assert "hat den Standort veröffentlicht" in client.get("/manage/bad-belzig").get_data(
        as_text=True)
    login(member.email)
    assert client.get("/spaces/bad-belzig").status_code == 200


def test_the_web_address_comes_from_the_name_when_left_empty(client, admin, town):
    response = post_form(client, "/admin/spaces/new", {
        **SPACE, "town_id": town.id, "name": "Coworking Dießen am Ammersee", "slug": ""})
    assert response.status_code == 302
    assert space_named("coworking-diessen-am-ammersee") is not None
    form = client.get("/admin/spaces/new").get_data(as_text=True)
    assert 'src="/static/space_form.js"' in form


def test_the_space_form_names_every_problem_at_once(client, admin, town):
    response = post_form(client, "/admin/spaces/new", {
        **SPACE, "town_id": "999999", "name": "", "slug": "", "address": "",
        "timezone": "Mars/Olympus", "slot_minutes": "sieben", "tuesday": "zu"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("name", "address", "town_id", "timezone", "slot_minutes", "tuesday"):
        assert f'id="{field}-error"' in page, field
    assert db.session.scalars(select(Space).where(Space.town_id == town.id)).all() == []


def test_given_hours_are_the_space_s_hours(client, admin, town):
    post_form(client, "/admin/spaces/new", {**SPACE, "town_id": town.id,
                                            "saturday": "10:00–14:00", "monday": ""})
    space = space_named("bad-belzig")
    assert sorted((h.weekday, h.opens, h.closes) for h in space.opening_hours) == [
        (day, time(8), time(18)) for day in range(1, 5)] + [(5, time(10), time(14))]


@pytest.mark.parametrize("values,field,message", [
    ({"timezone": "Europe/Belzig"}, "timezone",
     "„Europe/Belzig“ ist keine Zeitzone. Gib eine aus der IANA-Zeitzonendatenbank an"),
    ({"timezone": "Mars/Olympus"}, "timezone", "ist keine Zeitzone"),
    ({"slot_minutes": "7"}, "slot_minutes", "Die Taktlänge muss einen Tag (1440 Minuten) "
                                            "ohne Rest teilen"),
    ({"slot_minutes": "0"}, "slot_minutes", "Die Taktlänge muss"),
    ({"slug": "Bad Belzig!"}, "slug", "Nimm Kleinbuchstaben, Ziffern und Bindestriche"),
    ({"slug": "moelln-test"}, "slug", "Ein anderer Standort hat schon die Adresse „moelln-test“."),
    ({"town_id": "999999"}, "town_id", "Wähl den Ort."),
    ({"tuesday": "zu"}, "tuesday", "Schreib die Zeiten als 08:00–12:00"),
    ({"address": ""}, "address", None),
])
def test_a_bad_space_is_refused_beside_its_field(client, admin, town, space, values, field,
                                                 message):
    response = post_form(client, "/admin/spaces/new", {**SPACE, "town_id": town.id, **values})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message is None or message in page
    assert space_named("bad-belzig") is None and audit_entries() == []


def test_an_admin_appoints_a_host_who_then_runs_that_space(client, admin, space, make_user,
                                                           login):
    helper = make_user(email="lena@example.org", name="Lena Lokal")
    response = post_form(client, f"/manage/{space.slug}/hosts", {"email": " Lena@Example.org "},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, helper.id).hosted_space_ids() == {space.id}
    (entry,) = audit_entries("host.appointed")
    assert (entry.target_id, entry.after) == (helper.id, {"name": "Lena Lokal",
                                                          "email": "lena@example.org"})
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat Lena Lokal zur Gastgeber*in ernannt" in page

    login("lena@example.org")
    assert client.get(f"/manage/{space.slug}").status_code == 200


def test_an_unknown_address_without_a_name_asks_for_it_and_changes_nothing(client, admin,
                                                                            space):
    response = post_form(client, f"/manage/{space.slug}/hosts", {"email": "nobody@example.org"},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert "Zu dieser Adresse gibt es noch kein Konto." in page
    assert audit_entries() == []
    assert db.session.scalar(select(User).where(User.email == "nobody@example.org")) is None


def test_someone_new_is_appointed_by_email_and_chooses_a_password_from_the_invitation(
        client, admin, space, smtp_server, login, frozen):
    from coworking.jobs import run_all
    response = post_form(client, f"/manage/{space.slug}/hosts",
                         {"email": "nele@example.org", "name": "Nele Neu"},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 302
    nele = db.session.scalar(select(User).where(User.email == "nele@example.org"))
    assert nele.name == "Nele Neu" and nele.hosted_space_ids() == {space.id}
    run_all()
    (message,) = [m for m in smtp_server.messages if m["To"] == "nele@example.org"]
    assert message["Subject"] == f"Du bist als Gastgeber*in von {space.name} eingeladen"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/password/reset/\S+", text).group(0)
    path = "/" + link.split("/", 3)[3]
    # Days later the invitation still works (a reset link would be gone after an hour).
    frozen.set("2027-03-05T10:00:00+01:00")
    form = client.get(path)
    assert form.status_code == 200
    chosen = client.post(path, data={"password": "ein langes Passwort", "password_again":
                                     "ein langes Passwort",
                                     "csrf_token": csrf_token(client, path)})
    assert chosen.status_code in (302, 303), chosen.status_code
    login("nele@example.org", "ein langes Passwort")
    assert client.get(f"/manage/{space.slug}").status_code == 200
    # Used once, the link is spent.
    assert client.get(path).status_code == 410


def test_appointing_twice_says_so(client, admin, space, make_user):
    host = make_user(role="host", space=space, name="Hanna Host")
    response = post_form(client, f"/manage/{space.slug}/hosts", {"email": host.email},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 422
    assert f"Hanna Host ist schon Gastgeber*in von {space.name}." in response.get_data(
        as_text=True)


def test_an_admin_removes_a_host_who_then_runs_nothing(client, admin, space, make_user, login):
    host = make_user(email="hanna@example.org", role="host", space=space, name="Hanna Host")
    response = post_form(client, f"/manage/{space.slug}/hosts/{host.id}/remove", {},
                         token_from=f"/manage/{space.slug}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, host.id).hosted_space_ids() == set()
    (entry,) = audit_entries("host.removed")
    assert entry.before == {"name": "Hanna Host", "email": "hanna@example.org"}
    login("hanna@example.org")
    assert client.get(f"/manage/{space.slug}").status_code == 403
    assert "Standorte führen" not in client.get("/bookings").get_data(as_text=True)


def test_hosts_neither_open_spaces_nor_appoint_hosts(client, space, host, make_user):
    other = make_user(email="someone@example.org")
    assert client.get("/admin/spaces").status_code == 403
    assert post_form(client, "/admin/spaces/new", SPACE, token_from="/").status_code == 403
    assert post_form(client, f"/manage/{space.slug}/hosts", {"email": other.email},
                     token_from="/").status_code == 403
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "Gastgeber*in ernennen" not in page and "Hanna Host" in page
