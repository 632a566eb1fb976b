"""Plans as the programme's admins keep them: create, change and retire, each rule checked
here and each change recorded as a `plan.changed` event."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock, events, permissions
from coworking.database import use_case
from coworking.errors import Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.memberships.models import Plan, PlanKind
from coworking.operators.models import Operator
from coworking.operators.service import default_seller
from coworking.spaces.models import Space

NAME_MAX, DESCRIPTION_MAX, STRIPE_PRICE_MAX = 120, 500, 100
# Far above any real price or quantity, and inside a 32-bit integer column.
PRICE_MAX_CENTS, QUANTITY_MAX = 10_000_000, 10_000


@dataclass
class PlanDraft:
    """What an admin asks a plan to be; `kind` counts only when the plan is created."""

    name: str
    kind: PlanKind | str | None
    price_cents: int | None
    vat_basis_points: int | None
    description: str = ""
    # Optional English versions; English visitors read the German ones where empty.
    name_en: str = ""
    description_en: str = ""
    credits: int | None = None
    validity_days: int | None = None
    days_per_month: int | None = None
    meeting_room_hours: int | None = 0
    all_spaces: bool = False
    space_ids: list = field(default_factory=list)
    once_per_member: bool = False
    stripe_price_id: str | None = None
    # The selling operator's id; None: on creation the operator of the one space it covers,
    # else the programme office; on a change, the seller it has.
    seller_id: int | None = None


class PlanChanged(audit.Audited):
    """An admin created, changed or retired a plan: an entry in the audit log."""

    name = "plan.changed"

    def __init__(self, plan, actor_id, action, changes):
        super().__init__(actor_id, f"plan.{action}", "plan", plan.id,
                         before={key: old for key, (old, _new) in changes.items()},
                         after={key: new for key, (_old, new) in changes.items()})
        self.plan, self.changes, self.verb = plan, changes, action

    def payload(self):
        return {"plan_id": self.plan.id, "by": self.actor_id, "action": self.verb,
                "changes": self.changes}


def _require_admin(actor):
    if not permissions.can_manage_plans(actor):
        raise Forbidden(_l("Only admins manage plans."))


def _quantity(errors, name, value, minimum):
    if value is not None and not minimum <= value <= QUANTITY_MAX:
        errors[name] = [_l("Must be between %(min)s and %(max)s.", min=minimum, max=QUANTITY_MAX)]


def _checked(draft, kind):
    """The plan's values from `draft`, or InvalidInput naming every field that breaks a rule."""
    errors = {}
    name = (draft.name or "").strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = [_l("Give the plan a name of at most %(n)s characters.", n=NAME_MAX)]
    if draft.price_cents is None or not 0 <= draft.price_cents <= PRICE_MAX_CENTS:
        errors["price_cents"] = [_l("The price must be 0 € (a free trial) or more.")]
    if draft.vat_basis_points is None or not 0 <= draft.vat_basis_points <= 10000:
        errors["vat_basis_points"] = [_l("The VAT rate must lie between 0 and 100 percent.")]
    credits = draft.credits if kind.uses_credits else None
    if kind.uses_credits and (credits is None or credits < 1):
        errors["credits"] = [_l("A pass needs at least one day credit.")]
    else:
        _quantity(errors, "credits", credits, 1)
    _quantity(errors, "validity_days", draft.validity_days, 1)
    days_per_month = draft.days_per_month if kind == PlanKind.MONTHLY else None
    _quantity(errors, "days_per_month", days_per_month, 1)
    _quantity(errors, "meeting_room_hours", draft.meeting_room_hours, 0)
    spaces = []
    if not draft.all_spaces:
        wanted = set(draft.space_ids or ())
        spaces = db.session.scalars(select(Space).where(Space.id.in_(wanted))).all() if all(
            isinstance(i, int) and 0 < i < 2**31 for i in wanted) else []
        if not wanted or len(spaces) != len(wanted):
            errors["space_ids"] = [_l("Choose the spaces the plan covers, or all spaces.")]
    description = (draft.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [_l("At most %(n)s characters.", n=DESCRIPTION_MAX)]
    name_en, description_en = (draft.name_en or "").strip(), (draft.description_en or "").strip()
    if len(name_en) > NAME_MAX:
        errors["name_en"] = [_l("At most %(n)s characters.", n=NAME_MAX)]
    if len(description_en) > DESCRIPTION_MAX:
        errors["description_en"] = [_l("At most %(n)s characters.", n=DESCRIPTION_MAX)]
    stripe_price_id = (draft.stripe_price_id or "").strip() or None
    if stripe_price_id and len(stripe_price_id) > STRIPE_PRICE_MAX:
        errors["stripe_price_id"] = [_l("At most %(n)s characters.", n=STRIPE_PRICE_MAX)]
    seller = None
    if draft.seller_id is not None:
        seller = db.session.get(Operator, draft.seller_id) if isinstance(
            draft.seller_id, int) and 0 < draft.seller_id < 2**31 else None
        if seller is None:
            errors["seller_id"] = [_l("Choose the operator that sells the plan.")]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    return ({"seller": seller} if seller is not None else {}) | {"name": name, "description": description, "name_en": name_en,
            "description_en": description_en, "price_cents": draft.price_cents,
            "vat_basis_points": draft.vat_basis_points, "credits": credits,
            "validity_days": draft.validity_days, "days_per_month": days_per_month,
            "meeting_room_hours": draft.meeting_room_hours or 0,
            "all_spaces": bool(draft.all_spaces), "once_per_member": bool(draft.once_per_member),
            "stripe_price_id": stripe_price_id,
            "spaces": sorted(spaces, key=lambda space: space.name)}


def _kind(value):
    try:
        return PlanKind(value)
    except ValueError:
        raise InvalidInput(_l("Choose what kind of plan this is."), field="kind") from None


def _shown(value):
    """A value as the event's payload keeps it: spaces and the seller by slug."""
    if isinstance(value, list):
        return [space.slug for space in value]
    return value.slug if isinstance(value, Operator) else value


@use_case
def create_plan(actor, draft):
    _require_admin(actor)
    kind = _kind(draft.kind)
    values = _checked(draft, kind)
    values["seller"] = values.get("seller") or default_seller(values["spaces"],
                                                              values["all_spaces"])
    plan = Plan(kind=kind, currency="eur", created_at=clock.utcnow(), **values)
    db.session.add(plan)
    db.session.flush()
    events.record(PlanChanged(plan, actor.id, "created",
                              {key: [None, _shown(value)] for key, value in values.items()}
                              | {"kind": [None, kind.value]}))
    return plan


def _plan_for_update(plan_id):
    plan = db.session.scalars(
        select(Plan).where(Plan.id == plan_id).with_for_update(of=Plan)
        .execution_options(populate_existing=True)).first() if 0 < plan_id < 2**31 else None
    if plan is None:
        raise NotFound(_l("There is no plan %(id)s.", id=plan_id))
    return plan


@use_case
def update_plan(actor, plan_id, draft):
    """Change a plan; its kind stays what it was sold as. New purchases pay the new price;
    payments already made or due keep theirs."""
    _require_admin(actor)
    plan = _plan_for_update(plan_id)
    values = _checked(draft, plan.kind)
    changes = {}
    for key, value in values.items():
        if _shown(getattr(plan, key)) != _shown(value):
            changes[key] = [_shown(getattr(plan, key)), _shown(value)]
            setattr(plan, key, value)
    if changes:
        events.record(PlanChanged(plan, actor.id, "updated", changes))
    return plan


@use_case
def retire_plan(actor, plan_id):
    """No longer sold; memberships already bought on it run on. Retiring twice changes nothing."""
    _require_admin(actor)
    plan = _plan_for_update(plan_id)
    if plan.retired_at is None:
        plan.retired_at = clock.utcnow()
        events.record(PlanChanged(plan, actor.id, "retired", {"retired": [False, True]}))
    return plan


def all_plans(actor):
    """Every plan, on sale first, for the admins' list."""
    _require_admin(actor)
    return db.session.scalars(
        select(Plan).order_by(Plan.retired_at.is_not(None), Plan.kind, Plan.price_cents,
                              Plan.id)).all()


def plan_to_edit(actor, plan_id):
    _require_admin(actor)
    plan = db.session.get(Plan, plan_id) if 0 < plan_id < 2**31 else None
    if plan is None:
        raise NotFound(_l("There is no plan %(id)s.", id=plan_id))
    return plan
