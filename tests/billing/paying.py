"""Steps the billing tests share: start Checkout, deliver Stripe's events, read back."""
from datetime import datetime

from sqlalchemy import select

from coworking.billing.checkout import start_checkout
from coworking.billing.models import StripeEvent
from coworking.extensions import db
from coworking.memberships.models import CreditEntry, Payment
from coworking.outbox import OutboxMessage

SUCCESS_URL = "https://cowork.test/billing/return?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://cowork.test/billing/cancel"
# Tuesday, the day after the frozen clock's Monday morning.
NINE, TEN, ELEVEN = (datetime.fromisoformat(f"2027-03-02T{h}:00:00+01:00")
                     for h in ("09", "10", "11"))


def checkout(payment):
    """Checkout for a due payment, as the member's pay button starts it."""
    return start_checkout(payment.id, SUCCESS_URL, CANCEL_URL)


def events(fake, *types):
    """The events the fake would have sent, oldest first, of these types (all if none)."""
    return [e for e in fake.events if not types or e["type"] in types]


def deliver(fake, client, *sent):
    """Deliver signed events through the app's webhook endpoint; their recorded outcomes."""
    outcomes = []
    for event in sent:
        response = fake.deliver(client, event)
        assert response.status_code == 200, response.get_data(as_text=True)
        outcomes.append(response.get_json()["outcome"])
    return outcomes


def fresh(obj):
    """`obj` as the database holds it now (the requests changed it in their own sessions)."""
    db.session.commit()
    db.session.refresh(obj)
    return obj


def payment_of(**criteria):
    db.session.commit()
    return db.session.scalars(select(Payment).filter_by(**criteria).order_by(Payment.id)).first()


def ledger(membership):
    db.session.commit()
    return [(e.delta, e.reason) for e in db.session.scalars(
        select(CreditEntry).where(CreditEntry.membership_id == membership.id)
        .order_by(CreditEntry.id))]


def recorded_events():
    db.session.commit()
    return {e.id: e.outcome for e in db.session.scalars(select(StripeEvent))}


def outbox_topics():
    db.session.commit()
    return [m.topic for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
