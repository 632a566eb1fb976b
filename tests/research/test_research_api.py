"""The research API: metrics as JSON and the data package, for researchers and admins, with
every bad parameter named in a 422."""
import io
import zipfile

import pytest
from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.extensions import db

STATS = "/api/v1/research/stats"
EXPORT = "/api/v1/research/export"


@pytest.fixture
def researcher(api, app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    return api(role="researcher", covered=False)


def test_monthly_rows_by_default(researcher):
    answer = researcher.get(STATS, query_string={"from": "2027-03-22", "to": "2027-03-29"})
    assert answer.status_code == 200
    assert answer.json["min_cell"] == 1
    # The window is widened to the whole month it touches.
    (row,) = answer.json["rows"]
    assert (row["space"], row["granularity"], row["period_start"], row["period_end"],
            row["visits"]) == ("pendlerhafen", "month", "2027-03-01", "2027-03-31", 5)


def test_days_of_one_space(researcher):
    answer = researcher.get(STATS, query_string={"from": "2027-03-22", "to": "2027-03-23",
                                                 "granularity": "day",
                                                 "space": "pendlerhafen"})
    assert [row["period_start"] for row in answer.json["rows"]] == ["2027-03-22", "2027-03-23"]
    assert answer.json["rows"][0]["booked_desk_hours"] == 6.0


def test_suppressed_rows_carry_nulls(researcher, app):
    app.config["RESEARCH_MIN_CELL"] = 5
    (row,) = researcher.get(STATS, query_string={"from": "2027-03-22",
                                                 "to": "2027-03-29"}).json["rows"]
    assert row["suppressed"] is True and row["visits"] is None and row["unique_members"] is None
    assert row["open_desk_hours"] == 560.0  # March: 28 open days (Easter closed) of 20 h


@pytest.mark.parametrize("query, field", [
    ({"to": "2027-03-29"}, "from"),
    ({"from": "2027-03-22"}, "to"),
    ({"from": "22.03.2027", "to": "2027-03-29"}, "from"),
    ({"from": "2027-03-22", "to": "2027-02-30"}, "to"),
    ({"from": "2027-03-22", "to": "2027-03-21"}, "to"),
    ({"from": "2020-01-01", "to": "2027-03-21"}, "to"),
    ({"from": "2027-03-22", "to": "2027-03-29", "granularity": "year"}, "granularity"),
    ({"from": "2027-03-22", "to": "2027-03-29", "space": "atlantis"}, "space"),
    ({"from": "2027-03-22", "to": "2027-03-29", "space": "a\x00b"}, "space"),
])
def test_bad_parameters_are_422_naming_the_field(researcher, query, field):
    answer = researcher.get(STATS, query_string=query)
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    assert field in answer.json["errors"]


def test_members_and_hosts_may_not_read_research(api, dst_week, client):
    assert api().get(STATS, query_string={"from": "2027-03-22", "to": "2027-03-29"}) \
        .status_code == 403
    assert api(role="host", space=dst_week.space).get(EXPORT, query_string={
        "from": "2027-03-22", "to": "2027-03-29"}).status_code == 403
    assert client.get(STATS).status_code == 401


def test_the_export_is_a_zip_and_in_the_audit_log(researcher):
    answer = researcher.get(EXPORT, query_string={"from": "2027-03-01", "to": "2027-03-31"})
    assert answer.status_code == 200
    assert answer.mimetype == "application/zip"
    assert 'filename="coworking-research-2027-03-01-2027-03-31.zip"' in \
        answer.headers["Content-Disposition"]
    assert "visits.csv" in zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
    entry = db.session.scalars(select(AuditEntry)
                               .where(AuditEntry.action == "research.exported")).one()
    assert entry.actor_id == researcher.user.id and entry.after["via"] == "api"


def test_the_export_refuses_to_run_without_a_research_key(researcher, app):
    app.config["RESEARCH_KEY"] = None
    answer = researcher.get(EXPORT, query_string={"from": "2027-03-01", "to": "2027-03-31"})
    assert answer.status_code == 503
    assert "RESEARCH_KEY" in answer.json["detail"]
    assert db.session.scalar(select(AuditEntry.id)
                             .where(AuditEntry.action == "research.exported")) is None


def test_an_export_with_a_bad_date_is_422(researcher):
    answer = researcher.get(EXPORT, query_string={"from": "2027-03-01", "to": "soon"})
    assert answer.status_code == 422 and "to" in answer.json["errors"]
