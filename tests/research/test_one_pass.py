"""An export reads the visits of its range once per table it fills, however many rows, and
lists the visit records by local date even where spaces in different zones make the order of
check-ins and the order of local dates differ."""
import csv
import io
import re
import zipfile
from datetime import date

from sqlalchemy import event

from coworking.accounts.research_profile import ResearchProfile
from coworking.extensions import db
from coworking.research.records import pseudonym
from coworking.research.service import export
from tests.research.conftest import add_visit, at


def _package(first=date(2027, 3, 1), last=date(2027, 3, 31)):
    return zipfile.ZipFile(io.BytesIO(b"".join(export(None, first, last, via="test"))))


def _statements(run):
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_an_export_reads_the_visits_of_its_range_once_per_table(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    seen = _statements(_package)
    reading_visits = [s for s in seen if re.search(r"\bFROM visit\b", s)]
    # Each added up in the database: the figures per space and day, whose first visit
    # falls in the range (reading before it too: nobody who came before is new), presence
    # per hour of the week, and the records of the members who consent.
    assert len(reading_visits) == 4
    assert sum("checked_in_at <" in s and "checked_in_at >=" not in s
               for s in reading_visits) == 1
    # However many tables and rows: spaces, profiles, visits per day, bookings per day,
    # first visits, presence, visit records, towns, desks counted and in service, closures,
    # hours; and the events' reach (events with their attendees, and the towns they were
    # held in).
    assert len([s for s in seen if s.lstrip().startswith("SELECT")]) == 14


def test_visit_records_follow_local_dates_across_zones(app, dst_week, make_space):
    app.config["RESEARCH_MIN_CELL"] = 1
    berlin = dst_week.space
    far = make_space(slug="aaa-new-york", desks=1)
    far.timezone = "America/New_York"
    u1 = dst_week.members[1]
    # Checked in later by the clock of the world, but on the local date before.
    add_visit(u1, far, "2027-03-22T20:00:00-04:00", "2027-03-22T21:00:00-04:00")
    add_visit(u1, berlin, "2027-03-23T00:30:00+01:00", "2027-03-23T01:30:00+01:00")
    db.session.add(ResearchProfile(user_id=dst_week.members[4].id, consent=True,
                                   consented_at=at("2027-03-01T08:00:00+01:00")))
    # Alike in date, space, hour and length: in order of check-in.
    add_visit(dst_week.members[4], berlin, "2027-03-24T10:05:00+01:00",
              "2027-03-24T11:05:00+01:00")
    add_visit(u1, berlin, "2027-03-24T10:20:00+01:00", "2027-03-24T11:20:00+01:00")
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(_package().read("visits.csv").decode())))
    key = app.config["RESEARCH_KEY"]
    one, four = (pseudonym(dst_week.members[n].id, key) for n in (1, 4))
    assert [(r["date"], r["space"], r["start_hour"], r["pseudonym"]) for r in rows] == [
        ("2027-03-22", "aaa-new-york", "20", one),
        ("2027-03-22", "pendlerhafen", "9", one),
        ("2027-03-23", "pendlerhafen", "0", one),
        ("2027-03-24", "pendlerhafen", "10", four),
        ("2027-03-24", "pendlerhafen", "10", one),
        ("2027-03-27", "pendlerhafen", "23", four),
        ("2027-03-29", "pendlerhafen", "0", one),
    ]
