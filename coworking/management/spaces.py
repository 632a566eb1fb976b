"""What admins do for the programme: open towns and spaces, appoint and remove hosts."""
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock, permissions
from coworking.accounts.models import User, UserRole
from coworking.accounts.passwords import invite
from coworking.accounts.service import create_guest, user_by_email
from coworking.database import savepoint, use_case
from coworking.errors import Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.management.access import space_to_manage
from coworking.management.hours import DEFAULT_HOURS, described, parse_week
from coworking.operators.models import Operator
from coworking.operators.service import new_operator
from coworking.spaces.models import OpeningHours, Space, SpaceType, Town
from coworking.spaces.service import get_space

# ISO 3166-2:DE without the country: a town's state picks its public holidays.
STATES = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg",
    "HB": "Bremen", "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen", "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz",
    "SL": "Saarland", "SN": "Sachsen", "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX, NAME_MAX, ADDRESS_MAX, TOWN_NAME_MAX, CODE_MAX = 60, 120, 250, 120, 60
POPULATION_MAX = 10_000_000


@dataclass
class TownDraft:
    name: str
    state: str
    population: int | None = None
    town_type: str = ""
    location_type: str = ""


@dataclass
class SpaceDraft:
    slug: str
    name: str
    town_id: int | None
    address: str
    timezone: str = "Europe/Berlin"
    slot_minutes: int | None = 30
    # {"monday": "08:00–18:00", ...}; none, or every day empty: Monday to Friday 08:00–18:00.
    hours: dict = field(default_factory=dict)
    # A SpaceType value; empty while nobody has classified the space.
    space_type: str = ""
    # Who runs it; None: the operator of the town's other spaces, else a new one.
    operator_id: int | None = None


def _require(allowed, message):
    if not allowed:
        raise Forbidden(message)


def _text(errors, name, value, maximum, message, required=True):
    value = (value or "").strip()
    if (required and not value) or len(value) > maximum:
        errors[name] = [message]
    return value


@use_case
def create_town(actor, draft):
    _require(permissions.can_create_spaces(actor), _l("Only admins add towns."))
    errors = {}
    name = _text(errors, "name", draft.name, TOWN_NAME_MAX,
                 _l("Give the town's name, at most %(n)s characters.", n=TOWN_NAME_MAX))
    if name and "name" not in errors and db.session.scalar(
            select(Town.id).where(func.lower(Town.name) == name.lower())):
        errors["name"] = [_l("%(town)s is already there.", town=name)]
    if draft.state not in STATES:
        errors["state"] = [_l("Choose the town's state.")]
    if draft.population is not None and not 0 < draft.population <= POPULATION_MAX:
        errors["population"] = [_l("Leave it empty or give a number of inhabitants.")]
    codes = {key: _text(errors, key, getattr(draft, key), CODE_MAX,
                        _l("At most %(n)s characters.", n=CODE_MAX), required=False)
             for key in ("town_type", "location_type")}
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    town = Town(name=name, state=draft.state, state_name=STATES[draft.state],
                population=draft.population, **{k: v or None for k, v in codes.items()})
    db.session.add(town)
    db.session.flush()
    audit.record(actor.id, "town.created", "town", town.id,
                 after={"name": name, "state": draft.state, "population": draft.population,
                        **codes})
    return town


def _space_type(errors, value):
    """A SpaceType value or None; anything else is named in `errors`."""
    value = (value or "").strip()
    if value and value not in {kind.value for kind in SpaceType}:
        errors["space_type"] = [_l("Choose one of the types offered.")]
        return None
    return value or None


# Letters a slug spells out rather than drops: "Mölln" becomes "moelln", as the pilots' are.
SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug_from(name):
    """The web address a space's name suggests: "Coworking Dießen am Ammersee" ->
    "coworking-diessen-am-ammersee"."""
    text = unicodedata.normalize("NFKD", (name or "").lower().translate(SPELLED_OUT))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_MAX].rstrip("-")


