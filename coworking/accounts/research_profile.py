"""A member's research consent and the optional answers the research questions need.

Answers are kept only while consent stands: withdrawing it clears them. Researchers never see
a profile itself, only counts per town (suppressed below the minimum cell size)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coworking import audit, clock
from coworking.database import UTCDateTime, use_case
from coworking.errors import InvalidInput
from coworking.extensions import db

# How the member would work without the space.
WORK_MODES = {
    "commute": _l("Commute to a workplace elsewhere"),
    "home_office": _l("At home"),
    "other": _l("Somewhere else"),
}
# One-way commute the space saves, in km bands; the midpoint is what the research counts.
COMMUTE_BANDS = {
    "0-10": _l("under 10 km"),
    "10-25": _l("10 to 25 km"),
    "25-50": _l("25 to 50 km"),
    "50-100": _l("50 to 100 km"),
    "100+": _l("more than 100 km"),
}
COMMUTE_BAND_MIDPOINTS_KM = {"0-10": 5, "10-25": 17.5, "25-50": 37.5, "50-100": 75, "100+": 125}
# Work types in the terms of the rural coworking studies.
EMPLOYMENT = {
    "commuter": _l("Employed, usually commuting, now working here"),
    "remote_team": _l("Member of a team that works remotely"),
    "freelancer": _l("Freelancer"),
    "founder": _l("Founder"),
    "other": _l("Other"),
}
RESIDENCE = {
    "town": _l("In this town"),
    "region": _l("In the region"),
    "visiting": _l("Visiting"),
}
# The questions as the account page asks them (ResearchForm); the codebook quotes them.
QUESTION_TEXTS = {
    "work_mode": _l("Without the coworking space I would work …"),
    "commute_km_band": _l("The way to that workplace is, one way, …"),
    "employment": _l("I work as …"),
    "residence": _l("I live …"),
}
NO_ANSWER_TEXT = _l("No answer")
QUESTIONS = {"work_mode": WORK_MODES, "commute_km_band": COMMUTE_BANDS,
             "employment": EMPLOYMENT, "residence": RESIDENCE}


class ResearchProfile(db.Model):
    __tablename__ = "research_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consented_at = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at = mapped_column(UTCDateTime, nullable=True)
    work_mode: Mapped[str | None] = mapped_column(String(20))
    commute_km_band: Mapped[str | None] = mapped_column(String(10))
    employment: Mapped[str | None] = mapped_column(String(20))
    residence: Mapped[str | None] = mapped_column(String(10))
    updated_at = mapped_column(UTCDateTime, default=lambda: clock.utcnow(), nullable=False)

    def answers(self):
        return {question: getattr(self, question) for question in QUESTIONS}

    def as_json(self):
        return {"consent": self.consent,
                "consented_at": self.consented_at.isoformat() if self.consented_at else None,
                "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
                "profile": self.answers()}


def profile_of(user):
    """The member's profile, or an unsaved one without consent."""
    return db.session.get(ResearchProfile, user.id) or ResearchProfile(
        user_id=user.id, consent=False)


def check_answers(consent, answers):
    """{question: value or None} from `answers`; InvalidInput naming `profile.<question>` for
    an unknown question or answer, or for answers without consent."""
    errors = {}
    for question in answers:
        if question not in QUESTIONS:
            errors[f"profile.{question}"] = [_l("There is no such question.")]
    cleaned = {}
    for question, choices in QUESTIONS.items():
        value = answers.get(question)
        if value == "":  # a form's "no answer"
            value = None
        # Only a word can be one of the choices: a list or a number is refused, not looked up.
        if value is not None and (not isinstance(value, str) or value not in choices):
            errors[f"profile.{question}"] = [
                _l("Choose one of: %(choices)s.", choices=", ".join(choices))]
        cleaned[question] = value
    if not consent and any(cleaned.values()):
        errors["profile"] = [_l("Answers are kept only with your consent to research use.")]
    if errors:
        raise InvalidInput(_l("Please check the highlighted fields."), errors=errors)
    return cleaned


@use_case
def set_research(user, consent, answers):
    """Give, change or withdraw research consent; returns the profile. The consent's time is
    kept (and its history in the audit log); withdrawing clears the answers."""
    cleaned = check_answers(consent, answers)
    now = clock.utcnow()
    profile = db.session.get(ResearchProfile, user.id, with_for_update=True)
    if profile is None:
        profile = ResearchProfile(user_id=user.id, consent=False, updated_at=now)
        db.session.add(profile)
    before = profile.consent
    if consent and not before:
        profile.consented_at, profile.withdrawn_at = now, None
    elif not consent and before:
        profile.withdrawn_at = now
    profile.consent = consent
    for question, value in cleaned.items():
        setattr(profile, question, value if consent else None)
    profile.updated_at = now
    if consent != before:
        audit.record(user.id, "research.consent" if consent else "research.withdraw",
                     "user", user.id, before={"consent": before}, after={"consent": consent})
    return profile


def forget(user):
    """Account deletion: the profile goes, so no future export can hold the member."""
    profile = db.session.get(ResearchProfile, user.id)
    if profile is not None:
        db.session.delete(profile)
