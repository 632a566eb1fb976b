"""Showing oneself in the member directory, finding others in it, and taking oneself out."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from coworking import clock
from coworking.database import use_case
from coworking.directory.models import DirectoryProfile
from coworking.errors import InvalidInput
from coworking.extensions import db
from coworking.spaces.models import Town
from coworking.text_input import control_characters_problem

TEXT_MAX = 300
SEARCH_MAX = 100


def profile_of(user):
    return db.session.scalar(select(DirectoryProfile).where(DirectoryProfile.user_id == user.id))


def towns():
    return db.session.scalars(select(Town).order_by(Town.name)).all()


def _text(name, value, required, errors):
    if value is None or not isinstance(value, str):
        value = ""
    problem = control_characters_problem(value, multiline=True)
    text = " ".join(value.split())
    if problem:
        errors[name] = [problem]
    elif required and not text:
        errors[name] = [_l("Please say in a few words what you do.")]
    elif len(text) > TEXT_MAX:
        errors[name] = [_l("At most %(n)s characters.", n=TEXT_MAX)]
    return text


@use_case


def save_profile(user, what_i_do, can_help_with, town_id):
    """Show (or update) the member's profile in the directory; they opt in by saving it."""
    errors = {}
    what = _text("what_i_do", what_i_do, True, errors)
    help_with = _text("can_help_with", can_help_with, False, errors)
    town = db.session.get(Town, town_id) if isinstance(town_id, int) and 0 < town_id < 2**31 \
        else None
    if town is None:
        errors["town_id"] = [_l("Please choose your town from the list.")]
    if errors:
        raise InvalidInput(_l("Please check your profile."), errors=errors)
    profile = profile_of(user)
    if profile is None:
        profile = DirectoryProfile(user_id=user.id)
        db.session.add(profile)
    profile.what_i_do, profile.can_help_with, profile.town_id = what, help_with, town.id
    profile.updated_at = clock.utcnow()
    return profile


@use_case


def delete_profile(user):
    """Take the member out of the directory: the profile is deleted, not hidden."""
    forget(user)


def forget(user):
    """The profile goes (also when the account is deleted)."""
    db.session.execute(delete(DirectoryProfile).where(DirectoryProfile.user_id == user.id))


def _escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(viewer, town_id=None, skill=None):
    """Profiles in the directory, by town and by a word from what they do or can help with.
    Only signed-in members search (the views and the access table see to that)."""
    query = select(DirectoryProfile).order_by(DirectoryProfile.updated_at.desc(),
                                              DirectoryProfile.id.desc())
    if town_id is not None:
        query = query.where(DirectoryProfile.town_id == town_id)
    if skill:
        pattern = f"%{_escaped(skill.casefold())}%"

        query = query.where(or_(
            func.lower(DirectoryProfile.what_i_do).like(pattern, escape="\\"),
            func.lower(DirectoryProfile.can_help_with).like(pattern, escape="\\")))
    return db.session.scalars(query.limit(200)).all()