def _space_values(draft):
    errors = {}
    # Left empty, the address comes from the name.
    slug = (draft.slug or "").strip().lower() or slug_from(draft.name)
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        errors["slug"] = [_l("Use lower-case letters, digits and hyphens, such as "
                             "“bad-belzig”, at most %(n)s characters.", n=SLUG_MAX)]
    elif db.session.scalar(select(Space.id).where(Space.slug == slug)):
        errors["slug"] = [_l("Another space has the address “%(slug)s” already.", slug=slug)]
    name = _text(errors, "name", draft.name, NAME_MAX,
                 _l("Give the space a name of at most %(n)s characters.", n=NAME_MAX))
    address = _text(errors, "address", draft.address, ADDRESS_MAX,
                    _l("Give the address, at most %(n)s characters.", n=ADDRESS_MAX))
    town = db.session.get(Town, draft.town_id) if isinstance(draft.town_id, int) \
        and 0 < draft.town_id < 2**31 else None
    if town is None:
        errors["town_id"] = [_l("Choose the town.")]
    timezone = (draft.timezone or "").strip()
    if timezone not in available_timezones():
        errors["timezone"] = [_l("“%(zone)s” is no time zone. Give one from the IANA time zone "
                                 "database, such as Europe/Berlin.", zone=timezone)]
    slot = draft.slot_minutes
    if slot is None or not 5 <= slot <= 1440 or 1440 % slot:
        errors["slot_minutes"] = [_l("The slot length must divide a day (1440 minutes) "
                                     "evenly and be 5 minutes or more, such as 15, 30 or 60.")]
        slot = 30
    try:
        week = parse_week(draft.hours or {}, slot) or DEFAULT_HOURS
    except InvalidInput as error:
        errors |= error.errors
    space_type = _space_type(errors, draft.space_type)
    operator = None
    if draft.operator_id is not None:
        operator = _operator(draft.operator_id)
        if operator is None:
            errors["operator_id"] = [_l("Choose the operator from the list.")]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return {"slug": slug, "name": name, "address": address, "town": town,
            "timezone": timezone, "slot_minutes": slot, "space_type": space_type,
            "operator": operator}, week


@use_case
def create_space(actor, draft):
    """A new space with the usual rules and no desks yet; its hosts add them."""
    _require(permissions.can_create_spaces(actor), _l("Only admins open spaces."))
    values, week = _space_values(draft)
    values["operator"] = values["operator"] or _operator_for_town(values["town"], values["slug"])
    space = Space(**values,
                  horizon_days=365, min_notice_minutes=0, max_booking_minutes=600,
                  cancel_deadline_minutes=120, no_show_grace_minutes=30,
                  public_holidays_closed=True, draft=True)
    # It opens today: before it, research and occupancy count no capacity.
    space.opened_on = clock.utcnow().astimezone(ZoneInfo(values["timezone"])).date()
    space.opening_hours = [OpeningHours(effective_from=space.opened_on, weekday=day,
                                        opens=opens, closes=closes)
                           for day, intervals in sorted(week.items())
                           for opens, closes in intervals]
    db.session.add(space)
    db.session.flush()
    audit.record(actor.id, "space.created", "space", space.id, space_id=space.id,
                 after={key: value for key, value in values.items()
                        if key not in ("town", "operator")}
                 | {"town": values["town"].name, "operator": values["operator"].slug}
                 | described(week))
    return space


@use_case
def publish_space(actor, slug):
    """The draft goes public: members see it and book it from now on."""
    _require(permissions.can_create_spaces(actor), _l("Only admins publish spaces."))
    space = space_to_manage(actor, slug, lock=True)
    if space.draft:
        space.draft = False
        audit.record(actor.id, "space.published", "space", space.id, space_id=space.id)
    return space


def _operator_for_town(town, slug):
    """A new space joins the operator of its town's other spaces; the first space of a town
    gets an operator of its own, which sells nothing online until an admin completes it."""
    if town.id is not None:
        operator = db.session.scalar(
            select(Operator).join(Space, Space.operator_id == Operator.id)
            .where(Space.town_id == town.id).order_by(Space.id).limit(1))
        if operator is not None:
            return operator
    return new_operator(slug, city=town.name)


