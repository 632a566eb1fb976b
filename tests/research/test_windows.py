"""Windows of whole periods: a suppressed day cannot be recovered by subtracting the figures
of some windows from those of others, whichever granularity, surface or dates are asked."""
import csv
import io
import zipfile
from datetime import date, timedelta

import pytest

from coworking.bookings.models import BookingStatus
from coworking.extensions import db
from tests.factories import resources_of
from tests.research.conftest import add_booking, add_visit, at

STATS = "/api/v1/research/stats"
EXPORT = "/api/v1/research/export"
APRIL = [date(2027, 4, 1) + timedelta(days=n) for n in range(30)]
SMALL_DAY = date(2027, 4, 14)
# What the one member did on the small day: 4 bookings, 4 visits of 2 hours.
SMALL_DAY_FIGURES = {"bookings": 4, "visits": 4, "visit_hours": 8.0}


@pytest.fixture
def small_day(app, make_space, make_user):
    """April 2027: two regulars book and come every day but the 14th, when one member alone
    books four times and comes four times."""
    app.config["RESEARCH_MIN_CELL"] = 2
    space = make_space(slug="dorfmitte", desks=2, rooms=0)
    desks = resources_of(space)
    regulars = [make_user(email=f"regular{n}@example.org", covered=False) for n in (1, 2)]
    alone = make_user(email="alone@example.org", covered=False)
    for day in APRIL:
        if day == SMALL_DAY:
            for hour in (8, 10, 12, 14):
                came, left = f"{day}T{hour:02d}:00:00+02:00", f"{day}T{hour + 2:02d}:00:00+02:00"
                came_and_went(alone, desks[0], came, left)
        else:
            for member, desk in zip(regulars, desks):
                came_and_went(member, desk, f"{day}T09:00:00+02:00", f"{day}T12:00:00+02:00")
    db.session.commit()
    return space


def came_and_went(member, desk, came, left):
    booking = add_booking(member, desk, came, left, BookingStatus.COMPLETED,
                          confirmed_at=at("2027-03-31T08:00:00+02:00"),
                          checked_in_at=at(came), completed_at=at(left))
    add_visit(member, desk.space, came, left, booking)


@pytest.fixture
def researcher(api, small_day):
    return api(role="researcher", covered=False)


def rows(researcher, first, last, granularity):
    answer = researcher.get(STATS, query_string={"from": first.isoformat(),
                                                 "to": last.isoformat(),
                                                 "granularity": granularity})
    assert answer.status_code == 200, answer.json
    return answer.json["rows"]


def test_the_month_and_the_days_around_a_suppressed_day_give_nothing_away(researcher):
    (day,) = rows(researcher, SMALL_DAY, SMALL_DAY, "day")
    assert day["suppressed"] and day["visits"] is None
    month = rows(researcher, APRIL[0], APRIL[-1], "month")
    before = rows(researcher, APRIL[0], SMALL_DAY - timedelta(days=1), "month")
    after = rows(researcher, SMALL_DAY + timedelta(days=1), APRIL[-1], "month")
    # Each window is widened to the whole month, and says so.
    assert before == month == after
    (whole,) = month
    assert not whole["suppressed"]
    assert (whole["period_start"], whole["period_end"]) == ("2027-04-01", "2027-04-30")
    for figure, value in SMALL_DAY_FIGURES.items():
        assert whole[figure] - before[0][figure] - after[0][figure] != value


def test_weeks_around_a_suppressed_day_are_whole_weeks(researcher):
    before = rows(researcher, date(2027, 4, 12), SMALL_DAY - timedelta(days=1), "week")
    after = rows(researcher, SMALL_DAY + timedelta(days=1), date(2027, 4, 18), "week")
    assert before == after
    assert [(r["period_start"], r["period_end"]) for r in before] == \
        [("2027-04-12", "2027-04-18")]


def test_days_asked_one_at_a_time_hide_what_the_month_hides(researcher):
    (month,) = rows(researcher, APRIL[0], APRIL[-1], "month")
    shown = {}
    for day in APRIL:
        (row,) = rows(researcher, day, day, "day")
        if not row["suppressed"]:
            shown[day] = row
    # The small day alone in its month and week would be the difference: another goes too.
    assert SMALL_DAY not in shown and len(shown) <= len(APRIL) - 2
    for figure, value in SMALL_DAY_FIGURES.items():
        assert month[figure] - sum(row[figure] for row in shown.values()) != value


def test_the_data_package_covers_whole_months(researcher, app):
    answer = researcher.get(EXPORT, query_string={"from": "2027-04-01", "to": "2027-04-13"})
    assert answer.status_code == 200
    assert 'filename="coworking-research-2027-04-01-2027-04-30.zip"' in \
        answer.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    metrics = list(csv.DictReader(io.StringIO(archive.read("space_metrics.csv").decode())))
    months = [(r["period_start"], r["period_end"]) for r in metrics if r["granularity"] == "month"]
    assert months == [("2027-04-01", "2027-04-30")]
    # Weeks that run into March or May are left out, not cut.
    weeks = [r["period_start"] for r in metrics if r["granularity"] == "week"]
    assert weeks == ["2027-04-05", "2027-04-12", "2027-04-19"]
    assert "2027-04-01 to 2027-04-30" in archive.read("codebook.md").decode()


def test_the_dashboard_shows_whole_months(client, login, make_user, small_day):
    user = make_user(role="researcher", covered=False)
    login(user.email)
    html = client.get("/research?from=2027-04-10&to=2027-04-20").get_data(as_text=True)
    assert 'value="2027-04-01"' in html and 'value="2027-04-30"' in html
    assert 'href="/research/export?from=2027-04-01&amp;to=2027-04-30"' in html
