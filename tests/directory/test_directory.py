"""The member directory: off until a member saves a profile, seen by signed-in members only,
found by town and by skill, gone when deleted (also with the account), in the member's own
download, and never in research data or the member's research answers."""
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from coworking.directory import service
from coworking.directory.models import DirectoryProfile
from coworking.extensions import db
from coworking.research.service import export
from tests.factories import csrf_token

SKILL = "Förderanträge und Buchhaltung"
WHAT = "Ich baue Webseiten für Vereine"


@pytest.fixture
def towns(make_space):
    return make_space().town, make_space().town


@pytest.fixture
def anna(make_user, towns):
    user = make_user(email="anna@example.org", name="Anna Amsel")
    service.save_profile(user, WHAT, SKILL, towns[0].id)
    return user


@pytest.fixture
def signed_in(client, login, make_user):
    login(make_user(email="viewer@example.org", name="Vera Viewer").email)
    return client


def test_no_member_is_in_the_directory_by_default(make_user, signed_in):
    make_user(email="quiet@example.org", name="Quentin Quiet")

    page = signed_in.get("/directory", headers={"Accept-Language": "en"})

    assert page.status_code == 200
    assert "Quentin Quiet" not in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DirectoryProfile.id))) == 0


def test_signed_in_members_see_a_profile_and_others_do_not(anna, client, signed_in):
    assert "Anna Amsel" in signed_in.get("/directory").get_data(as_text=True)
    signed_in.post("/logout", data={"csrf_token": csrf_token(signed_in, "/directory")})

    anonymous = client.get("/directory")

    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert "Anna" not in client.get("/").get_data(as_text=True)


def test_search_by_town_and_by_skill(anna, make_user, towns, signed_in):
    bert = make_user(email="bert@example.org", name="Bert Bauer")
    service.save_profile(bert, "Tischler", "Möbel reparieren", towns[1].id)

    by_town = signed_in.get(f"/directory?town={towns[1].id}").get_data(as_text=True)
    by_skill = signed_in.get("/directory?skill=buchhaltung").get_data(as_text=True)
    nothing = signed_in.get("/directory?skill=raketen").get_data(as_text=True)

    assert "Bert Bauer" in by_town and "Anna Amsel" not in by_town
    assert "Anna Amsel" in by_skill and "Bert Bauer" not in by_skill
    assert "Anna Amsel" not in nothing and "Bert Bauer" not in nothing


def test_a_member_opts_in_on_the_page_and_deleting_deletes(client, login, make_user, towns):
    member = make_user(email="carla@example.org", name="Carla Chor")
    login(member.email)
    token = csrf_token(client, "/directory/profile")

    saved = client.post("/directory/profile", data={
        "csrf_token": token, "what_i_do": "Chorleitung", "can_help_with": "Singen",
        "town_id": str(towns[0].id)})

    assert saved.status_code == 302
    assert service.profile_of(member).what_i_do == "Chorleitung"
    deleted = client.post("/directory/profile/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert db.session.scalar(select(func.count(DirectoryProfile.id))) == 0


@pytest.mark.parametrize("form, field", [
    ({"what_i_do": "", "town_id": "1"}, "what_i_do"),
    ({"what_i_do": "x" * 301, "town_id": "1"}, "what_i_do"),
    ({"what_i_do": "Chor", "town_id": "999999"}, "town_id"),
    ({"what_i_do": "Chor", "town_id": "abc"}, "town_id"),
])
def test_bad_input_is_named_beside_its_field(client, login, make_user, towns, form, field):
    login(make_user(email="dora@example.org").email)

    response = client.post("/directory/profile", data={
        "csrf_token": csrf_token(client, "/directory/profile"), **form},
        headers={"Accept-Language": "en"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert db.session.scalar(select(func.count(DirectoryProfile.id))) == 0


def test_line_breaks_are_kept_out_but_control_characters_refused(client, login, make_user,
                                                                  towns):
    member = make_user(email="emil@example.org")
    login(member.email)
    token = csrf_token(client, "/directory/profile")

    bell = client.post("/directory/profile", data={
        "csrf_token": token, "what_i_do": "Chor\x07", "town_id": str(towns[0].id)},
        headers={"Accept-Language": "en"})
    lines = client.post("/directory/profile", data={
        "csrf_token": token, "what_i_do": "Chor\r\nund Orgel", "town_id": str(towns[0].id)})

    assert bell.status_code == 422
    assert "control characters" in bell.get_data(as_text=True)
    assert lines.status_code == 302
    assert service.profile_of(member).what_i_do == "Chor und Orgel"


def test_the_profile_is_in_the_members_own_download(anna, api):
    data = api(anna).get("/api/v1/me/export").json

    (row,) = data["tables"]["directory_profile"]
    assert row["can_help_with"] == SKILL


def test_deleting_the_account_deletes_the_profile(anna, api, client):
    answer = client.delete("/api/v1/me", json={"password": "correct horse"},
                           headers=api(anna).headers)

    assert answer.status_code == 204
    assert db.session.scalar(select(func.count(DirectoryProfile.id))) == 0


def test_never_in_research_data_or_the_members_research_answers(app, anna, api):
    app.config["RESEARCH_KEY"] = "key"
    app.config["RESEARCH_MIN_CELL"] = 1
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        export(None, date(2027, 3, 1), date(2027, 3, 31), via="test"))))
    research = api(anna).get("/api/v1/me/research").get_data(as_text=True)

    for text in [archive.read(name).decode() for name in archive.namelist()] + [research]:
        for private in (WHAT, SKILL, "Förderanträge", "directory"):
            assert private not in text
