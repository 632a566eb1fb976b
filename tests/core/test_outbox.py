"""Domain events whose topic has a handler become outbox rows in the transaction that caused
them, and no others; `jobs run` hands each row to its handlers after the commit, once, retrying
failures after a back-off."""
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from coworking import outbox
from coworking.bookings import service
from coworking.errors import RuleViolation
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from tests.factories import resources_of


@pytest.fixture
def desk(make_space, frozen):
    return resources_of(make_space(desks=2))[0]


@pytest.fixture
def delivered(monkeypatch):
    """What the handlers of booking topics were handed, in order."""
    seen = []
    monkeypatch.setitem(outbox._handlers, "booking.confirmed", [lambda p: seen.append(p)])
    monkeypatch.setitem(outbox._handlers, "booking.cancelled", [lambda p: seen.append(p)])
    return seen


def at(text):
    return datetime.fromisoformat(f"2027-03-02T{text}:00+01:00")


def messages():
    """The rows of the domain events (the e-mails they cause have tests of their own)."""
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic != mail.TOPIC)
                              .order_by(OutboxMessage.id)).all()


def test_booking_and_cancelling_write_their_events_with_the_change(desk, make_user, delivered):
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    service.cancel(member, booking.id)
    service.cancel(member, booking.id)  # idempotent: no second event
    rows = messages()
    assert [m.topic for m in rows] == ["booking.confirmed", "booking.cancelled"]
    assert rows[0].payload == {"booking_id": booking.id, "user_id": member.id,
                               "resource_id": desk.id, "status": "confirmed",
                               "start": "2027-03-02T08:00:00+00:00",
                               "end": "2027-03-02T09:00:00+00:00"}
    assert all(m.processed_at is None for m in rows)


def test_an_event_nothing_reads_writes_no_row(desk, make_user):
    """Without a handler for its topic an event leaves no row behind (here the e-mails are
    left out too, see conftest; tests/notifications shows they are written)."""
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    service.cancel(member, booking.id)
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_every_topic_written_has_a_handler(app):
    """What the app registers: mail reads the outbox; a topic is written only once it has a
    handler in coworking/reactions.py. (The app registers them; run alone, this test had
    none.)"""
    from coworking import reactions

    assert outbox.handled_topics() == {topic for topic, _handler in reactions.OUTBOX_HANDLERS}
    assert mail.TOPIC in outbox.handled_topics()


def test_a_refused_booking_writes_no_event(desk, make_user, delivered):
    with pytest.raises(RuleViolation):
        service.book(make_user(), desk.id, at("07:00"), at("08:00"))
    assert messages() == []


def test_a_pass_hands_each_message_to_its_handlers_once(desk, make_user, delivered, runner):
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert "send-outbox: delivered 1, failed 0" in result.output
    assert [p["booking_id"] for p in delivered] == [booking.id]
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    assert len(delivered) == 1
    assert messages()[0].processed_at is not None


def test_a_failing_handler_is_retried_after_its_back_off(desk, make_user, monkeypatch, frozen):
    attempts = []

    def flaky(payload):
        attempts.append(payload)
        if len(attempts) == 1:
            raise ConnectionError("mail server away")

    monkeypatch.setitem(outbox._handlers, "booking.confirmed", [flaky])
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    assert run_all()["send-outbox"] == {"delivered": 0, "failed": 1}
    (message,) = messages()
    assert message.last_error == "ConnectionError: mail server away"
    # The first retry waits two minutes: not a minute earlier, at the minute it is due.
    frozen.set("2027-03-01T07:01:00+01:00")
    assert run_all()["send-outbox"] == {"delivered": 0, "failed": 0}
    frozen.set("2027-03-01T07:02:00+01:00")
    assert run_all()["send-outbox"] == {"delivered": 1, "failed": 0}
    assert len(attempts) == 2 and messages()[0].processed_at is not None


def test_a_message_whose_worker_died_is_taken_again_when_its_lease_ends(desk, make_user,
                                                                         delivered, frozen):
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    claimed = outbox._claim(10)  # a worker claims the message and dies before handling it
    assert len(claimed) == 1
    assert run_all()["send-outbox"]["delivered"] == 0
    frozen.set("2027-03-01T07:04:59+01:00")
    assert run_all()["send-outbox"]["delivered"] == 0
    frozen.set("2027-03-01T07:05:00+01:00")
    assert run_all()["send-outbox"]["delivered"] == 1
    assert len(delivered) == 1
    # The dead worker's late word changes nothing.
    outbox._settle(claimed[0][0], claimed[0][3], ConnectionError("late"))
    assert messages()[0].last_error is None


def test_two_workers_at_once_deliver_every_message_exactly_once(make_space, make_user, app,
                                                                 delivered, frozen):
    space = make_space(desks=6, rooms=0)
    members = [make_user() for _ in range(6)]
    for member, desk in zip(members, resources_of(space)):
        service.book(member, desk.id, at("09:00"), at("10:00"))
    db.session.commit()
    barrier = threading.Barrier(2)

    def work():
        with app.app_context():
            barrier.wait(timeout=30)
            outbox.deliver(limit=2)
            outbox.deliver(limit=2)
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = sorted(p["booking_id"] for p in delivered)
    assert len(ids) == len(set(ids)) == 6
    assert all(m.processed_at is not None for m in messages())


def test_processed_messages_are_pruned_after_thirty_days(desk, make_user, delivered, frozen):
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    # Nobody checks in: the pass after the grace period releases it as a no-show as well.
    first_pass = "2027-03-02T09:30:00+01:00"
    frozen.set(first_pass)
    run_all()
    frozen.set((datetime.fromisoformat(first_pass) + timedelta(days=30, minutes=1)).isoformat())
    run_all()
    assert messages() == []


def test_jobs_work_runs_passes_until_told_to_stop(runner, delivered):
    result = runner.invoke(args=["jobs", "work", "--passes", "2", "--interval", "0"])
    assert result.exit_code == 0
    assert result.output.count("send-outbox:") == 2
