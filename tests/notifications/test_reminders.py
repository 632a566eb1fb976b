"""A reminder the evening before a booking (18:00 in the space's zone), once, only for members
who want it and only for bookings made before that evening."""
from datetime import datetime

from coworking.bookings import service
from coworking.extensions import db
from coworking.jobs import run_all
from tests.notifications.conftest import at


def run():
    results = run_all()
    return results["send-reminders"]["reminded"], results["send-outbox"]


def subjects(smtp_server):
    return [m["Subject"] for m in smtp_server.messages]


def test_the_reminder_goes_at_six_the_evening_before_and_only_once(desk, make_user, frozen,
                                                                   smtp_server):
    member = make_user()
    service.book(member, desk.id, at("09:00"), at("12:00"))
    run()
    smtp_server.messages.clear()  # the confirmation
    frozen.set("2027-03-01T17:59:00+01:00")
    assert run()[0] == 0
    frozen.set("2027-03-01T18:00:00+01:00")
    assert run()[0] == 1
    (subject,) = subjects(smtp_server)
    assert subject.startswith("Morgen: Desk 1 in ")
    text = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "eine Erinnerung an deine Buchung morgen" in text
    assert "/account" in text  # how to turn them off
    for later in ("18:01", "23:00"):
        frozen.set(f"2027-03-01T{later}:00+01:00")
        assert run()[0] == 0
    assert len(smtp_server.messages) == 1


def test_no_reminder_for_members_who_turned_them_off(desk, make_user, frozen, smtp_server):
    member = make_user()
    member.reminders = False
    db.session.commit()
    service.book(member, desk.id, at("09:00"), at("12:00"))
    frozen.set("2027-03-01T18:00:00+01:00")
    assert run()[0] == 0


def test_no_reminder_for_a_booking_made_that_evening_or_cancelled(desk, make_user, frozen,
                                                                 smtp_server):
    late, cancelling = make_user(), make_user()
    kept = service.book(cancelling, desk.id, at("13:00"), at("14:00"))
    service.cancel(cancelling, kept.id)
    frozen.set("2027-03-01T18:30:00+01:00")
    service.book(late, desk.id, at("09:00"), at("12:00"))  # the confirmation is enough
    frozen.set("2027-03-01T18:31:00+01:00")
    assert run()[0] == 0
    frozen.set("2027-03-02T08:00:00+01:00")
    assert run()[0] == 0


def test_the_evening_before_a_booking_after_the_spring_forward_is_in_summer_time(
        desk, make_user, frozen, smtp_server):
    """Summer time began on Sunday 2027-03-28: the evening before Tuesday the 30th (Easter
    Monday closes the space on the 29th) is 18:00 CEST, 16:00 UTC, not 17:00 UTC."""
    member = make_user()
    service.book(member, desk.id, datetime.fromisoformat("2027-03-30T09:00:00+02:00"),
                 datetime.fromisoformat("2027-03-30T11:00:00+02:00"))
    frozen.set("2027-03-29T15:59:00+00:00")
    assert run()[0] == 0
    frozen.set("2027-03-29T16:00:00+00:00")
    assert run()[0] == 1
