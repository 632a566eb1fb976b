"""Resource kinds: one enum gives the database its check, the pages their labels."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coworking.extensions import db
from coworking.spaces.models import Resource, ResourceKind


def test_a_kind_given_as_text_is_the_enum_member_with_its_label(app):
    resource = Resource(kind="meeting_room", name="Room")
    assert resource.kind is ResourceKind.MEETING_ROOM
    assert str(resource.kind.label) == "Meeting room"
    assert not resource.is_desk and Resource(kind="fixed_desk").is_desk


def test_the_database_refuses_a_kind_outside_the_enum(make_space):
    space = make_space(desks=0, rooms=0)
    insert = text("INSERT INTO resource (space_id, kind, name, capacity, amenities, active) "
                  "VALUES (:space_id, :kind, 'Sofa', 1, '', :active)")
    db.session.execute(insert, {"space_id": space.id, "kind": "phone_booth", "active": True})
    with pytest.raises(IntegrityError):
        db.session.execute(insert, {"space_id": space.id, "kind": "sofa", "active": True})
    db.session.rollback()
