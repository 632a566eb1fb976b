"""Series bookings: a member previews the same time on chosen weekdays for some weeks, sees
which dates are free, closed, taken or theirs, books the free ones in one go (each covered
like a single booking) and cancels the series as a whole or date by date."""
import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event, func, select
from werkzeug.datastructures import MultiDict

from coworking.bookings import series
from coworking.bookings.models import Booking
from coworking.bookings.service import book
from coworking.errors import PaymentRequired
from coworking.extensions import db
from coworking.memberships.models import CoverUse, CreditEntry, credit_balance
from coworking.spaces.models import Closure
from tests.factories import csrf_token, give_membership, make_plan, resources_of

TUE, THU = 1, 3
NINE, FIVE = time(9), time(17)


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=2, rooms=0)


def at(space, day, hour):
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=space.zone)


def fill_all_desks(space, make_user, day):
    for desk in resources_of(space):
        book(make_user(), desk.id, at(space, day, 12), at(space, day, 13))


def close(space, day, reason="Betriebsausflug"):
    db.session.add(Closure(space_id=space.id, start_date=date.fromisoformat(day),
                           end_date=date.fromisoformat(day), reason=reason))
    db.session.commit()


def states(dates):
    return [(d.day.isoformat(), d.state) for d in dates]


def query(weekdays=(TUE, THU), start="09:00", end="17:00", first_day="2027-03-02", weeks=2,
          kind="hot_desk"):
    return {"kind": kind, "weekdays": [str(d) for d in weekdays], "start_time": start,
            "end_time": end, "first_day": first_day, "weeks": str(weeks)}


@pytest.fixture
def count_statements():
    statements = []

    def record(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


# -- The preview -------------------------------------------------------------------------------

def test_the_preview_marks_a_closed_and_a_taken_date(space, make_user):
    member = make_user()
    close(space, "2027-03-04")
    fill_all_desks(space, make_user, "2027-03-09")
    preview = series.preview_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                    date(2027, 3, 2), 2)
    assert states(preview) == [("2027-03-02", "free"), ("2027-03-04", "closed"),
                               ("2027-03-09", "taken"), ("2027-03-11", "free")]
    assert preview[1].reason == "Betriebsausflug"
    desks = resources_of(space)
    assert [d.resource for d in preview if d.state == "free"] == [desks[0], desks[0]]


def test_the_preview_prefers_the_desk_the_member_had_last(space, make_user):
    member = make_user()
    desks = resources_of(space)
    book(member, desks[1].id, at(space, "2027-03-01", 9), at(space, "2027-03-01", 10))
    preview = series.preview_series(member, space, "hot_desk", [TUE], NINE, FIVE,
                                    date(2027, 3, 2), 3)
    assert {d.resource.id for d in preview} == {desks[1].id}


def test_dates_already_yours_past_and_beyond_the_horizon(make_space, make_user, frozen):
    space = make_space(desks=2, rooms=0, horizon_days=14)
    member = make_user()
    book(member, resources_of(space)[1].id, at(space, "2027-03-03", 10),
         at(space, "2027-03-03", 11))
    frozen.set("2027-03-01T10:00:00+01:00")
    preview = series.preview_series(member, space, "hot_desk", [0, 2], NINE, FIVE,
                                    date(2027, 3, 1), 3)
    assert states(preview) == [("2027-03-01", "past"), ("2027-03-03", "yours"),
                               ("2027-03-08", "free"), ("2027-03-10", "free"),
                               ("2027-03-15", "free"), ("2027-03-17", "beyond")]


def test_nine_stays_nine_local_across_the_change_to_summer_time(space, make_user):
    member = make_user()
    result = series.book_series(member, space, "hot_desk", [TUE], NINE, FIVE,
                                date(2027, 3, 23), 2)
    starts = [b.start_at for b in result.series.bookings]
    assert [s.astimezone(space.zone).isoformat() for s in starts] == [
        "2027-03-23T09:00:00+01:00", "2027-03-30T09:00:00+02:00"]
    assert [s.hour for s in starts] == [8, 7]  # UTC


def test_the_preview_reads_the_same_few_statements_for_one_week_or_twelve(
        space, make_user, count_statements):
    member = make_user()
    fill_all_desks(space, make_user, "2027-03-09")
    counts = []
    for weeks in (1, 12):
        args = (member, space, "hot_desk", list(range(7)), NINE, FIVE, date(2027, 3, 2), weeks)
        series.preview_series(*args)  # the space, its hours and the member are loaded
        count_statements.clear()
        series.preview_series(*args)
        counts.append(len(count_statements))
    # Resources, closures, bookings (availability); closures, the member's bookings, the
    # member's last desk; the memberships, their cover uses and credits: nine, for 1 date or 84.
    assert counts == [9, 9], counts


