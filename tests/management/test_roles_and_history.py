"""A host runs their own space only: another space's pages answer 403, its desks, rooms and
closures 404 even under the host's own address. Members and visitors reach nothing of it.
The space's page tells its history in words."""
from datetime import date

from sqlalchemy import select

from coworking.accounts.models import User
from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.management import closures, resources
from coworking.spaces.models import Resource
from tests.factories import resources_of
from tests.management.conftest import audit_entries, post_form


def test_a_host_of_one_space_changes_nothing_of_another(client, space, host, make_space):
    other = make_space(slug="elsewhere")
    theirs = resources_of(other)[0]
    assert client.get(f"/manage/{other.slug}").status_code == 403
    for path in (f"/manage/{other.slug}/hours", f"/manage/{other.slug}/rules",
                 f"/manage/{other.slug}/closures",
                 f"/manage/{other.slug}/resources/{theirs.id}",
                 f"/manage/{other.slug}/resources/{theirs.id}/deactivate"):
        assert client.get(path).status_code == 403, path
    for path in (f"/manage/{space.slug}/resources/{theirs.id}",
                 f"/manage/{space.slug}/resources/{theirs.id}/deactivate"):
        assert client.get(path).status_code == 404, path
    for path, data in ((f"/manage/{other.slug}/resources", {"kind": "hot_desk", "name": "X",
                                                          "capacity": "1"}),
                       (f"/manage/{other.slug}/resources/{theirs.id}/deactivate", {}),
                       (f"/manage/{space.slug}/resources/{theirs.id}/deactivate", {}),
                       (f"/manage/{space.slug}/resources/{theirs.id}/reactivate", {}),
                       (f"/manage/{space.slug}/resources/{theirs.id}",
                        {"name": "Mine now", "capacity": "1"})):
        assert post_form(client, path, data, token_from="/").status_code in (403, 404), path
    db.session.expire_all()
    assert db.session.get(Resource, theirs.id).active
    assert db.session.get(Resource, theirs.id).name == "Desk 1"
    assert len(resources_of(other)) == 3 and audit_entries() == []


def test_another_space_s_closure_is_not_found_under_the_host_s_own_space(
        client, space, host, make_space, make_user):
    other = make_space(slug="elsewhere")
    admin = make_user(role="admin")
    closure, _cancelled = closures.add_closure(admin, other.slug, date(2027, 3, 8),
                                               date(2027, 3, 8), "Umzug")
    response = post_form(client, f"/manage/{space.slug}/closures/{closure.id}/remove", {},
                         token_from="/")
    assert response.status_code == 404
    assert closures.closures_ahead(other) != []


def test_members_and_visitors_reach_none_of_it(client, space, make_user, login):
    assert client.get(f"/manage/{space.slug}").status_code == 302  # to sign in
    make_user(email="member@example.org")
    login("member@example.org")
    assert client.get("/manage").status_code == 403
    assert client.get(f"/manage/{space.slug}").status_code == 403
    assert "Standorte führen" not in client.get("/").get_data(as_text=True)


def test_hosts_see_the_way_in(client, space, host):
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/manage">Standorte führen</a>' in page
    index = client.get("/manage").get_data(as_text=True)
    assert f'href="/manage/{space.slug}"' in index and "Alle Standorte und Orte" not in index


def test_the_history_names_who_did_what_when_in_german(client, space, host, make_user):
    desk = resources_of(space)[0]
    resources.update_resource(host, space.slug, desk.id,
                              resources.ResourceDraft(name="Fensterplatz", capacity=2))
    resources.deactivate_resource(host, space.slug, desk.id)
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert page.index("hat Fensterplatz außer Betrieb genommen") < page.index(
        "hat Desk 1 geändert")
    assert '<time datetime="2027-03-01T07:00:00+01:00">01.03.2027, 07:00</time>' in page
    assert 'Plätze: 1 <span aria-hidden="true">→</span><span class="sr">wird zu</span> 2' in page


def test_an_entry_of_a_deleted_account_still_reads(client, space, host, make_user):
    former = make_user(role="admin")
    resources.reactivate_resource(former, space.slug, resources_of(space)[0].id)  # nothing
    resources.deactivate_resource(former, space.slug, resources_of(space)[0].id)
    db.session.delete(db.session.get(User, former.id))
    db.session.commit()
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.actor_id is None
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert ("<strong>das System oder ein gelöschtes Konto</strong> hat Desk 1 außer Betrieb"
            in page)
