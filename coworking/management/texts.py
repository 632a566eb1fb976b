"""What a space tells visitors, written by its hosts: a short intro, amenities, how to get
in, whom to ask, and the coordinates for the map link. Checked together: one field out of
shape changes nothing."""
import re
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l

from coworking import audit
from coworking.accounts.service import email_problem
from coworking.database import use_case
from coworking.errors import InvalidInput
from coworking.management.access import space_to_manage

LIMITS = {"description": 500, "amenities": 1000, "access": 1000, "contact_name": 120,
          "contact_email": 254, "contact_phone": 40,
          "description_en": 500, "amenities_en": 1000, "access_en": 1000}
# Digits with the usual separators, an optional leading +: "+49 38 77 / 56 78-0".
PHONE = re.compile(r"\+?[0-9 ()/.\-]+")


@dataclass
class SpaceTexts:
    description: str = ""
    amenities: str = ""
    access: str = ""
    # Optional English versions; English visitors read the German text where one is empty.
    description_en: str = ""
    amenities_en: str = ""
    access_en: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def of(cls, space):
        return cls(**{f.name: getattr(space, f.name) if getattr(space, f.name) is not None
                      else f.default for f in fields(cls)})


TEXT_NAMES = [field.name for field in fields(SpaceTexts)]


def _cleaned(texts):
    """Surrounding blanks dropped, Windows line breaks made plain."""
    values = {}
    for name in TEXT_NAMES:
        value = getattr(texts, name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        values[name] = value
    return SpaceTexts(**values)


def _problems(texts):
    errors = {}
    for name, limit in LIMITS.items():
        if len(getattr(texts, name)) > limit:
            errors[name] = _l("At most %(max)s characters, please.", max=limit)
    if texts.contact_email and "contact_email" not in errors:
        problem = email_problem(texts.contact_email)
        if problem:
            errors["contact_email"] = problem
    phone = texts.contact_phone
    if phone and "contact_phone" not in errors and (
            not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 3):
        errors["contact_phone"] = _l("Only digits, spaces and + ( ) / - . please, such as "
                                     "+49 3877 123456.")
    lat, lon = texts.latitude, texts.longitude
    if lat is not None and not -90 <= lat <= 90:
        errors["latitude"] = _l("The latitude lies between -90 and 90, such as 53.0013.")
    if lon is not None and not -180 <= lon <= 180:
        errors["longitude"] = _l("The longitude lies between -180 and 180, such as 11.7528.")
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        errors.setdefault(missing, _l("Give both coordinates, or neither."))
    return {name: [message] for name, message in errors.items()}


@use_case
def set_space_texts(actor, slug, texts):
    """Save the texts; the audit log keeps each changed one before and after."""
    space = space_to_manage(actor, slug, lock=True)
    texts = _cleaned(texts)
    errors = _problems(texts)
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    before, after = {}, {}
    for name in TEXT_NAMES:
        old, new = getattr(space, name), getattr(texts, name)
        if (old if old is not None else getattr(SpaceTexts, name)) != new:
            before[name], after[name] = old, new
        # Saved once, a text is the hosts' even when empty: the demo seed leaves it alone.
        setattr(space, name, new)
    if after:
        audit.record(actor.id, "space.texts_changed", "space", space.id, space_id=space.id,
                     before=before, after=after)
    return space