@pytest.mark.parametrize("change, field", [
    ({"weeks": 13}, "weeks"),
    ({"weeks": 0}, "weeks"),
    ({"weekdays": []}, "weekdays"),
    ({"weekdays": [7]}, "weekdays"),
    ({"end_time": time(9)}, "end_time"),
    ({"kind": "fixed_desk"}, "kind"),
    ({"first_day": date(2027, 2, 28)}, "first_day"),
])
def test_a_series_out_of_shape_names_its_field(space, make_user, change, field):
    values = {"kind": "hot_desk", "weekdays": [TUE], "start_time": NINE, "end_time": FIVE,
              "first_day": date(2027, 3, 2), "weeks": 4} | change
    with pytest.raises(series.InvalidInput) as error:
        series.preview_series(make_user(), space, **values)
    assert error.value.field == field


# -- What pays for each date ------------------------------------------------------------------

def planned(preview):
    """(date, membership id or None, nth, of) of each free date of a preview."""
    return [(d.day.isoformat(), d.cover.membership and d.cover.membership.id, d.cover.nth,
             d.cover.of) for d in preview if d.state == "free"]


def recorded(result):
    """(date, membership id or None) as booking the series recorded it: the cover use of each
    booked date, None for a date not covered."""
    uses = dict(db.session.execute(select(CoverUse.booking_id, CoverUse.membership_id).where(
        CoverUse.booking_id.in_([d.booking.id for d in result.booked]))).all())
    return [(d.day.isoformat(), uses[d.booking.id] if d.state == "booked" else None)
            for d in result.dates if d.state in ("booked", "not_covered")]


def book_and_compare(member, space, *args):
    """The preview's cover, then what booking the same series records: they must agree."""
    preview = series.preview_series(member, space, "hot_desk", *args)
    result = series.book_series(member, space, "hot_desk", *args)
    assert [(day, membership) for day, membership, _n, _of in planned(preview)] == \
        recorded(result)
    return preview, result


def test_a_card_that_runs_out_mid_series_covers_its_days_and_then_nothing(space, make_user):
    member = make_user(covered=False)
    card = give_membership(member, kind="multi_pass", credits=10, spaces=[space])
    book(member, resources_of(space)[0].id, at(space, "2027-03-01", 12),
         at(space, "2027-03-01", 13))  # day 1 of 10, before the series
    db.session.execute(CreditEntry.__table__.insert().values(
        membership_id=card.id, delta=-6, reason="test", created_at=datetime.now(UTC)))
    db.session.commit()  # three credits left
    preview, result = book_and_compare(member, space, [TUE, THU], NINE, FIVE,
                                       date(2027, 3, 2), 4)
    assert planned(preview) == [
        ("2027-03-02", card.id, 8, 10), ("2027-03-04", card.id, 9, 10),
        ("2027-03-09", card.id, 10, 10)] + [
        (day, None, None, None) for day in ("2027-03-11", "2027-03-16", "2027-03-18",
                                            "2027-03-23", "2027-03-25")]
    assert len(result.booked) == 3 and credit_balance(card.id) == 0


def test_a_monthly_quota_fills_up_then_a_card_takes_over_until_the_new_month(
        space, make_user):
    member = make_user(covered=False)
    monthly = give_membership(member, kind="monthly", price_cents=9900, days_per_month=3,
                              spaces=[space])
    card = give_membership(member, kind="multi_pass", credits=10, spaces=[space])
    book(member, resources_of(space)[0].id, at(space, "2027-03-10", 9),
         at(space, "2027-03-10", 10))  # the quota's first March day
    preview, _result = book_and_compare(member, space, [TUE, THU], NINE, FIVE,
                                        date(2027, 3, 23), 2)
    # The quota pays first (it costs nothing more), the card only what the quota cannot.
    assert planned(preview) == [("2027-03-23", monthly.id, 2, 3),
                                ("2027-03-25", monthly.id, 3, 3),
                                ("2027-03-30", card.id, 1, 10),
                                ("2027-04-01", monthly.id, 1, 3)]
    assert credit_balance(card.id) == 9


