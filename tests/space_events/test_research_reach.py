"""Research counts events held and people reached per town and month, suppressing a month
that rests on fewer than RESEARCH_MIN_CELL people; the data package carries it."""
import io
import zipfile
from datetime import date, datetime

from flask import current_app

from coworking.research import calendar, event_reach
from coworking.space_events.registrations import check_in, register_member
from coworking.space_events.service import create_event


def _event_with_attendees(space, host, make_user, attendees, day="2027-03-02"):
    event = create_event(host, space.slug, "Stammtisch", "",
                         datetime.fromisoformat(f"{day}T16:00:00+01:00"),
                         datetime.fromisoformat(f"{day}T18:00:00+01:00"), 20, "public")
    for _ in range(attendees):
        registration, _new = register_member(make_user(), event.id)
        check_in(host, registration.id)
    return event


def test_events_and_people_reached_per_town_and_month_under_disclosure_control(
        make_space, make_user, frozen):
    busy, quiet = make_space(), make_space()
    busy_host = make_user(role="host", space=busy)
    quiet_host = make_user(role="host", space=quiet)
    minimum = current_app.config["RESEARCH_MIN_CELL"]
    _event_with_attendees(busy, busy_host, make_user, minimum)
    _event_with_attendees(busy, busy_host, make_user, 1, day="2027-03-03")
    _event_with_attendees(quiet, quiet_host, make_user, minimum - 1)
    rows = event_reach.rows(calendar.scope(date(2027, 3, 1), date(2027, 3, 31)))
    by_town = {row["town"]: row for row in rows}
    assert by_town[busy.town.name] == {"town": busy.town.name, "month": "2027-03",
                                       "events_held": 2, "people_reached": minimum + 1,
                                       "suppressed": False}
    assert by_town[quiet.town.name] == {"town": quiet.town.name, "month": "2027-03",
                                        "events_held": None, "people_reached": None,
                                        "suppressed": True}


def test_the_data_package_carries_the_event_reach(make_space, make_user, frozen, api):
    space = make_space()
    host = make_user(role="host", space=space)
    _event_with_attendees(space, host, make_user, current_app.config["RESEARCH_MIN_CELL"])
    researcher = api(role="researcher")
    response = researcher.get("/api/v1/research/export?from=2027-03-01&to=2027-03-31")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    table = archive.read("event_reach.csv").decode()
    assert table.splitlines()[0] == "town,month,events_held,people_reached,suppressed"
    assert f"{space.town.name},2027-03,1,{current_app.config['RESEARCH_MIN_CELL']}" in table
