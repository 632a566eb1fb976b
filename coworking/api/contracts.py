"""§ 312k BGB over the API: cancelling a contract, with or without signing in."""
from flask import jsonify
from flask_login import current_user

from coworking.accounts.service import EMAIL_MAX
from coworking.api import bp
from coworking.api.common import client_address, programme_time
from coworking.api.inputs import json_fields
from coworking.contracts import service
from coworking.contracts.models import CancellationKind


@bp.post("/contracts/cancel")
def cancel_contracts():
    """202 whatever the address: the answer tells a stranger nothing. Signed in as the
    address's account it takes effect at once and lists what ends; otherwise a link by
    e-mail confirms it."""
    fields = json_fields()
    email = fields.string("email", EMAIL_MAX + 50)
    membership_id = fields.integer("membership_id", minimum=1, maximum=2**31 - 1,
                                   required=False)
    name = fields.string("name", service.NAME_MAX, required=False)
    kind = fields.choice("kind", tuple(CancellationKind), required=False)
    reason = fields.string("reason", service.REASON_MAX, required=False, multiline=True)
    fields.raise_if_invalid()
    actor = current_user if current_user.is_authenticated else None
    if not name:
        # Signed out, the address stands for the name; an address may be longer than a name.
        name = actor.name if actor is not None else (email or "").strip()[:service.NAME_MAX]
    declared = service.declare(email, name, kind or CancellationKind.ORDINARY, reason or "",
                               membership_id=membership_id, actor=actor,
                               client_address=client_address(), source="api")
    done = declared.at_once and service.complete_at_stripe(declared.cancellation.id)
    return jsonify({
        "received_at": programme_time(declared.received_at),
        "confirmation": ("done" if done else "pending") if declared.at_once else "email",
        "contracts": [{"membership_id": c.membership_id,
                       "ends_at": programme_time(c.ends_at) if c.done_at else None}
                      for c in declared.contracts],
    }), 202