def test_without_any_cover_every_date_needs_a_day_pass_and_booking_refuses(space, make_user):
    member = make_user(covered=False)
    day_pass = make_plan(name="Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    preview = series.preview_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                    date(2027, 3, 2), 2)
    assert [membership for _day, membership, _n, _of in planned(preview)] == [None] * 4
    summary = series.cover_summary(space, preview)
    assert (summary.covered, len(summary.uncovered), summary.day_pass) == ([], 4, day_pass)
    with pytest.raises(PaymentRequired):
        series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                           date(2027, 3, 2), 2)


def test_the_preview_writes_nothing(space, make_user, count_statements):
    member = make_user(covered=False)
    card = give_membership(member, kind="multi_pass", credits=2, spaces=[space])
    count_statements.clear()
    series.preview_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                          date(2027, 3, 2), 2)
    assert all(statement.lstrip().upper().startswith("SELECT")
               for statement in count_statements), count_statements
    assert credit_balance(card.id) == 2
    assert db.session.scalar(select(func.count()).select_from(CoverUse)) == 0


# -- Booking in one go ------------------------------------------------------------------------

def test_the_free_dates_are_booked_in_one_go_each_with_its_cover(space, make_user):
    member = make_user(covered=False)
    card = give_membership(member, kind="multi_pass", credits=10, spaces=[space])
    close(space, "2027-03-04")
    fill_all_desks(space, make_user, "2027-03-09")
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 4)
    assert states(result.booked) == [(d, "booked") for d in (
        "2027-03-02", "2027-03-11", "2027-03-16", "2027-03-18", "2027-03-23", "2027-03-25")]
    assert states(result.skipped) == [("2027-03-04", "closed"), ("2027-03-09", "taken")]
    bookings = result.series.bookings
    assert [b.status for b in bookings] == ["confirmed"] * 6
    assert {b.membership_id for b in bookings} == {card.id}
    assert {b.source for b in bookings} == {"series"}
    assert db.session.scalar(select(func.count()).select_from(CoverUse).where(
        CoverUse.booking_id.in_([b.id for b in bookings]))) == 6
    assert credit_balance(card.id) == 4


def test_a_pass_that_runs_out_books_what_it_covers_and_reports_the_rest(space, make_user):
    member = make_user(covered=False)
    card = give_membership(member, kind="multi_pass", credits=3, spaces=[space])
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 4)
    assert [d.day.isoformat() for d in result.booked] == [
        "2027-03-02", "2027-03-04", "2027-03-09"]
    assert [d.state for d in result.skipped] == ["not_covered"] * 5
    assert credit_balance(card.id) == 0


def test_without_any_cover_it_is_payment_required_with_the_offers(space, make_user):
    member = make_user(covered=False)
    plan = make_plan(kind="monthly", price_cents=9900, spaces=[space])
    with pytest.raises(PaymentRequired) as error:
        series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                           date(2027, 3, 2), 2)
    assert [offer["plan_id"] for offer in error.value.offers] == [plan.id]
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    assert db.session.scalar(select(func.count()).select_from(series.BookingSeries)) == 0


def test_a_date_taken_after_the_preview_is_reported_and_the_others_booked(space, make_user):
    member = make_user()
    preview = series.preview_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                    date(2027, 3, 2), 2)
    assert {d.state for d in preview} == {"free"}
    fill_all_desks(space, make_user, "2027-03-04")  # someone was quicker
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 2)
    assert states(result.dates) == [("2027-03-02", "booked"), ("2027-03-04", "taken"),
                                    ("2027-03-09", "booked"), ("2027-03-11", "booked")]


def test_a_date_lost_inside_the_unit_is_reported_not_fatal(space, make_user, monkeypatch):
    """The database decides the race: a desk taken between the series' own read and its
    insert is a lost date, rolled back to its savepoint alone."""
    member = make_user()
    others = iter([make_user(), make_user()])
    real = series.preview_series

    def stale_preview(*args, **kwargs):
        preview = real(*args, **kwargs)
        fill_all_desks(space, lambda: next(others), "2027-03-04")  # inside the series' unit
        return preview

    desks = resources_of(space)
    monkeypatch.setattr(series, "preview_series", stale_preview)
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 1)
    assert states(result.dates) == [("2027-03-02", "booked"), ("2027-03-04", "lost")]
    assert result.dates[1].reason
    db.session.commit()
    held = db.session.scalars(select(Booking).where(Booking.resource_id.in_(
        [d.id for d in desks]), Booking.status == "confirmed")).all()
    assert len(held) == 1 + 2  # the member's Tuesday, the others' Thursday: no double booking


