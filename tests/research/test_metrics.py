"""The figures of the small fixed world (tests/research/conftest.py), computed by hand.

Monday 22 to Monday 29 March 2027: Good Friday (26th), Easter Sunday (28th, Brandenburg) and
Easter Monday (29th) are closed; the clocks go forward in the night to the 28th. Two desks
open 08:00–18:00 make 20 open desk hours a day, 100 in the five open days.
"""
from datetime import date

import pytest

from coworking.research import calendar, stats


@pytest.fixture
def figures(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1

    def rows(granularity, first=date(2027, 3, 22), last=date(2027, 3, 29)):
        scope = calendar.scope(first, last)
        return {row["period_start"]: row for row in stats.space_metrics(scope)[granularity]}

    return rows


def test_a_day_of_bookings_visits_and_a_no_show(figures):
    monday = figures("day")["2027-03-22"]
    assert monday == {
        "space": "pendlerhafen", "granularity": "day", "period_start": "2027-03-22",
        "period_end": "2027-03-22",
        "open_desk_hours": 20.0,
        "booked_desk_hours": 6.0,       # 2 h kept of 3 (left at 11:00) + 4 h confirmed
        "occupancy_rate": 0.3,
        "visits": 1, "visit_hours": 2.0, "utilisation": 0.1,
        "unique_members": 3,             # u1 visited, u2 booked, u3 did not come
        "new_members": 1,
        "bookings": 3, "cancellations": 0, "mean_cancellation_lead_hours": None,
        "no_shows": 1, "no_show_rate": 0.3333,
        "median_visit_hours": 2.0,
        "suppressed": False,
    }


def test_a_cancellation_a_day_ahead_and_a_walk_in(figures):
    tuesday = figures("day")["2027-03-23"]
    assert (tuesday["bookings"], tuesday["cancellations"]) == (1, 1)
    assert tuesday["mean_cancellation_lead_hours"] == 24.0
    assert tuesday["booked_desk_hours"] == 0.0 and tuesday["occupancy_rate"] == 0.0
    assert (tuesday["visits"], tuesday["visit_hours"], tuesday["unique_members"]) == (1, 1.5, 2)


def test_a_payment_hold_that_ran_out_is_no_booking_and_no_member(figures):
    # u5's hold on Wednesday leaves the day resting on nobody: published as nothing
    # happened, not as withheld.
    wednesday = figures("day")["2027-03-24"]
    assert not wednesday["suppressed"]
    assert (wednesday["bookings"], wednesday["unique_members"], wednesday["visits"]) == (0, 0, 0)
    assert wednesday["occupancy_rate"] == 0.0
    week = figures("week")["2027-03-22"]
    assert (week["bookings"], week["unique_members"]) == (4, 4)  # u1–u4, not u5


def test_holidays_are_closed_and_a_visit_after_midnight_in_summer_time_is_that_days(figures):
    days = figures("day")
    assert [days[f"2027-03-{d}"]["open_desk_hours"] for d in range(22, 30)] == \
        [20.0, 20.0, 20.0, 20.0, 0.0, 20.0, 0.0, 0.0]
    # 00:30 on Monday 29th (summer time) is 22:30 UTC on Sunday: the local day counts.
    assert days["2027-03-29"]["visits"] == 1 and days["2027-03-29"]["visit_hours"] == 1.0
    # Nobody on Sunday: zeros, not withheld.
    assert not days["2027-03-28"]["suppressed"] and days["2027-03-28"]["visits"] == 0
    # 23:00 on Saturday (winter time) is 22:00 UTC on Saturday: Saturday's.
    assert days["2027-03-27"]["visits"] == 1
    assert days["2027-03-29"]["occupancy_rate"] is None  # nothing was open


def test_the_week_and_the_month(figures):
    week = figures("week")["2027-03-22"]
    assert week["period_end"] == "2027-03-28"
    assert (week["open_desk_hours"], week["booked_desk_hours"], week["occupancy_rate"]) == \
        (100.0, 6.0, 0.06)
    assert (week["visits"], week["visit_hours"], week["utilisation"]) == (3, 4.25, 0.0425)
    assert (week["unique_members"], week["new_members"]) == (4, 3)
    assert (week["bookings"], week["cancellations"], week["no_shows"]) == (4, 1, 1)
    assert week["no_show_rate"] == 0.3333  # 1 of the 3 bookings not cancelled
    assert week["median_visit_hours"] == 1.5  # of 0.75, 1.5 and 2 hours
    following = figures("week", date(2027, 3, 29), date(2027, 4, 4))["2027-03-29"]
    assert (following["period_end"], following["visits"], following["new_members"]) == \
        ("2027-04-04", 2, 1)  # u1 on the 29th, u3 for the first time on the 30th
    month = figures("month", date(2027, 3, 1), date(2027, 3, 31))["2027-03-01"]
    assert month["period_end"] == "2027-03-31"
    assert (month["visits"], month["visit_hours"], month["unique_members"]) == (5, 5.25, 4)
    assert month["median_visit_hours"] == 1.25  # of 0.75, 1, 1.5 and 2 hours


def test_a_range_publishes_only_the_periods_it_holds_whole(figures):
    # The 22nd to the 29th holds one whole week and no whole month: a period it would cut
    # is left out, not published under the label of its first day.
    assert list(figures("week")) == ["2027-03-22"]
    assert figures("month") == {}
    assert list(figures("day")) == [f"2027-03-{d}" for d in range(22, 30)]


def test_a_visit_still_under_way_counts_as_a_visit_without_hours(figures):
    day = figures("day", date(2027, 3, 30), date(2027, 3, 30))["2027-03-30"]
    assert (day["visits"], day["visit_hours"], day["median_visit_hours"]) == (1, 0.0, None)


def test_presence_by_weekday_and_hour(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    cells = {(c["weekday"], c["hour"]): c["mean_present"]
             for c in stats.presence(calendar.scope(date(2027, 3, 22), date(2027, 3, 29)))}
    # Two Mondays in the range: u1's 09:00–11:00 averages to half a person per hour.
    assert cells == {(0, 9): 0.5, (0, 10): 0.5, (0, 0): 0.25, (0, 1): 0.25,
                     (1, 13): 1.0, (1, 14): 0.5, (5, 23): 0.75}