def _operator(operator_id):
    return db.session.get(Operator, operator_id) if isinstance(operator_id, int) \
        and 0 < operator_id < 2**31 else None


@use_case
def set_space_operator(actor, slug, operator_id):
    """Who runs the space: its pages link that operator's Impressum and privacy notice from
    now on. The plans sold for it keep their seller until an admin changes it."""
    _require(permissions.can_create_spaces(actor), _l("Only admins choose who runs a space."))
    space = get_space(slug)
    operator = _operator(operator_id)
    if operator is None:
        raise InvalidInput(_l("Choose the operator from the list."), field="operator_id")
    if space.operator_id != operator.id:
        audit.record(actor.id, "space.operator_changed", "space", space.id, space_id=space.id,
                     before={"operator": space.operator.slug}, after={"operator": operator.slug})
        space.operator = operator
    return space


@use_case
def set_space_type(actor, slug, value):
    """Classify a space for research (classic coworking, commuter haven, village centre)."""
    _require(permissions.can_create_spaces(actor), _l("Only admins classify spaces."))
    space = get_space(slug)
    errors = {}
    space_type = _space_type(errors, value)
    if errors:
        raise InvalidInput(errors["space_type"][0], field="space_type")
    if space.space_type != space_type:
        audit.record(actor.id, "space.type_changed", "space", space.id, space_id=space.id,
                     before={"space_type": space.space_type}, after={"space_type": space_type})
        space.space_type = space_type
    return space


def all_towns():
    return db.session.scalars(select(Town).order_by(Town.name)).all()


def hosts_of(space):
    return db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "host",
                                          UserRole.space_id == space.id)
        .order_by(User.name, User.id)).all()


@use_case
def appoint_host(actor, slug, email, name=None):
    """Make someone a host of the space: the holder of an existing account, or, with their
    name, someone new, whose account is made and who gets an invitation by e-mail to choose
    a password."""
    _require(permissions.can_appoint_hosts(actor), _l("Only admins appoint hosts."))
    space = space_to_manage(actor, slug, lock=True)
    if not (email or "").strip():
        raise InvalidInput(_l("Please enter the e-mail address."), field="email")
    user = user_by_email(email)
    invited = user is None
    if invited:
        if not (name or "").strip():
            raise InvalidInput(_l("There is no account with this address yet. Enter the "
                                  "person's name too, and they get an invitation by e-mail."),
                               field="name")
        user = create_guest(email, name)
    if space.id in user.hosted_space_ids():
        raise InvalidInput(_l("%(name)s is a host of %(space)s already.", name=user.name,
                              space=space.name), field="email")
    try:
        with savepoint():
            user.roles.append(UserRole(role="host", space_id=space.id))
    except IntegrityError:
        raise InvalidInput(_l("%(name)s is a host of %(space)s already.", name=user.name,
                              space=space.name), field="email") from None
    audit.record(actor.id, "host.appointed", "user", user.id, space_id=space.id,
                 after={"name": user.name, "email": user.email})
    if invited:
        invite(user, space.name)
    return user


@use_case
def remove_host(actor, slug, user_id):
    _require(permissions.can_appoint_hosts(actor), _l("Only admins remove hosts."))
    space = space_to_manage(actor, slug, lock=True)
    role = db.session.scalar(
        select(UserRole).where(UserRole.user_id == user_id, UserRole.role == "host",
                               UserRole.space_id == space.id).with_for_update()
    ) if 0 < user_id < 2**31 else None
    if role is None:
        raise NotFound(_l("%(space)s has no host %(id)s.", space=space.name, id=user_id))
    user = role.user
    audit.record(actor.id, "host.removed", "user", user_id, space_id=space.id,
                 before={"name": user.name, "email": user.email})
    user.roles.remove(role)
    return user
