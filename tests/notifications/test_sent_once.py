"""Delivery is at least once, and the window for a second copy is as short as it can be: a mail
the SMTP server accepted is marked sent in a commit of its own before anything else happens,
so neither a goodbye that fails nor a worker killed right after can send it again."""
import smtplib

import pytest
from sqlalchemy import select

from coworking.bookings import service
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from tests.factories import resources_of
from tests.notifications.conftest import at


class Killed(BaseException):
    """kill -9 of `jobs work`: nothing after it runs, no `except Exception`, no clean-up."""


def sent_in_the_database():
    """Who has a mail marked sent, as another process reads it: committed rows only."""
    with db.engine.connect() as connection:
        rows = connection.execute(select(OutboxMessage.payload, OutboxMessage.processed_at)
                                  .where(OutboxMessage.topic == mail.TOPIC)
                                  .order_by(OutboxMessage.id)).all()
    return [(payload["to"], processed_at is not None) for payload, processed_at in rows]


def test_a_mail_whose_goodbye_fails_after_the_server_accepted_it_is_not_sent_again(
        desk, make_user, smtp_server, frozen):
    smtp_server.goodbye = "421 4.3.2 shutting down"
    member = make_user()
    service.book(member, desk.id, at("09:00"), at("10:00"))
    assert run_all()["send-outbox"] == {"delivered": 1, "failed": 0}
    assert sent_in_the_database() == [(member.email, True)]
    smtp_server.goodbye = None
    for later in ("07:02", "07:10", "09:00"):
        frozen.set(f"2027-03-01T{later}:00+01:00")
        run_all()
    assert len(smtp_server.messages) == 1


def test_a_mail_is_marked_sent_before_the_next_is_sent(make_space, make_user, smtp_server,
                                                       monkeypatch, frozen):
    first, second = make_user(), make_user()
    for member, desk in zip((first, second), resources_of(make_space(desks=2, rooms=0))):
        service.book(member, desk.id, at("09:00"), at("10:00"))
    db.session.commit()
    says = smtplib.SMTP.docmd

    def killed_at_the_goodbye(smtp, command, args=""):
        if command.lower() == "quit":
            raise Killed  # the server has the first mail; the worker dies before its goodbye
        return says(smtp, command, args)

    monkeypatch.setattr(smtplib.SMTP, "docmd", killed_at_the_goodbye)
    with pytest.raises(Killed):
        run_all()
    db.session.rollback()
    assert len(smtp_server.messages) == 1
    assert sent_in_the_database() == [(first.email, True), (second.email, False)]

    # Another worker takes over once the dead one's lease has run out: only the second goes.
    monkeypatch.undo()
    frozen.set("2027-03-01T07:05:00+01:00")
    assert run_all()["send-outbox"]["failed"] == 0
    assert [m["To"] for m in smtp_server.messages] == [first.email, second.email]
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 2
    assert sent_in_the_database() == [(first.email, True), (second.email, True)]
