"""A monthly plan through the official library: subscription-mode Checkout, the subscription
and its invoices where API version 2026-10-28 puts their fields, renewals, cancelling, and the
Billing Portal."""
from datetime import UTC, datetime

import pytest
import requests
import stripe

JAN_31 = int(datetime(2027, 1, 31, 9, 0, tzinfo=UTC).timestamp())


def at(year, month, day):
    return int(datetime(year, month, day, 9, 0, tzinfo=UTC).timestamp())


@pytest.fixture
def fake(stripe_server):
    stripe_server.clock = lambda: JAN_31
    return stripe_server


@pytest.fixture
def client(fake):
    return fake.client()


@pytest.fixture
def subscribed(fake, client):
    """A member who bought the monthly plan on the hosted page: the completed session."""
    price = fake.create_price("Monthly plan Mölln", 8900, interval="month")
    session = client.v1.checkout.sessions.create({
        "mode": "subscription", "customer_email": "anna@example.org",
        "line_items": [{"price": price, "quantity": 1}], "client_reference_id": "member-7",
        "metadata": {"plan": "monthly"}, "subscription_data": {"metadata": {"member": "7"}},
        "success_url": "https://cowork.test/welcome?session={CHECKOUT_SESSION_ID}"})
    response = requests.post(session.url, data={"email": "anna@example.org", "name": "Anna",
                                                 "card": "4242424242424242"},
                             allow_redirects=False)
    assert response.status_code == 303
    return client.v1.checkout.sessions.retrieve(session.id, {"expand": ["subscription"]})


def test_a_paid_subscription_session_leaves_an_active_subscription_and_a_paid_invoice(
        client, subscribed):
    subscription = subscribed.subscription
    assert (subscribed.status, subscribed.payment_status) == ("complete", "paid")
    assert subscription.id.startswith("sub_") and subscription.status == "active"
    assert subscribed.customer.startswith("cus_") and subscription.customer == subscribed.customer
    assert subscription.metadata.to_dict() == {"member": "7"}
    item = subscription["items"].data[0]
    assert item.current_period_end == subscription.current_period_end == at(2027, 2, 28)
    assert item.price.recurring.interval == "month"

    invoice = client.v1.invoices.retrieve(subscribed.invoice, {"expand": ["payments"]})
    assert invoice.id.startswith("in_") and invoice.status == "paid"
    assert invoice.parent.subscription_details.subscription == subscription.id
    assert invoice["subscription"] == subscription.id  # the pre-2025 place
    assert (invoice.amount_paid, invoice.billing_reason) == (8900, "subscription_create")
    intent = client.v1.payment_intents.retrieve(invoice.payments.data[0].payment.payment_intent)
    assert intent.status == "succeeded" and intent.customer == subscribed.customer


def test_renewals_move_the_period_on_and_a_failed_one_makes_it_past_due(fake, client,
                                                                        subscribed):
    subscription_id = subscribed.subscription.id
    fake.clock = lambda: at(2027, 2, 28)
    fake.renew(subscription_id)
    renewed = client.v1.subscriptions.retrieve(subscription_id)
    assert renewed["items"].data[0].current_period_end == at(2027, 3, 31)
    assert client.v1.invoices.retrieve(renewed.latest_invoice).billing_reason == \
        "subscription_cycle"

    fake.clock = lambda: at(2027, 3, 31)
    fake.fail_renewal(subscription_id)
    assert client.v1.subscriptions.retrieve(subscription_id).status == "past_due"
    failed = [e for e in fake.events if e["type"] == "invoice.payment_failed"]
    assert failed[0]["data"]["object"]["parent"]["subscription_details"]["subscription"] == \
        subscription_id
    assert fake.events[-1]["data"]["previous_attributes"]["status"] == "active"

    fake.renew(subscription_id)  # the retry succeeds
    retried = client.v1.subscriptions.retrieve(subscription_id)
    assert retried.status == "active" and retried.latest_invoice == failed[0]["data"]["object"]["id"]


def test_cancelling_at_period_end_ends_the_subscription_at_the_next_renewal(fake, client,
                                                                            subscribed):
    subscription_id = subscribed.subscription.id
    updated = client.v1.subscriptions.update(subscription_id, {"cancel_at_period_end": True})
    assert updated.cancel_at_period_end and updated.status == "active"
    assert fake.events[-1]["type"] == "customer.subscription.updated"
    assert fake.events[-1]["data"]["previous_attributes"]["cancel_at_period_end"] is False

    fake.renew(subscription_id)

    ended = client.v1.subscriptions.retrieve(subscription_id)
    assert ended.status == "canceled" and ended.ended_at == at(2027, 2, 28)
    assert fake.events[-1]["type"] == "customer.subscription.deleted"


def test_cancelling_now_ends_it_at_once(fake, client, subscribed):
    canceled = client.v1.subscriptions.cancel(subscribed.subscription.id)

    assert (canceled.status, canceled.ended_at) == ("canceled", JAN_31)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.update(canceled.id, {"cancel_at_period_end": True})


def test_the_billing_portal_lets_the_member_cancel_at_period_end(fake, client, subscribed):
    portal = client.v1.billing_portal.sessions.create({
        "customer": subscribed.customer, "return_url": "https://cowork.test/account"})
    assert portal.id.startswith("bps_") and portal.object == "billing_portal.session"

    page = requests.get(portal.url)
    assert "Monthly plan Mölln" in page.text and 'href="https://cowork.test/account"' in page.text
    requests.post(portal.url, data={"subscription": subscribed.subscription.id})

    assert client.v1.subscriptions.retrieve(subscribed.subscription.id).cancel_at_period_end
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.billing_portal.sessions.create({"customer": "cus_nothere"})
