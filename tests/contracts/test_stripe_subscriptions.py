"""A Stripe subscription cancelled here ends at its period's end through Stripe: the call is
made outside any open transaction with an idempotency key from our row, its answer stored in
a second unit; when Stripe cannot be reached the job makes the call again later."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coworking.contracts.models import CancelledContract
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.service import buy
from coworking.outbox import OutboxMessage
from tests.billing.paying import checkout, deliver, events, fresh
from tests.factories import csrf_token

APRIL_1 = datetime(2027, 4, 1, 6, tzinfo=UTC)
PAGE = "/vertraege/kuendigen"


@pytest.fixture
def subscribed(shop, client):
    """The member holds the monthly plan through a Stripe subscription, paid until 1 April."""
    membership, payment = buy(shop.member, shop.monthly.id, online=True)
    payment = checkout(payment)
    session = shop.fake.complete_session(payment.checkout_session_id)
    deliver(shop.fake, client, *events(shop.fake))
    assert fresh(membership).status == "active"
    shop.frozen.set("2027-03-10T14:03:00+01:00")
    return membership, session["subscription"]


def confirmations():
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail"))
        if m.payload["subject"] == "Bestätigung deiner Kündigung"]


def test_signed_in_the_subscription_ends_at_its_period_end_through_stripe(
        shop, api, subscribed):
    membership, subscription_id = subscribed
    response = api(shop.member).post("/api/v1/contracts/cancel",
                                     json={"email": shop.member.email})
    assert response.status_code == 202, response.json
    assert response.json == {"received_at": "2027-03-10T14:03:00+01:00", "confirmation": "done",
                             "contracts": [{"membership_id": membership.id,
                                            "ends_at": "2027-04-01T08:00:00+02:00"}]}
    at_stripe = shop.fake.object(subscription_id)
    assert at_stripe["cancel_at_period_end"] is True and at_stripe["status"] == "active"
    (call,) = [r for r in shop.fake.requests if r["path"] == f"/v1/subscriptions/{subscription_id}"
               and r["method"] == "POST"]
    (contract,) = db.session.scalars(select(CancelledContract)).all()
    assert call["idempotency_key"] == f"contract-cancellation-{contract.id}"
    membership = fresh(membership)
    assert membership.cancel_at_period_end and membership.current_period_end == APRIL_1
    (mail,) = confirmations()
    assert "Monat: 01.04.2027" in mail["text"] and "10. März 2027 um 14:03 Uhr" in mail["text"]


def test_the_subscription_ends_when_stripe_reports_its_period_over(shop, client, login,
                                                                   subscribed):
    membership, subscription_id = subscribed
    login(shop.member.email)
    client.post(PAGE, data={"name": "M", "email": shop.member.email, "contract": "all",
                            "kind": "ordinary", "csrf_token": csrf_token(client, PAGE)})
    seen = len(shop.fake.events)
    shop.frozen.set("2027-04-01T08:01:00+02:00")
    shop.fake.renew(subscription_id)  # Stripe ends it instead of renewing
    deliver(shop.fake, client, *shop.fake.events[seen:])
    run_all()
    assert fresh(membership).status == "cancelled"
    assert shop.fake.object(subscription_id)["status"] == "canceled"


def test_when_stripe_cannot_be_reached_the_job_cancels_it_later(shop, client, login, app,
                                                               subscribed):
    membership, subscription_id = subscribed
    login(shop.member.email)
    base = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    response = client.post(PAGE, data={"name": "M", "email": shop.member.email,
                                       "contract": "all", "kind": "ordinary",
                                       "csrf_token": csrf_token(client, PAGE)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Deine Kündigung ist am" in html
    assert "Wird beim Zahlungsdienst gekündigt, sobald er antwortet" in html
    assert fresh(membership).cancel_at_period_end is False and confirmations() == []
    assert shop.fake.object(subscription_id)["cancel_at_period_end"] is False

    run_all()  # still unreachable: nothing lost, nothing sent
    assert confirmations() == []
    app.config["STRIPE_API_BASE"] = base
    run_all()
    assert shop.fake.object(subscription_id)["cancel_at_period_end"] is True
    assert fresh(membership).cancel_at_period_end is True
    (mail,) = confirmations()
    assert "10. März 2027 um 14:03 Uhr" in mail["text"]  # when it arrived, not when done
    run_all()
    assert len(confirmations()) == 1


def test_a_subscription_stripe_ended_already_is_done_at_once(shop, api, subscribed):
    membership, subscription_id = subscribed
    shop.fake.client().v1.subscriptions.cancel(subscription_id)  # ended in the dashboard
    response = api(shop.member).post("/api/v1/contracts/cancel",
                                     json={"email": shop.member.email})
    assert response.status_code == 202 and response.json["confirmation"] == "done"
    assert response.json["contracts"][0]["ends_at"] == "2027-03-10T14:03:00+01:00"
