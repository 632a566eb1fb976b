"""A closure's reason in English: hosts may write one beside the German reason (form and API).
English visitors read it wherever the reason is shown (the day, the week, the series
preview, a refused booking, the e-mail about the bookings it hit); without one they read the
German reason, tagged lang="de" and marked "(in German only)". German visitors read German."""
import re

import pytest
from sqlalchemy import select

from coworking.extensions import db
from coworking.spaces.models import Closure
from tests.api.test_api_contract import assert_problem, check
from tests.factories import csrf_token, resources_of
from tests.management.conftest import forget_mail, mails, post_form

CLOSURES = "/api/v1/spaces/{slug}/closures"


def in_english(client):
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})


def close(client, space, **extra):
    response = post_form(client, f"/manage/{space.slug}/closures", {
        "start_date": "2027-03-09", "end_date": "2027-03-09",
        "closure_reason": "Betriebsausflug", **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_host_writes_an_english_reason_and_each_language_reads_its_own(
        client, space, host):
    form = client.get(f"/manage/{space.slug}/closures").get_data(as_text=True)
    assert 'name="closure_reason_en"' in form
    close(client, space, closure_reason_en="Staff outing")
    closure = db.session.scalar(select(Closure).where(Closure.space_id == space.id))
    assert (closure.reason, closure.reason_en) == ("Betriebsausflug", "Staff outing")
    assert "Staff outing" in client.get(f"/manage/{space.slug}/closures").get_data(
        as_text=True)

    day = client.get(f"/spaces/{space.slug}?date=2027-03-09").get_data(as_text=True)
    assert "Geschlossen: Betriebsausflug" in day and "Staff outing" not in day
    in_english(client)
    day = client.get(f"/spaces/{space.slug}?date=2027-03-09").get_data(as_text=True)
    assert "Closed: Staff outing" in day
    assert "Betriebsausflug" not in day and "in German only" not in day
    week = client.get(f"/spaces/{space.slug}?date=2027-03-09&view=week").get_data(as_text=True)
    assert "Closed: Staff outing" in week and "Betriebsausflug" not in week


def test_without_an_english_reason_english_visitors_read_the_german_one_marked(
        client, space, host):
    close(client, space)
    in_english(client)
    day = client.get(f"/spaces/{space.slug}?date=2027-03-09").get_data(as_text=True)
    assert ('Closed: <span lang="de">Betriebsausflug</span> <span class="hint german-only" '
            'lang="en">(in German only)</span>') in day
    week = client.get(f"/spaces/{space.slug}?date=2027-03-09&view=week").get_data(as_text=True)
    assert "Closed: Betriebsausflug (in German only)" in text_of(week)
    series = client.get(f"/spaces/{space.slug}/series", query_string={
        "kind": "hot_desk", "weekdays": ["1"], "start_time": "09:00", "end_time": "17:00",
        "first_day": "2027-03-09", "weeks": "1"}).get_data(as_text=True)
    assert "closed: Betriebsausflug (in German only)" in text_of(series)


@pytest.mark.parametrize("english, shown", [
    ("Staff outing", "Staff outing"), ("", "Betriebsausflug (in German only)")])
def test_a_booking_on_the_closed_day_is_refused_with_the_reason_in_english(
        client, space, host, api, english, shown):
    close(client, space, closure_reason_en=english)
    desk = resources_of(space)[0]
    response = api().post("/api/v1/bookings", json={
        "resource_id": desk.id, "start": "2027-03-09T09:00:00+01:00",
        "end": "2027-03-09T10:00:00+01:00"})
    assert response.status_code == 422
    assert f"({shown})" in response.json["detail"]


def test_the_e_mail_about_a_hit_booking_gives_each_member_the_reason_in_their_language(
        client, space, host, booked, make_user):
    desks = resources_of(space)
    english = make_user(email="emma@example.org", name="Emma")
    german = make_user(email="gerd@example.org", name="Gerd")
    english.language = "en"
    db.session.commit()
    hit = [booked(desks[0], day="2027-03-09", member=english),
           booked(desks[1], day="2027-03-09", member=german)]
    forget_mail()
    form = {"start_date": "2027-03-09", "end_date": "2027-03-09",
            "closure_reason": "Wasserschaden", "closure_reason_en": "Water damage",
            "on_conflict": "cancel"}
    confirm = post_form(client, f"/manage/{space.slug}/closures", form)
    assert confirm.status_code == 200
    response = post_form(client, f"/manage/{space.slug}/closures",
                         {**form, "confirmed": ",".join(str(b.id) for b in hit)})
    assert response.status_code == 302
    by_address = {m["to"]: m["text"] for m in mails()}
    assert "tells you why: Water damage" in by_address["emma@example.org"]
    assert "Wasserschaden" not in by_address["emma@example.org"]
    assert "schreibt dir dazu: Wasserschaden" in by_address["gerd@example.org"]


def test_the_e_mail_marks_the_german_reason_for_english_members(client, space, host, booked,
                                                                make_user):
    member = make_user(email="emma@example.org")
    member.language = "en"
    db.session.commit()
    booked(resources_of(space)[0], day="2027-03-09", member=member)
    token = api_token(make_user, space)
    forget_mail()
    response = client.post(CLOSURES.format(slug=space.slug), headers=token, json={
        "date": "2027-03-09", "reason": "Umzug", "on_conflict": "cancel"})
    assert response.status_code == 201
    (mail,) = mails()
    assert "tells you why: Umzug (in German only)" in mail["text"]


def api_token(make_user, space):
    from coworking.accounts.service import issue_api_token

    host = make_user(email="hanna@example.org", role="host", space=space)
    return {"Authorization": f"Bearer {issue_api_token(host)}", "Accept-Language": "en"}


def test_the_api_takes_an_english_reason_and_refuses_a_bad_one(client, space, make_user):
    token = api_token(make_user, space)
    path = CLOSURES.format(slug=space.slug)
    response = client.post(path, headers=token, json={
        "date": "2027-03-09", "reason": "Inventur", "reason_en": "Stocktaking"})
    check(response, CLOSURES, "post")
    assert response.status_code == 201
    closure = db.session.get(Closure, response.json["id"])
    assert (closure.reason, closure.reason_en) == ("Inventur", "Stocktaking")
    for bad in (5, "x" * 201):
        response = client.post(path, headers=token, json={
            "date": "2027-03-10", "reason": "Inventur", "reason_en": bad})
        assert_problem(response, 422, "reason_en")
