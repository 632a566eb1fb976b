"""Who else than the member may pay for a booking (`bill_to`): the packages that hold such
payers register them here, and `book` asks the chosen one where it would choose the member's
own cover. Bookings thus know a payer only by its name (a company pays for its people)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from coworking.errors import InvalidInput

_PAYERS = {}


@dataclass(frozen=True)
class Request:
    """What a payer is asked to cover: plain values, so payers need not know bookings."""

    user: object
    resource: object
    kind: str          # a cover kind (memberships.cover.DESK, ...)
    local_day: object  # the booked day in the space's time zone
    now: object


def register(name, payer):
    """`payer.label(user)`: what the member is offered (None when it does not pay for them);
    `payer.cover(request)`: a function that records the charge once the booking exists
    (called with its id), or a DomainError (402 when its cover does not reach)."""
    _PAYERS[name] = payer


def names():
    return tuple(_PAYERS)


def choices_for(user):
    """(name, label) of every payer that would pay for this member's bookings."""
    offered = ((name, payer.label(user)) for name, payer in _PAYERS.items())
    return [(name, label) for name, label in offered if label]


def cover_by(bill_to, request):
    """The charge-recording function of the payer `bill_to` for this booking."""
    payer = _PAYERS.get(bill_to)
    if payer is None:
        raise InvalidInput(_l("Choose who pays: leave it out, or one of: %(names)s.",
                              names=", ".join(_PAYERS)), field="bill_to")
    return payer.cover(request)
