"""`seed-demo`: the five pilot spaces, idempotently."""
from sqlalchemy import func, select

from coworking.accounts.models import User
from coworking.extensions import db
from coworking.spaces.models import Resource, Space


def counts():
    return (db.session.scalar(select(func.count()).select_from(Space)),
            db.session.scalar(select(func.count()).select_from(Resource)),
            db.session.scalar(select(func.count()).select_from(User)))


def test_seed_demo_creates_the_five_spaces_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == after_first
    assert after_first[0] == 5
    slugs = set(db.session.scalars(select(Space.slug)))
    assert slugs == {"wittenberge", "diessen-am-ammersee", "dippoldiswalde", "moelln", "oestrich-winkel"}


def test_seeded_spaces_meet_the_promised_minimums(runner):
    runner.invoke(args=["seed-demo"])
    for space in db.session.scalars(select(Space)):
        desks = [r for r in space.resources if r.kind == "hot_desk" and r.active]
        assert len(desks) >= 6
        assert any(r.kind == "meeting_room" for r in space.resources)
        weekdays = {h.weekday for h in space.opening_hours
                    if h.opens.hour <= 8 and h.closes.hour >= 18}
        assert weekdays >= {0, 1, 2, 3, 4}
        assert space.horizon_days >= 28
        assert (space.max_room_bookings, space.max_desk_days) == (3, 10)
    states = {s.slug: s.town.state for s in db.session.scalars(select(Space))}
    assert states == {"wittenberge": "BB", "diessen-am-ammersee": "BY", "dippoldiswalde": "SN",
                      "moelln": "SH", "oestrich-winkel": "HE"}


def test_seed_keeps_an_admins_edits_and_only_seeds_when_asked_if_empty(runner):
    runner.invoke(args=["seed-demo"])
    space = db.session.scalar(select(Space).where(Space.slug == "moelln"))
    space.name = "Kulturwerk Mölln"
    db.session.commit()
    assert "not seeding" in runner.invoke(args=["seed-demo", "--if-empty"]).output
    runner.invoke(args=["seed-demo"])
    db.session.expire_all()
    assert db.session.scalar(select(Space.name).where(Space.slug == "moelln")) == "Kulturwerk Mölln"
