"""Members' research consent and profile answers, and the answers' vocabulary.

The profile is the member's own (they give and withdraw consent on their account); research
reads it only aggregated per town, and pseudonymised visits only of members who consented.
"""
from sqlalchemy import ForeignKey, String, and_, false
from sqlalchemy.orm import Mapped, mapped_column

from coworking.database import UTCDateTime
from coworking.extensions import db

# One-way distance from home to the workplace the member would otherwise commute to, in km:
# band -> its midpoint (the open top band counts as 150 km).
COMMUTE_BANDS = {"0-5": 2.5, "5-10": 7.5, "10-25": 17.5, "25-50": 37.5, "50-100": 75.0,
                 "100+": 150.0}
# How the member works, in the terms of the cooperative's rural coworking studies.
WORK_MODES = ("commuter", "founder", "freelancer", "remote_team", "other")
EMPLOYMENTS = ("employed", "self_employed", "student", "other")
# Where the member lives, seen from the space: in its town, in the region, visiting.
RESIDENCES = ("town", "region", "visiting")

# The profile questions the export counts answers of, in this order.
QUESTIONS = {"work_mode": WORK_MODES, "commute_km_band": tuple(COMMUTE_BANDS),
             "employment": EMPLOYMENTS, "residence": RESIDENCES}


class ResearchProfile(db.Model):
    __tablename__ = "research_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    consented_at = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at = mapped_column(UTCDateTime, nullable=True)
    work_mode: Mapped[str | None] = mapped_column(String(30))
    commute_km_band: Mapped[str | None] = mapped_column(String(20))
    employment: Mapped[str | None] = mapped_column(String(30))
    residence: Mapped[str | None] = mapped_column(String(30))


def consenting():
    """SQL: the profile's member consents now (a withdrawal ends it)."""
    return and_(ResearchProfile.consent.is_(True), ResearchProfile.withdrawn_at.is_(None))
