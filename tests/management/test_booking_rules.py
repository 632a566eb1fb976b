"""Hosts set the booking rules of their space; each value out of range is named beside its
field, and one bad value changes nothing at all."""
import pytest

from coworking.extensions import db
from coworking.spaces.models import Space
from tests.management.conftest import audit_entries, post_form

RULES = {"horizon_days": "60", "min_notice_minutes": "30", "max_booking_minutes": "480",
         "cancel_deadline_minutes": "1440", "no_show_grace_minutes": "15",
         "max_room_bookings": "3", "max_desk_days": ""}


def rules_of(space):
    db.session.expire_all()
    space = db.session.get(Space, space.id)
    return (space.horizon_days, space.min_notice_minutes, space.max_booking_minutes,
            space.cancel_deadline_minutes, space.no_show_grace_minutes,
            space.max_room_bookings, space.max_desk_days)


def test_a_host_sets_the_rules_and_the_log_keeps_what_changed(client, space, host):
    response = post_form(client, f"/manage/{space.slug}/rules", RULES)
    assert response.status_code == 302
    assert rules_of(space) == (60, 30, 480, 1440, 15, 3, None)
    (entry,) = audit_entries("space.rules_changed")
    assert entry.before == {"horizon_days": 365, "max_booking_minutes": 600,
                            "min_notice_minutes": 0, "cancel_deadline_minutes": 120,
                            "no_show_grace_minutes": 30, "max_room_bookings": None}
    assert entry.after["no_show_grace_minutes"] == 15
    page = client.get(f"/manage/{space.slug}").get_data(as_text=True)
    assert "hat die Buchungsregeln geändert" in page
    assert "Kulanzzeit (Minuten): 30 <span aria-hidden=\"true\">→</span>" in page


@pytest.mark.parametrize("field,value,message", [
    ("no_show_grace_minutes", "-5", "Die Kulanzzeit liegt zwischen 0 und 240 Minuten."),
    ("max_booking_minutes", "1500", "Eine Buchung darf höchstens 24 Stunden (1440 Minuten)"),
    ("max_booking_minutes", "15", "mindestens einen Takt (30 Minuten)"),
    ("horizon_days", "0", "Buchbar sind 1 bis 730 Tage im Voraus."),
    ("cancel_deadline_minutes", "-1", "Die Stornofrist liegt zwischen 0 Minuten"),
    ("min_notice_minutes", "20000", "Der Vorlauf liegt zwischen 0 Minuten"),
    ("max_desk_days", "0", "erlaube 1 bis 366 Tage"),
    ("horizon_days", "viele", None),
    ("no_show_grace_minutes", "", None),
])
def test_a_bad_value_is_named_and_nothing_changes(client, space, host, field, value, message):
    before = rules_of(space)
    response = post_form(client, f"/manage/{space.slug}/rules", {**RULES, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message is None or message in page
    assert rules_of(space) == before and audit_entries() == []


def test_new_rules_bind_new_bookings(client, space, host, make_user):
    from coworking.bookings.service import book
    from coworking.errors import RuleViolation
    from tests.factories import resources_of
    from tests.management.conftest import at

    post_form(client, f"/manage/{space.slug}/rules", {**RULES, "max_booking_minutes": "60"})
    with pytest.raises(RuleViolation, match="at most 1:00 hours"):
        book(make_user(), resources_of(space)[0].id, at("09:00"), at("11:00"))
