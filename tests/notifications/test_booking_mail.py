"""Every booking and cancellation is confirmed by e-mail: written in the booking's own
transaction, sent by the worker over SMTP to a real server, never lost, sent once even by
two workers at once."""
import threading
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import delete, select

from coworking import outbox
from coworking.bookings import service
from coworking.errors import RuleViolation
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.service import buy
from coworking.notifications import mail
from coworking.outbox import OutboxMessage
from tests.factories import make_plan, resources_of
from tests.notifications.conftest import at


def queued():
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == mail.TOPIC)
                              .order_by(OutboxMessage.id)).all()


def send():
    return run_all()["send-outbox"]


def test_a_booking_is_confirmed_by_mail_in_german_with_text_and_html(desk, make_user,
                                                                     smtp_server):
    member = make_user(name="Ada Lovelace", email="ada@example.org")
    booking = service.book(member, desk.id, at("09:00"), at("12:30"))
    (row,) = queued()  # written with the booking, before anything was sent
    assert row.processed_at is None and smtp_server.messages == []
    assert send() == {"delivered": 1, "failed": 0}  # the mail; nothing else reads the event
    (message,) = smtp_server.messages
    assert message["To"] == "ada@example.org"
    assert message["From"] == "Coworking <coworking@example.org>"
    assert message["Subject"].startswith("Buchung bestätigt: Desk 1 in ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Wann: Dienstag, 2. März 2027, 09:00–12:30 Uhr" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hallo Ada Lovelace," in text and "Hallo Ada Lovelace," in html
    assert desk.space.address in text
    assert f"/bookings#booking-{booking.id}" in text
    assert message["Message-ID"] == row.payload["message_id"]
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == f"booking-{booking.id}.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"booking-{booking.id}@127.0.0.1"
    assert event.decoded("DTSTART") == at("09:00") and event["STATUS"] == "CONFIRMED"
    assert smtp_server.envelopes == [("coworking@example.org", ["ada@example.org"])]


def test_a_member_who_chose_english_gets_english_mail(desk, make_user, smtp_server):
    member = make_user()
    member.language = "en"
    db.session.commit()
    service.book(member, desk.id, at("09:00"), at("10:00"))
    send()
    (message,) = smtp_server.messages
    assert message["Subject"].startswith("Booking confirmed: Desk 1 in ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hello " in text and "When: Tuesday, March 2, 2027, 09:00–10:00" in text


def test_a_cancellation_is_confirmed_too(desk, make_user, smtp_server):
    member = make_user()
    booking = service.book(member, desk.id, at("09:00"), at("10:00"))
    service.cancel(member, booking.id)
    send()
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects[0].startswith("Buchung bestätigt") and subjects[1].startswith("Buchung storniert")
    assert len(subjects) == 2
    confirmed, cancelled = (icalendar.Calendar.from_ical(
        next(m.iter_attachments()).get_content()).walk("VEVENT")[0] for m in smtp_server.messages)
    assert cancelled["UID"] == confirmed["UID"] and cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > confirmed["SEQUENCE"]


def test_a_refused_booking_writes_no_mail(desk, make_user, smtp_server):
    with pytest.raises(RuleViolation):
        service.book(make_user(), desk.id, at("07:00"), at("08:00"))
    assert queued() == []


def test_with_the_mail_server_down_the_message_waits_and_goes_exactly_once(desk, make_user,
                                                                          smtp_server, frozen):
    smtp_server.stop()
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    assert send()["failed"] == 1
    (row,) = queued()
    assert row.processed_at is None and "ConnectionRefusedError" in row.last_error
    smtp_server.start()
    # Back-off: two minutes after the first attempt, not earlier.
    frozen.set("2027-03-01T07:01:59+01:00")
    send()
    assert smtp_server.messages == []
    frozen.set("2027-03-01T07:02:00+01:00")
    assert send() == {"delivered": 1, "failed": 0}
    for minutes in (10, 60, 600):
        frozen.set((at("07:00", "2027-03-01") + timedelta(minutes=minutes)).isoformat())
        send()
    assert len(smtp_server.messages) == 1
    assert queued()[0].processed_at is not None


def test_a_temporary_refusal_by_the_server_is_retried(desk, make_user, smtp_server, frozen):
    smtp_server.refuse = True
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    assert send()["failed"] == 1
    assert "451" in queued()[0].last_error
    smtp_server.refuse = False
    frozen.set("2027-03-01T07:02:00+01:00")
    assert send()["delivered"] == 1
    assert len(smtp_server.messages) == 1


def test_two_workers_sending_at_once_send_each_message_once(make_space, make_user, app,
                                                           smtp_server, frozen):
    space = make_space(desks=6, rooms=0)
    members = [make_user() for _ in range(6)]
    for member, desk in zip(members, resources_of(space)):
        service.book(member, desk.id, at("09:00"), at("10:00"))
    db.session.commit()
    barrier = threading.Barrier(2)

    def work():
        with app.app_context():
            barrier.wait(timeout=30)
            for _ in range(4):
                outbox.deliver(limit=2)
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert len(recipients) == len(set(recipients)) == 6
    assert all(row.processed_at is not None for row in queued())


def test_the_server_login_is_used_when_configured(desk, make_user, app, frozen):
    from tests.smtp_server import SmtpServer

    server = SmtpServer(credentials=("relay-user", "relay-secret"))
    server.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_STARTTLS=False)
        service.book(make_user(), desk.id, at("09:00"), at("10:00"))
        assert send()["failed"] == 1  # the relay wants a login
        assert "530" in queued()[0].last_error
        app.config.update(MAIL_USERNAME="relay-user", MAIL_PASSWORD="relay-secret")
        frozen.set("2027-03-01T07:02:00+01:00")
        assert send()["delivered"] == 1
        assert len(server.messages) == 1
    finally:
        server.stop()


def test_credentials_never_go_in_the_clear_unless_told(desk, make_user, app, smtp_server):
    app.config.update(MAIL_USERNAME="relay-user", MAIL_PASSWORD="secret")  # no STARTTLS offered
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    assert send()["failed"] == 1
    assert "STARTTLS" in queued()[0].last_error
    assert smtp_server.messages == []


def test_in_development_without_a_mail_server_the_message_is_logged(desk, make_user, app,
                                                                    caplog):
    app.config.update(MAIL_SERVER=None, ENV_NAME="development")
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    with caplog.at_level("WARNING", logger="coworking.notifications.mail"):
        assert send()["delivered"] == 1
    assert "MAIL_SERVER is not set" in caplog.text and "To: member1@example.org" in caplog.text


def test_in_production_without_a_mail_server_the_message_waits(desk, make_user, app):
    app.config.update(MAIL_SERVER=None, ENV_NAME="production")
    service.book(make_user(), desk.id, at("09:00"), at("10:00"))
    assert send()["failed"] == 1
    assert "MAIL_SERVER" in queued()[0].last_error


def test_the_confirmation_says_how_to_get_in_check_in_and_what_is_due(desk, make_user,
                                                                      smtp_server):
    space = desk.space
    space.access = "Klingel „Coworking“, zweiter Stock"
    card = make_plan("10er-Karte", spaces=[space])
    member = make_user(email="nina@example.org", covered=False)
    buy(member, card.id, online=False)
    db.session.execute(delete(OutboxMessage))  # the purchase's own mail
    db.session.commit()
    service.book(member, desk.id, at("09:00"), at("12:00"))
    send()
    (message,) = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "Klingel „Coworking“, zweiter Stock" in body
        assert "scanne den QR-Code auf dem Aushang" in body
        assert "Noch vor Ort zu zahlen:" in body and "120,00\xa0€ für den Tarif „10er-Karte“" in body


def test_a_covered_booking_owes_nothing_on_site(desk, make_user, smtp_server):
    member = make_user()
    service.book(member, desk.id, at("09:00"), at("10:00"))
    send()
    (message,) = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "scanne den QR-Code auf dem Aushang" in text
    assert "Noch vor Ort zu zahlen" not in text and "So kommst du rein" not in text


def test_a_series_of_eight_dates_is_confirmed_in_one_mail_with_one_calendar_file(
        desk, make_user, smtp_server):
    from datetime import date, time

    from coworking.bookings import series
    member = make_user(name="Sina Serie")
    result = series.book_series(member, desk.space, "hot_desk", [1, 3], time(9), time(12),
                                date(2027, 3, 2), 4)
    assert len(result.booked) == 8
    send()
    (message,) = smtp_server.messages  # one, not eight
    assert message["Subject"].startswith("Serie gebucht: 8 Termine in ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    for day in ("2. März 2027", "4. März 2027", "23. März 2027", "25. März 2027"):
        assert day in text
    assert text.count("09:00–12:00") == 8
    (attachment,) = message.iter_attachments()
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    events = calendar.walk("VEVENT")
    assert sorted(event.decoded("DTSTART") for event in events) == sorted(
        b.start_at for b in result.series.bookings)
    assert {str(event["UID"]) for event in events} == {
        f"booking-{b.id}@127.0.0.1" for b in result.series.bookings}


def test_the_confirmation_is_written_when_sent_and_asks_only_what_is_still_due(
        desk, make_user, smtp_server):
    """The booking's unit stores the address, the subject and the booking's row; what is
    still to be paid on site is read when the worker writes the mail."""
    from coworking.bookings.on_site import collect_on_site

    card = make_plan("10er-Karte", spaces=[desk.space])
    member = make_user(email="nina@example.org", covered=False)
    admin = make_user(role="admin")
    buy(member, card.id, online=False)
    db.session.execute(delete(OutboxMessage))  # the purchase's own mail
    db.session.commit()
    booking = service.book(member, desk.id, at("09:00"), at("12:00"))
    (row,) = queued()
    assert row.payload["to"] == "nina@example.org"
    assert row.payload["subject"].startswith("Buchung bestätigt: Desk 1 in ")
    assert "text" not in row.payload and "attachments" not in row.payload
    collect_on_site(admin, booking.id)  # the host took the money first
    send()
    (message,) = [m for m in smtp_server.messages if m["Subject"].startswith("Buchung bestätigt")]
    assert message["Subject"] == row.payload["subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Wann: Dienstag, 2. März 2027, 09:00–12:00 Uhr" in text
    assert "Noch vor Ort zu zahlen" not in text
