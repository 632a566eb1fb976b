"""What the export holds beyond the metrics: pseudonymised visits of consenting members,
their profile answers counted per town, and the commute they avoided per town and month.

All three come from the export's tally (tally.py): the visits of consenting members, read in
the codebook's order, wait in a spooled file that spills to disk, so an export's memory does
not grow with the number of visits.
"""
import hashlib
import hmac

from sqlalchemy import and_, select

from coworking.accounts.research_profile import (
    QUESTIONS,
    ResearchProfile,
)
from coworking.extensions import db
from coworking.research import tally
from coworking.spaces.models import Town

# Greenhouse gases of an average car per passenger-kilometre, kg CO2e: the federal
# environment agency's (Umweltbundesamt) comparison of means of transport, TREMOD, 2022.
CAR_KG_CO2E_PER_KM = 0.166
NO_ANSWER = "no_answer"
OTHER = "other"


def consenting():
    """SQL: the profile's member consents now (a withdrawal ends it)."""
    return and_(ResearchProfile.consent.is_(True), ResearchProfile.withdrawn_at.is_(None))


def pseudonym(user_id, key):
    """The same member gets the same pseudonym under one key, and one nobody can link to
    them without it."""
    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


def answers():
    """{member id: {question: answer}} of the members who consent now."""
    columns = [getattr(ResearchProfile, question) for question in QUESTIONS]
    return {user_id: dict(zip(QUESTIONS, values)) for user_id, *values in db.session.execute(
        select(ResearchProfile.user_id, *columns).where(consenting()))}


def read(scope, key):
    """The tally of an export: every table of the package from one pass over the rows."""
    return tally.read(scope, presence=True,
                      records=tally.Records(lambda user_id: pseudonym(user_id, key), answers()))


class Cells:
    """Rows of a resource already as cells in the order of its columns (see
    package._cell), a batch of them at a time."""

    def __init__(self, batches):
        self.batches = batches


def visits(found):
    """Rows of the `visits` resource: finished visits of members who consent now, as
    pseudonym, space, local date, local start hour, length in quarter hours and how they
    came (booked, or walked in); spooled by the tally in this order, already as cells."""
    return Cells(found.visit_batches())


def _town_names(found):
    """{town id: name}, read once per tally."""
    if found.towns is None:
        found.towns = dict(db.session.execute(select(Town.id, Town.name)).all())
    return found.towns


def profile_counts(scope, found):
    """[{town, question, answer, members}] before disclosure control: per town the members
    who consent and visited it in the range, by answer; an answer outside the questionnaire's
    words counts as `other`, none as `no_answer`."""
    given = found.records.answers
    counts = {}
    for town_id, user_id in found.visitors:
        for question, choices in QUESTIONS.items():
            asked = given[user_id][question]
            answer = NO_ANSWER if asked is None else asked if asked in choices else OTHER
            counts[(town_id, question, answer)] = counts.get((town_id, question, answer), 0) + 1
    names = _town_names(found)
    rows = [{"town": names[town_id], "question": question, "answer": answer, "members": members}
            for (town_id, question, answer), members in counts.items()]
    return sorted(rows, key=lambda r: (r["town"], list(QUESTIONS).index(r["question"]),
                                       r["answer"]))


def commute(scope, found):
    """[{town, month, members, visits, km_avoided}] before disclosure control: per visit of a
    consenting member who gave a distance band, twice the band's midpoint."""
    names = _town_names(found)
    rows = [{"town": names[town_id], "month": month.isoformat()[:7],
             "members": len(members), "visits": count, "km_avoided": round(float(km_sum), 1),
             "kg_co2e": round(float(km_sum) * CAR_KG_CO2E_PER_KM, 1)}
            for (town_id, month), (members, count, km_sum) in found.commute.items()]
    return sorted(rows, key=lambda r: (r["town"], r["month"]))
