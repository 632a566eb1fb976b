"""What the export holds beyond the metrics: pseudonymised visits of consenting members,
their profile answers counted per town, and the commute they avoided per town and month.

Visits are read in batches from a server-side cursor and written as they come, so an
export's memory does not grow with the number of visits.
"""
import hashlib
import hmac

from sqlalchemy import and_, case, distinct, func, literal, or_, select

from coworking.accounts.research_profile import (
    COMMUTE_BAND_MIDPOINTS_KM,
    QUESTIONS,
    ResearchProfile,
)
from coworking.bookings.models import Booking
from coworking.checkins.models import Visit
from coworking.checkins.walk_ins import SOURCE as WALK_IN_SOURCE
from coworking.extensions import db
from coworking.research import sql
from coworking.spaces.models import Space, Town

BATCH = 1000
QUARTER = 15 * 60
# Greenhouse gases of an average car per passenger-kilometre, kg CO2e: the federal
# environment agency's (Umweltbundesamt) comparison of means of transport, TREMOD, 2022.
CAR_KG_CO2E_PER_KM = 0.166
NO_ANSWER = "no_answer"


def consenting():
    """SQL: the profile's member consents now (a withdrawal ends it)."""
    return and_(ResearchProfile.consent.is_(True), ResearchProfile.withdrawn_at.is_(None))


def pseudonym(user_id, key):
    """The same member gets the same pseudonym under one key, and one nobody can link to
    them without it."""
    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


def _in_range(local, scope):
    day = sql.day_of_local(local)
    return and_(day >= sql.day_number(scope.first), day <= sql.day_number(scope.last))


def visits(scope, key):
    """Rows of the `visits` resource, one at a time: finished visits of members who consent
    now, as pseudonym, space, local date, local start hour, length in quarter hours and how
    they came (booked, or walked in)."""
    zones = scope.zones()
    came = sql.epoch(Visit.checked_in_at)
    local = sql.local_seconds(came, Visit.space_id, zones)
    walked_in = or_(Visit.booking_id.is_(None), Booking.source == WALK_IN_SOURCE)
    query = (select(Visit.user_id, Space.slug, (local // sql.DAY).label("day"),
                    ((local % sql.DAY) // sql.HOUR).label("hour"),
                    (sql.epoch(Visit.checked_out_at) - came).label("length"),
                    case((walked_in, literal("walk_in")), else_=literal("booked")).label("kind"))
             .join(Space, Space.id == Visit.space_id)
             .join(ResearchProfile, ResearchProfile.user_id == Visit.user_id)
             .outerjoin(Booking, Booking.id == Visit.booking_id)
             .where(consenting(), Visit.space_id.in_(scope.space_ids),
                    Visit.checked_in_at >= scope.start, Visit.checked_in_at < scope.end,
                    Visit.checked_out_at.is_not(None), _in_range(local, scope))
             .order_by("day", Space.slug, "hour", "length"))
    rows = db.session.execute(query.execution_options(yield_per=BATCH, stream_results=True))
    for user_id, slug, day, hour, length, kind in rows:
        yield {"pseudonym": pseudonym(user_id, key), "space": slug,
               "date": sql.day_of(day).isoformat(), "start_hour": int(hour),
               "duration_quarters": (int(length) + QUARTER // 2) // QUARTER, "kind": kind}


def _consenting_visitors(scope):
    """Each consenting member once per town they visited in the range, with their answers."""
    zones = scope.zones()
    local = sql.local_seconds(sql.epoch(Visit.checked_in_at), Visit.space_id, zones)
    return (select(Space.town_id, Visit.user_id, *[getattr(ResearchProfile, q) for q in QUESTIONS])
            .join(Space, Space.id == Visit.space_id)
            .join(ResearchProfile, ResearchProfile.user_id == Visit.user_id)
            .where(consenting(), Visit.space_id.in_(scope.space_ids),
                   Visit.checked_in_at >= scope.start, Visit.checked_in_at < scope.end,
                   _in_range(local, scope))
            .distinct().subquery("c"))


def profile_counts(scope):
    """[{town, question, answer, members}] before disclosure control: per town the members
    who consent and visited it in the range, by answer; an answer outside the questionnaire's
    words counts as `other`, none as `no_answer`."""
    people = _consenting_visitors(scope)
    rows = []
    for question, answers in QUESTIONS.items():
        asked = people.c[question]
        answer = case((asked.is_(None), literal(NO_ANSWER)),
                      (asked.in_(list(answers)), asked), else_=literal("other")).label("answer")
        grouped = select(people.c.town_id, answer, func.count(distinct(people.c.user_id))) \
            .group_by(people.c.town_id, answer)
        rows += [{"town_id": town_id, "question": question, "answer": value, "members": members}
                 for town_id, value, members in db.session.execute(grouped)]
    names = dict(db.session.execute(select(Town.id, Town.name)).all())
    for row in rows:
        row["town"] = names[row.pop("town_id")]
    return sorted(rows, key=lambda r: (r["town"], list(QUESTIONS).index(r["question"]),
                                       r["answer"]))


def commute(scope):
    """[{town, month, members, visits, km_avoided}] before disclosure control: per visit of a
    consenting member who gave a distance band, twice the band's midpoint."""
    zones = scope.zones()
    local = sql.local_seconds(sql.epoch(Visit.checked_in_at), Visit.space_id, zones)
    band = ResearchProfile.commute_km_band
    km = case(*[(band == name, literal(2 * middle)) for name, middle in COMMUTE_BAND_MIDPOINTS_KM.items()],
              else_=None)
    trips = (select(Space.town_id, Visit.user_id,
                    sql.period_of_local(local, "month").label("month"), km.label("km"))
             .join(Space, Space.id == Visit.space_id)
             .join(ResearchProfile, ResearchProfile.user_id == Visit.user_id)
             .where(consenting(), band.in_(COMMUTE_BAND_MIDPOINTS_KM), Visit.space_id.in_(scope.space_ids),
                    Visit.checked_in_at >= scope.start, Visit.checked_in_at < scope.end,
                    _in_range(local, scope))
             .subquery("t"))
    grouped = (select(trips.c.town_id, trips.c.month, func.count(distinct(trips.c.user_id)),
                      func.count(), func.sum(trips.c.km))
               .group_by(trips.c.town_id, trips.c.month))
    names = dict(db.session.execute(select(Town.id, Town.name)).all())
    rows = [{"town": names[town_id], "month": sql.day_of(month).isoformat()[:7],
             "members": members, "visits": count, "km_avoided": round(float(km_sum), 1),
             "kg_co2e": round(float(km_sum) * CAR_KG_CO2E_PER_KM, 1)}
            for town_id, month, members, count, km_sum in db.session.execute(grouped)]
    return sorted(rows, key=lambda r: (r["town"], r["month"]))
