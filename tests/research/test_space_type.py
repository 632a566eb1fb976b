"""A space's type (classic coworking, commuter haven, new village centre): set by admins on
the spaces list and when opening a space, seeded for the pilots, exported for research."""
from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.spaces.models import Space
from tests.factories import csrf_token


def test_an_admin_classifies_a_space_on_the_spaces_list(client, make_user, make_space, login):
    space = make_space(slug="hafen")
    admin = make_user(role="admin")
    login(admin.email)
    page = client.get("/admin/spaces").get_data(as_text=True)
    assert 'action="/admin/spaces/hafen/type"' in page
    answer = client.post("/admin/spaces/hafen/type", data={
        "space_type": "commuter_haven", "csrf_token": csrf_token(client, "/admin/spaces")})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Space, space.id).space_type == "commuter_haven"
    entry = db.session.scalars(select(AuditEntry)
                               .where(AuditEntry.action == "space.type_changed")).one()
    assert entry.before == {"space_type": None} and entry.after == {"space_type": "commuter_haven"}
    assert 'value="commuter_haven" selected' in client.get("/admin/spaces").get_data(as_text=True)


def test_a_type_not_offered_is_refused(client, make_user, make_space, login):
    space = make_space(slug="hafen")
    login(make_user(role="admin").email)
    client.post("/admin/spaces/hafen/type", data={
        "space_type": "castle", "csrf_token": csrf_token(client, "/admin/spaces")})
    page = client.get("/admin/spaces").get_data(as_text=True)
    assert "Wähle einen der angebotenen Typen." in page
    db.session.expire_all()
    assert db.session.get(Space, space.id).space_type is None


def test_a_new_space_gets_its_type(client, make_user, make_space, login):
    town_id = make_space().town_id
    login(make_user(role="admin").email)
    answer = client.post("/admin/spaces/new", data={
        "name": "Dorfmitte", "slug": "dorfmitte", "town_id": town_id, "address": "Platz 1",
        "timezone": "Europe/Berlin", "slot_minutes": "30", "space_type": "village_centre",
        "csrf_token": csrf_token(client, "/admin/spaces/new")})
    assert answer.status_code == 302
    assert db.session.scalar(select(Space.space_type).where(Space.slug == "dorfmitte")) == \
        "village_centre"


def test_the_pilots_are_seeded_with_their_types(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    types = dict(db.session.execute(select(Space.slug, Space.space_type)).all())
    assert types["wittenberge"] == "commuter_haven" and None not in types.values()
