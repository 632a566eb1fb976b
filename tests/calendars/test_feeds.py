"""The feeds calendar apps poll: a member's own bookings, a space's for its hosts, 30 days back
on; answered 304 from the change stamp without being built; a fixed number of statements."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select

from coworking.accounts.models import UserRole
from coworking.bookings import service
from coworking.calendars import feeds, tokens
from coworking.calendars.models import CalendarStamp
from coworking.errors import Forbidden, RuleViolation
from coworking.extensions import db
from tests.calendars.conftest import Statements, at, feed_path, parse


def book(member, desk, day="2027-03-02", start="09:00", end="12:00"):
    return service.book(member, desk.id, at(f"{day}T{start}:00+01:00"),
                        at(f"{day}T{end}:00+01:00"))


def fetch(client, path, **headers):
    return client.get(path, headers=headers)


def test_a_members_feed_is_a_valid_calendar_with_their_bookings(client, space, desks,
                                                                make_user):
    member = make_user(name="Jana Example")
    first, second = book(member, desks[0]), book(member, desks[1], day="2027-03-03")
    book(make_user(name="Someone Else"), desks[1])
    response = fetch(client, feed_path(member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    parsed = parse(response.data)
    calendar = parsed.ical
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert "StadtLabor" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Meine Coworking-Buchungen"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in parsed.text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in parsed.text
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert [str(e["UID"]) for e in parsed.events] == [
        f"booking-{first.id}@127.0.0.1", f"booking-{second.id}@127.0.0.1"]
    assert {e.uid.value for e in parsed.vobj.vevent_list} == {str(e["UID"]) for e in parsed.events}
    # Only the member's own bookings, and no names: those are for hosts.
    assert "Jana" not in parsed.text and "Someone" not in parsed.text
    event = parsed.event(first.id)
    assert str(event["LOCATION"]).endswith(space.address)
    assert str(event["URL"]) == f"http://127.0.0.1:5000/bookings#booking-{first.id}"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_a_feed_without_bookings_is_still_a_valid_calendar(client, space, make_user):
    parsed = parse(fetch(client, feed_path(make_user())).data)
    assert parsed.events == [] and len(parsed.ical.walk("VTIMEZONE")) == 1


def test_english_is_asked_for_in_the_url(client, space, desks, make_user):
    member = make_user()
    book(member, desks[0])
    english = fetch(client, feed_path(member, lang="en"))
    assert "?lang=en" in feed_path(member, lang="en")
    assert str(parse(english.data).ical["X-WR-CALNAME"]) == "My coworking bookings"
    german = fetch(client, feed_path(member))
    assert english.headers["ETag"] != german.headers["ETag"]


def test_the_feed_keeps_30_days_back_and_cancellations_for_30_days(client, space, desks,
                                                                   make_user, frozen):
    member = make_user()
    old = book(member, desks[0], day="2027-03-02")
    cancelled = book(member, desks[0], day="2027-03-20")
    kept = book(member, desks[0], day="2027-04-20")
    frozen.set("2027-03-05T10:00:00+01:00")
    service.cancel(member, cancelled.id)

    def shown(now):
        frozen.set(now)
        parsed = parse(fetch(client, feed_path(member)).data)
        return {e["UID"].split("@")[0]: str(e["STATUS"]) for e in parsed.events}

    assert shown("2027-04-01T12:00:00+02:00") == {
        f"booking-{old.id}": "CONFIRMED", f"booking-{cancelled.id}": "CANCELLED",
        f"booking-{kept.id}": "CONFIRMED"}
    # From April 2nd the window begins on March 3rd: the booking of March 2nd is gone; the
    # cancellation of March 5th stays until April 4th.
    assert shown("2027-04-02T12:00:00+02:00") == {
        f"booking-{cancelled.id}": "CANCELLED", f"booking-{kept.id}": "CONFIRMED"}
    assert shown("2027-04-05T00:30:00+02:00") == {f"booking-{kept.id}": "CONFIRMED"}


def test_a_cancelled_booking_keeps_its_uid_with_a_higher_sequence(client, space, desks,
                                                                  make_user):
    member = make_user()
    booking = book(member, desks[0])
    before = parse(fetch(client, feed_path(member)).data).event(booking.id)
    service.cancel(member, booking.id)
    after = parse(fetch(client, feed_path(member)).data)
    event = after.event(booking.id)
    assert event["UID"] == before["UID"] and event["SEQUENCE"] > before["SEQUENCE"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert after.vevent(booking.id).sequence.value == str(event["SEQUENCE"])


def test_the_dst_days_have_the_right_instants_in_the_feed(client, space, desks, make_user):
    member = make_user()
    spring = service.book(member, desks[0].id, at("2027-03-28T01:00:00+01:00"),
                          at("2027-03-28T04:00:00+02:00"))
    autumn = service.book(member, desks[0].id, at("2027-10-31T01:00:00+02:00"),
                          at("2027-10-31T04:00:00+01:00"))
    parsed = parse(fetch(client, feed_path(member)).data)
    for booking in (spring, autumn):
        for event_start, event_end in (
                (parsed.event(booking.id)["DTSTART"].dt, parsed.event(booking.id)["DTEND"].dt),
                (parsed.vevent(booking.id).dtstart.value, parsed.vevent(booking.id).dtend.value)):
            assert (event_start.astimezone(UTC), event_end.astimezone(UTC)) == (
                booking.start_at, booking.end_at)


def test_an_unknown_or_rotated_token_answers_404(client, space, desks, make_user):
    member = make_user()
    old_path = feed_path(member)
    assert fetch(client, old_path).status_code == 200
    tokens.rotate(member)
    answer = fetch(client, old_path)
    assert answer.status_code == 404 and "Set-Cookie" not in answer.headers
    assert fetch(client, feed_path(member)).status_code == 200
    assert fetch(client, "/calendar/not-a-token.ics").status_code == 404
    assert fetch(client, "/calendar/" + "x" * 500 + ".ics").status_code == 404


def test_tokens_are_stored_hashed_and_their_urls_shown_again(space, make_user):
    from coworking.calendars.models import CalendarToken

    member = make_user()
    first = feed_path(member)
    assert feed_path(member) == first  # the same URL every time it is shown
    secret = first.removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.scalar(select(CalendarToken))
    assert secret not in (stored.nonce, stored.token_hash)
    assert len(secret) >= 43  # 256 bits


class TestConditionalRequests:
    @pytest.fixture
    def member(self, make_user, desks):
        member = make_user()
        book(member, desks[0])
        return member

    @pytest.fixture
    def never_built(self, monkeypatch):
        def refuse(*_args):
            raise AssertionError("the feed was built")

        monkeypatch.setattr(feeds, "build", refuse)

    def test_a_matching_etag_answers_304_from_the_stamp_alone(self, client, member, monkeypatch):
        path = feed_path(member)
        first = fetch(client, path)
        assert first.headers["ETag"] and first.headers["Last-Modified"]
        monkeypatch.setattr(feeds, "build", lambda *_a: pytest.fail("the feed was built"))
        with Statements() as statements:
            again = fetch(client, path, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]
        assert len(statements) == 1, statements.sent  # the token with its stamp
        assert "calendar_token" in statements.sent[0] and "calendar_stamp" in statements.sent[0]

    def test_if_modified_since_answers_304_until_the_next_change(self, client, member, desks,
                                                                 monkeypatch, frozen):
        path = feed_path(member)
        first = fetch(client, path)
        frozen.set("2027-03-01T09:00:00+01:00")
        since = {"If-Modified-Since": first.headers["Last-Modified"]}
        with monkeypatch.context() as patched:
            patched.setattr(feeds, "build", lambda *_a: pytest.fail("the feed was built"))
            assert fetch(client, path, **since).status_code == 304
        book(member, desks[1], day="2027-03-04")
        changed = fetch(client, path, **since)
        assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
        assert fetch(client, path, **{"If-None-Match": first.headers["ETag"]}).status_code == 200

    def test_if_none_match_decides_over_if_modified_since(self, client, member):
        path = feed_path(member)
        first = fetch(client, path)
        answer = fetch(client, path, **{"If-None-Match": '"other"',
                                        "If-Modified-Since": first.headers["Last-Modified"]})
        assert answer.status_code == 200

    def test_two_changes_within_one_second_differ_in_last_modified(self, client, member, desks):
        path = feed_path(member)
        first = fetch(client, path)
        book(member, desks[1], day="2027-03-04")  # the frozen clock has not moved
        second = fetch(client, path, **{"If-Modified-Since": first.headers["Last-Modified"]})
        assert second.status_code == 200
        assert second.headers["Last-Modified"] != first.headers["Last-Modified"]

    def test_the_next_day_is_a_new_feed(self, client, member, frozen):
        path = feed_path(member)
        first = fetch(client, path)
        frozen.set("2027-03-02T00:00:01+01:00")
        later = fetch(client, path, **{"If-None-Match": first.headers["ETag"],
                                       "If-Modified-Since": first.headers["Last-Modified"]})
        assert later.status_code == 200 and later.headers["ETag"] != first.headers["ETag"]
        assert fetch(client, path, **{"If-Modified-Since": first.headers["Last-Modified"]}
                     ).status_code == 200


def test_a_change_stamps_the_members_and_the_spaces_feed_in_its_transaction(space, desks,
                                                                            make_user, frozen):
    member = make_user()
    booking = book(member, desks[0])
    db.session.commit()
    stamps = {(s.scope, s.owner_id): s.changed for s in db.session.scalars(select(CalendarStamp))}
    now = int(datetime(2027, 3, 1, 6, tzinfo=UTC).timestamp())
    assert stamps[("member", member.id)] >= now and stamps[("space", space.id)] >= now
    db.session.execute(delete(CalendarStamp))
    db.session.commit()
    with pytest.raises(RuleViolation):  # a booking refused stamps nothing
        book(member, desks[1], start="09:15")
    assert db.session.scalars(select(CalendarStamp)).all() == []
    service.cancel(member, booking.id)
    assert {(s.scope, s.owner_id) for s in db.session.scalars(select(CalendarStamp))} == {
        ("member", member.id), ("space", space.id)}


@pytest.mark.parametrize("host_feed", [False, True])
def test_a_feed_costs_the_same_statements_for_1_or_20_bookings(client, space, desks, make_user,
                                                               frozen, host_feed):
    host = make_user(role="host", space=space)
    members = [make_user() for _ in range(3)]
    book(members[0], desks[0])
    path = feed_path(host, space) if host_feed else feed_path(members[0])

    def statements():
        with Statements() as sent:
            assert fetch(client, path).status_code == 200
        return len(sent)

    few = statements()
    for day in range(3, 23):
        for member, desk in zip(members, desks):
            book(member, desk, day=f"2027-03-{day:02d}")
    parsed = parse(fetch(client, path).data)
    assert len(parsed.events) == (61 if host_feed else 21)
    # A member's feed reads the events they registered for too: one statement more.
    assert statements() == few == 3


def test_a_hosts_feed_shows_every_booking_of_the_space_with_names(client, space, desks,
                                                                  make_user, make_space):
    host = make_user(role="host", space=space)
    jana, ben = make_user(name="Jana Example"), make_user(name="Ben Beispiel")
    first, second = book(jana, desks[0]), book(ben, desks[1])
    other_space = make_space(desks=1, rooms=0)
    from tests.factories import resources_of

    elsewhere = book(jana, resources_of(other_space)[0], day="2027-03-03")
    parsed = parse(fetch(client, feed_path(host, space)).data)
    assert str(parsed.ical["X-WR-CALNAME"]) == f"Buchungen: {space.name}"
    assert {str(e["UID"]).split("@")[0] for e in parsed.events} == {
        f"booking-{first.id}", f"booking-{second.id}"}
    assert "Jana Example" in str(parsed.event(first.id)["SUMMARY"])
    assert "Ben Beispiel" in str(parsed.event(second.id)["DESCRIPTION"])
    assert str(parsed.event(first.id)["URL"]).endswith(f"/spaces/{space.slug}?date=2027-03-02")
    assert f"booking-{elsewhere.id}" not in parsed.text


def test_a_host_gets_no_feed_of_another_space_and_loses_theirs_with_the_role(
        client, space, desks, make_user, make_space):
    host = make_user(role="host", space=space)
    other_space = make_space(desks=1, rooms=0)
    with pytest.raises(Forbidden):
        tokens.token_for(host, other_space)
    with pytest.raises(Forbidden):
        tokens.rotate(host, other_space)
    path = feed_path(host, space)
    assert fetch(client, path).status_code == 200
    db.session.execute(delete(UserRole).where(UserRole.user_id == host.id,
                                              UserRole.role == "host"))
    db.session.commit()
    assert fetch(client, path).status_code == 404


def test_an_admin_may_have_every_spaces_feed(client, space, desks, make_user):
    admin = make_user(role="admin")
    book(make_user(name="Jana Example"), desks[0])
    assert "Jana Example" in fetch(client, feed_path(admin, space)).get_data(as_text=True)
