"""What applied on a past day stays what applied: research figures of a past month are the
same after a change of hours, a retired desk or a new one; a space has no capacity before
the day it opened."""
from datetime import date

import pytest

from coworking.extensions import db
from coworking.management import hours, resources
from coworking.research import calendar, stats
from tests.factories import resources_of

WEEK = {name: "08:00–18:00" for name in ("monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday")}


def month_rows(first=date(2027, 3, 1), last=date(2027, 3, 31)):
    db.session.expire_all()
    scope = calendar.scope(first, last)
    return stats.space_metrics(scope)


@pytest.fixture
def host(dst_week, make_user):
    return make_user(role="host", space=dst_week.space, name="Hanna Host")


def test_a_past_month_reads_the_same_after_hours_and_desks_change(app, dst_week, host, frozen):
    app.config["RESEARCH_MIN_CELL"] = 1
    frozen.set("2027-04-14T09:00:00+02:00")
    before = month_rows()
    assert before["month"][0]["open_desk_hours"] > 0
    slug = dst_week.space.slug
    # Thursday shorter from today, and everything shorter from May.
    hours.set_opening_hours(host, slug, {**WEEK, "thursday": "08:00–13:00"}, confirmed=None)
    hours.set_opening_hours(host, slug, {**WEEK, "monday": "10:00–12:00"}, confirmed=None,
                            effective_from=date(2027, 5, 3))
    resources.deactivate_resource(host, slug, resources_of(dst_week.space)[0].id,
                                  choice="cancel", confirmed=())
    resources.add_resource(host, slug, resources.ResourceDraft(kind="hot_desk", name="Neu"))
    after = month_rows()
    for b, a in zip(before["day"], after["day"]):
        assert b == a, (b, a)
    assert after == before
    # The day the Thursday changed and after: 5 hours of one desk and the new one.
    april = {row["period_start"]: row for row in
             month_rows(date(2027, 4, 15), date(2027, 4, 15))["day"]}
    assert april["2027-04-15"]["open_desk_hours"] == 10.0


def test_a_day_before_a_space_opened_has_no_capacity(app, dst_week, frozen):
    app.config["RESEARCH_MIN_CELL"] = 1
    dst_week.space.opened_on = date(2027, 3, 24)
    db.session.commit()
    days = {row["period_start"]: row["open_desk_hours"]
            for row in month_rows(date(2027, 3, 22), date(2027, 3, 25))["day"]}
    assert days == {"2027-03-22": 0.0, "2027-03-23": 0.0, "2027-03-24": 20.0,
                    "2027-03-25": 20.0}
