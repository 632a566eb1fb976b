"""The saved world that tests/test_access.py puts back between cases: reads leave it alone,
any write is noticed, and putting it back undoes the write, requests' and the test's alike."""
from sqlalchemy import func, select

from coworking.extensions import db
from coworking.spaces.models import Space, Town


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_write_is_noticed_and_undone_a_read_is_not(app, client, make_space, make_user,
                                                     database_snapshot):
    space_id = make_space(slug="saved").id
    database_snapshot.save()
    assert client.get("/spaces/saved").status_code == 200
    assert count(Space) == 1
    assert not database_snapshot.changed

    client.post("/api/v1/auth/register", json={"name": "New", "email": "new@example.org",
                                               "password": "correct horse"})
    make_space(slug="unsaved")
    db.session.add(Town(name="Elsewhere", state="SH", state_name="SH"))
    db.session.commit()
    assert database_snapshot.changed

    database_snapshot.restore()
    assert not database_snapshot.changed
    assert db.session.scalars(select(Space.slug)).all() == ["saved"]
    assert count(Town) == 1
    assert db.session.get(Space, space_id).slug == "saved"
    assert client.post("/api/v1/auth/tokens", json={
        "email": "new@example.org", "password": "correct horse"}).status_code == 401

    # Put back as often as needed, and new rows still get ids of their own.
    make_user(email="again@example.org")
    database_snapshot.restore()
    assert make_space(slug="after").id != space_id
