"""Taking back a payment a host confirmed on site by mistake: it is due again, and the
`PaymentConfirmationUndone` event lets invoicing (which issued a document as it settled)
react without this package importing it."""
from coworking import events
from coworking.memberships.models import PaymentMethod, PaymentStatus


class PaymentConfirmationUndone(events.Event):
    """A host undid "paid on site": the payment is due again. `undone_by`: the host's id."""

    name = "payment.confirmation_undone"

    def __init__(self, payment, undone_by, paid_at):
        self.payment, self.undone_by, self.paid_at = payment, undone_by, paid_at

    def payload(self):
        p = self.payment
        return {"payment_id": p.id, "membership_id": p.membership_id,
                "booking_id": p.booking_id, "amount_cents": p.amount_cents,
                "currency": p.currency, "undone_by": self.undone_by,
                "paid_at": self.paid_at.isoformat() if self.paid_at else None}


def undo_paid_on_site(payment, actor_id):
    """Inside the caller's unit: the on-site payment is due again. Returns False when it was
    not a paid on-site payment (nothing changed)."""
    if payment.method != PaymentMethod.ON_SITE or payment.status != PaymentStatus.PAID:
        return False
    paid_at = payment.paid_at
    payment.status, payment.paid_at, payment.confirmed_by_id = PaymentStatus.DUE, None, None
    events.record(PaymentConfirmationUndone(payment, actor_id, paid_at))
    return True
