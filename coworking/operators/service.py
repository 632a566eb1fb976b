"""Finding an operator: the portal's, and who sells or runs something new by default."""
from sqlalchemy import select

from coworking.extensions import db
from coworking.operators.models import Operator

# The programme office runs the portal and sells what covers more than one town.
PROGRAMME_OFFICE_SLUG = "programmbuero"


def portal_operator():
    """The operator that runs the portal, or None before any is set up."""
    return db.session.scalar(select(Operator).where(Operator.runs_portal.is_(True)))


def operator_by_slug(slug):
    return db.session.scalar(select(Operator).where(Operator.slug == slug))


def default_seller(spaces, all_spaces):
    """A plan for exactly one space is sold by that space's operator; anything wider by the
    programme office (the network plan, a trial day anywhere)."""
    if len(spaces) == 1 and not all_spaces:
        return spaces[0].operator
    return portal_operator_or_new()


def portal_operator_or_new():
    """The portal's operator; before anyone set one up, the programme office comes into
    being empty (inside a unit of work)."""
    return portal_operator() or _new_programme_office()


def new_operator(slug, city=""):
    """An operator with no invoice data yet: it sells nothing online until an admin fills it."""
    operator = Operator(slug=free_slug(slug), city=city)
    db.session.add(operator)
    db.session.flush()
    return operator


def _new_programme_office():
    """Before anyone set one up, the programme office comes into being empty."""
    operator = new_operator(PROGRAMME_OFFICE_SLUG)
    operator.runs_portal = True
    return operator


def free_slug(base):
    """`base`, or `base-2`, `base-3`, ... whichever no operator has yet."""
    taken = set(db.session.scalars(select(Operator.slug).where(Operator.slug.like(f"{base}%"))))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