def test_a_series_counts_once_against_the_booking_rate(app, space, make_user):
    app.config["RATELIMIT_BOOKINGS_PER_MEMBER"] = "3 per 10 minutes"
    result = series.book_series(make_user(), space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 4)
    assert len(result.booked) == 8


# -- Cancelling --------------------------------------------------------------------------------

def test_cancelling_the_series_cancels_only_what_has_not_begun(space, make_user, frozen):
    member = make_user(covered=False)
    card = give_membership(member, kind="multi_pass", credits=10, spaces=[space])
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 2)
    frozen.set("2027-03-04T08:00:00+01:00")  # Tuesday begun; Thursday past its deadline
    cancelled, kept = series.cancel_series(member, result.series.id)
    assert [b.start_at.astimezone(space.zone).day for b in cancelled] == [9, 11]
    assert [b.start_at.astimezone(space.zone).day for b, _why in kept] == [4]
    statuses = [b.status for b in series.own_series(member, result.series.id).bookings]
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]
    assert credit_balance(card.id) == 10 - 4 + 2  # credits back for the two in time
    again, _kept = series.cancel_series(member, result.series.id)
    assert again == []


def test_a_single_date_is_cancelled_like_any_booking(space, make_user, client, login):
    member = make_user()
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 1)
    first = result.series.bookings[0]
    login(member.email)
    response = client.post(f"/bookings/{first.id}/cancel",
                           data={"csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 302
    assert [b.status for b in series.own_series(member, result.series.id).bookings] == [
        "cancelled", "confirmed"]


def test_another_members_series_is_not_found(space, make_user, client, login):
    result = series.book_series(make_user(), space, "hot_desk", [TUE], NINE, FIVE,
                                date(2027, 3, 2), 1)
    other = make_user()
    login(other.email)
    response = client.post(f"/series/{result.series.id}/cancel",
                           data={"csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 404
    assert response.status_code == client.post(
        "/series/99999/cancel", data={"csrf_token": csrf_token(client, "/bookings")}).status_code
    db.session.commit()
    assert {b.status for b in result.series.bookings} == {"confirmed"}


# -- The pages ---------------------------------------------------------------------------------

def test_the_page_previews_books_and_groups_the_series_under_my_bookings(
        space, make_user, client, login):
    member = make_user()
    close(space, "2027-03-04", reason="Inventur")
    fill_all_desks(space, make_user, "2027-03-09")
    login(member.email)
    assert 'href="/spaces/%s/series"' % space.slug in client.get(
        f"/spaces/{space.slug}").get_data(as_text=True)
    page = client.get(f"/spaces/{space.slug}/series", query_string=query())
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    found = dict(re.findall(r'data-date="([\d-]+)" data-state="(\w+)"', html))
    assert found == {"2027-03-02": "free", "2027-03-04": "closed", "2027-03-09": "taken",
                     "2027-03-11": "free"}
    assert "Inventur" in html and "2 freie Termine buchen" in html
    # Each date with its year: a series of twelve weeks may run into the next one.
    assert "<td>Di. 2.3.2027</td>" in html and "<td>Do. 11.3.2027</td>" in html

    form = html[html.index('<form method="post" action="/spaces/'):]
    form = form[:form.index("</form>")]
    sent = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    assert {name for name, _value in sent} == {"csrf_token", *query()}
    booked = client.post(f"/spaces/{space.slug}/series", data=MultiDict(sent))
    assert booked.status_code == 200
    result = booked.get_data(as_text=True)
    assert "2 Termine gebucht" in result
    assert re.findall(r'data-date="([\d-]+)" data-state="booked"', result) == [
        "2027-03-02", "2027-03-11"]

    mine = client.get("/bookings").get_data(as_text=True)
    section = mine[mine.index('<section class="series"'):]
    assert section.count('class="booking confirmed"') == 2
    assert "Ganze Serie stornieren" in section


def test_the_page_says_what_pays_for_each_date_and_sums_it_up(space, make_user, client,
                                                              login):
    member = make_user(covered=False)
    card = give_membership(member, make_plan("10er-Karte", spaces=[space],
                                             name_en="10-day card"))
    make_plan("Tagespass", kind="day_pass", price_cents=1500, spaces=[space])
    login(member.email)
    ask = query(weeks=4)
    html = client.get(f"/spaces/{space.slug}/series", query_string=ask).get_data(as_text=True)
    assert "8 freie Termine: 8 über „10er-Karte“." in " ".join(html.split())
    assert "10er-Karte, Tag 1 von 10" in html and "10er-Karte, Tag 8 von 10" in html
    assert "8 freie Termine buchen" in html

    db.session.execute(CreditEntry.__table__.insert().values(
        membership_id=card.id, delta=-4, reason="test", created_at=datetime.now(UTC)))
    db.session.commit()  # six credits left for eight dates
    html = client.get(f"/spaces/{space.slug}/series", query_string=ask).get_data(as_text=True)
    text = " ".join(html.split())
    assert ("8 freie Termine: 6 über „10er-Karte“, 2 nicht abgedeckt (ein Tagespass kostet je "
            "15,00 €).") in text  # split() also splits at the no-break space
    assert "nicht abgedeckt: ein Tagespass kostet 15,00\xa0€" in html
    assert "werden mit der Serie nicht gebucht" in html
    assert "6 freie Termine buchen" in html  # the covered ones

    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})
    html = client.get(f"/spaces/{space.slug}/series", query_string=ask).get_data(as_text=True)
    text = " ".join(html.split())
    assert ("8 free dates: 6 with 10-day card, 2 not covered (a day pass costs €15.00 each)."
            in text)
    assert "10-day card, day 5 of 10" in html


def test_too_many_weeks_and_a_past_first_date_are_form_errors(space, make_user, client, login):
    login(make_user().email)
    too_long = client.get(f"/spaces/{space.slug}/series", query_string=query(weeks=13))
    assert too_long.status_code == 422
    assert 'id="weeks-error"' in too_long.get_data(as_text=True)
    past = client.get(f"/spaces/{space.slug}/series",
                      query_string=query(first_day="2027-02-22"))
    assert past.status_code == 422
    assert "Vergangenheit" in past.get_data(as_text=True)
    for bad in (query(weeks="many"), query(start="09:10"), query(weekdays=(9,)),
                query(first_day="soon"), query(kind="sofa")):
        assert client.get(f"/spaces/{space.slug}/series", query_string=bad).status_code == 422


def test_without_cover_the_page_shows_the_offers(space, make_user, client, login):
    member = make_user(covered=False)
    plan = make_plan(name="Monatskarte", kind="monthly", price_cents=9900, spaces=[space])
    login(member.email)
    response = client.post(f"/spaces/{space.slug}/series", data={
        **query(), "csrf_token": csrf_token(client, f"/spaces/{space.slug}/series")})
    assert response.status_code == 402
    assert f'data-plan="{plan.id}"' in response.get_data(as_text=True)


def test_cancelling_the_whole_series_from_my_bookings(space, make_user, client, login):
    member = make_user()
    result = series.book_series(member, space, "hot_desk", [TUE, THU], NINE, FIVE,
                                date(2027, 3, 2), 2)
    login(member.email)
    response = client.post(f"/series/{result.series.id}/cancel",
                           data={"csrf_token": csrf_token(client, "/bookings")})
    assert response.status_code == 302
    db.session.commit()
    assert {b.status for b in series.own_series(member, result.series.id).bookings} == {
        "cancelled"}
    assert "Serie storniert: 4 Termine." in client.get("/bookings").get_data(as_text=True)


def test_the_times_offered_span_only_the_hours_in_force_from_today(space, make_user, client,
                                                                     login):
    """Hours that applied only before today (06:00–22:00) do not widen the lists; a change to
    come (from 07:00) does, since a series may reach into it."""
    from coworking.spaces.models import OpeningHours

    for hours in space.opening_hours:  # the week since the space opened, now long past
        hours.opens, hours.closes = time(6), time(22)
    db.session.add_all([
        OpeningHours(space_id=space.id, effective_from=date(2027, 2, 1), weekday=0,
                     opens=time(8), closes=time(18)),
        OpeningHours(space_id=space.id, effective_from=date(2027, 4, 1), weekday=1,
                     opens=time(7), closes=time(18))])
    db.session.commit()
    login(make_user().email)
    html = client.get(f"/spaces/{space.slug}/series").get_data(as_text=True)
    starts = re.findall(r'<option[^>]*value="(\d\d:\d\d)"', html[html.index('name="start_time"'):
                                                                  html.index('name="end_time"')])
    assert starts[0] == "07:00" and starts[-1] == "17:30"
    assert "06:00" not in html and "21:30" not in html
