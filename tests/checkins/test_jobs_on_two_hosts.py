"""The no-show and closing-time jobs run on several hosts at once: each booking is released or
checked out once, with one e-mail and one visit closed, however the runners interleave."""
import threading
from datetime import date

from sqlalchemy import func, select

from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.checkins import service
from coworking.checkins.codes import daily_code
from coworking.checkins.jobs import close_day_job, mark_no_shows_job
from coworking.extensions import db
from coworking.outbox import OutboxMessage
from tests.checkins.helpers import at, visits
from tests.factories import read_topics, resources_of

RUNNERS = 4


def run_at_once(app, job):
    barrier, results = threading.Barrier(RUNNERS), []

    def runner():
        with app.app_context():
            barrier.wait(timeout=30)
            results.append(job())

    threads = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses():
    db.session.commit()
    return db.session.scalars(select(Booking.status).order_by(Booking.id)).all()


def test_no_shows_are_marked_once_by_runners_at_once(app, make_space, make_user, frozen,
                                                     monkeypatch):
    read_topics(monkeypatch, "booking.no_show")
    spaces = [make_space(desks=4, public_holidays_closed=False) for _ in range(3)]
    for space in spaces:
        for desk in resources_of(space):
            book(make_user(), desk.id, at("09:00"), at("11:00"))
    frozen.set("2027-03-02T09:30:00+01:00")
    results = run_at_once(app, mark_no_shows_job)
    assert sum(result["marked"] for result in results) == 12
    assert statuses() == ["no_show"] * 12
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.topic == "booking.no_show")) == 12


def test_closing_time_checks_out_once_with_runners_at_once(app, make_space, make_user, frozen):
    space = make_space(desks=6, public_holidays_closed=False)
    members = [make_user() for _ in resources_of(space)]
    bookings = [book(member, desk.id, at("09:00"), at("17:00"))
                for member, desk in zip(members, resources_of(space))]
    frozen.set("2027-03-02T09:00:00+01:00")
    for member, booking in zip(members, bookings):
        service.check_in(member, booking.id, daily_code(space, date(2027, 3, 2)))
    frozen.set("2027-03-02T18:00:00+01:00")
    results = run_at_once(app, close_day_job)
    assert sum(result["checked out"] for result in results) == 6
    assert statuses() == ["completed"] * 6
    assert [(v.checked_out_at, v.check_out_method) for v in visits()] == \
        [(at("18:00"), "auto")] * 6
