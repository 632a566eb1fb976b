"""A monthly plan through subscription-mode Checkout: its first invoice (also reported before
the session completes, and in the older shape), renewals, a failed renewal, and ending it in
the Customer Portal or at Stripe."""
import copy
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import select

from coworking.billing.holds import expire_holds
from coworking.extensions import db
from coworking.memberships.models import Payment
from coworking.memberships.service import buy
from tests.billing.paying import checkout, deliver, events, fresh, recorded_events
from tests.factories import csrf_token

APRIL_1, MAY_1 = (datetime(2027, 4, 1, 6, tzinfo=UTC), datetime(2027, 5, 1, 6, tzinfo=UTC))


@pytest.fixture
def subscribed(shop):
    """The member bought the monthly plan and paid on the hosted page (events not yet sent)."""
    membership, payment = buy(shop.member, shop.monthly.id, online=True)
    payment = checkout(payment)
    session = shop.fake.complete_session(payment.checkout_session_id)
    return membership, payment, session["subscription"]


def payments_of(membership):
    db.session.commit()
    return [(p.status.value, p.stripe_invoice_id is not None) for p in db.session.scalars(
        select(Payment).where(Payment.membership_id == membership.id).order_by(Payment.id))]


@pytest.mark.parametrize("order", ["session first", "invoice first"])
def test_the_first_invoice_and_the_completed_session_activate_it_once_in_either_order(
        shop, client, subscribed, order):
    membership, payment, subscription_id = subscribed
    completed = events(shop.fake, "checkout.session.completed")[0]
    paid = events(shop.fake, "invoice.paid")[0]
    sent = [completed, paid] if order == "session first" else [paid, completed]

    outcomes = deliver(shop.fake, client, *sent, *sent)

    assert outcomes[2:] == ["repeat", "repeat"]
    membership = fresh(membership)
    assert (membership.status, membership.current_period_end) == ("active", APRIL_1)
    assert membership.stripe_subscription_id == subscription_id
    assert membership.stripe_customer_id.startswith("cus_")
    assert payments_of(membership) == [("paid", True)]  # the checkout's payment, invoiced


def test_an_invoice_in_the_older_shape_finds_its_membership_through_the_subscription(
        shop, client, subscribed):
    membership, _payment, subscription_id = subscribed
    older = copy.deepcopy(events(shop.fake, "invoice.paid")[0])
    older["id"] = "evt_older_shape"
    del older["data"]["object"]["parent"]  # only the top-level `subscription`, no metadata
    for line in older["data"]["object"]["lines"]["data"]:
        del line["period"]

    assert deliver(shop.fake, client, older) == ["applied"]
    membership = fresh(membership)
    assert (membership.status, membership.current_period_end) == ("active", APRIL_1)
    assert membership.stripe_subscription_id == subscription_id


def test_a_renewal_extends_the_paid_period_and_an_old_invoice_does_not_shorten_it(
        shop, client, subscribed):
    membership, _payment, subscription_id = subscribed
    first = events(shop.fake, "invoice.paid")[0]
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))
    shop.frozen.set("2027-04-01T08:00:00+02:00")
    shop.fake.renew(subscription_id)
    renewal = events(shop.fake, "invoice.paid")[1]

    assert deliver(shop.fake, client, renewal, first) == ["applied", "applied"]
    membership = fresh(membership)
    assert (membership.status, membership.current_period_end) == ("active", MAY_1)
    assert payments_of(membership) == [("paid", True), ("paid", True)]


def test_a_failed_renewal_makes_it_past_due_until_the_retry_is_paid(shop, client, subscribed):
    membership, _payment, subscription_id = subscribed
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed", "invoice.paid"))
    shop.frozen.set("2027-04-01T08:00:00+02:00")
    shop.fake.fail_renewal(subscription_id)
    (failed,) = events(shop.fake, "invoice.payment_failed")
    past_due = events(shop.fake, "customer.subscription.updated")[-1]

    assert deliver(shop.fake, client, failed, past_due, failed) == ["applied", "applied",
                                                                    "repeat"]
    assert fresh(membership).status == "past_due"
    assert membership.current_period_end == APRIL_1  # what was paid; it keeps covering meanwhile

    shop.fake.renew(subscription_id)  # Stripe's retry succeeds
    retried = events(shop.fake, "invoice.paid")[-1]
    stale = copy.deepcopy(failed) | {"id": "evt_failure_reported_again"}
    assert deliver(shop.fake, client, retried, stale, past_due) == [
        "applied", "invoice paid since", "repeat"]
    membership = fresh(membership)
    assert (membership.status, membership.current_period_end) == ("active", MAY_1)
    assert payments_of(membership) == [("paid", True), ("paid", True)]


def test_cancelled_in_the_portal_it_ends_with_its_paid_period(shop, client, login, subscribed):
    membership, _payment, subscription_id = subscribed
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed", "invoice.paid"))
    login(shop.member.email)

    response = client.post(f"/billing/memberships/{membership.id}/portal",
                           data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 303
    portal = response.headers["Location"]
    assert portal.startswith(f"{shop.fake.base_url}/portal/")
    requests.post(portal, data={"subscription": subscription_id}, allow_redirects=False)
    updated = events(shop.fake, "customer.subscription.updated")[-1]

    assert deliver(shop.fake, client, updated) == ["applied"]
    assert fresh(membership).cancel_at_period_end and membership.status == "active"
    assert expire_holds()["subscriptions ended"] == 0

    shop.frozen.set("2027-04-01T08:00:00+02:00")
    shop.fake.renew(subscription_id)  # at the period's end Stripe deletes it
    deliver(shop.fake, client, *events(shop.fake, "customer.subscription.deleted"))
    assert fresh(membership).status == "cancelled" and membership.ended_at is not None


def test_deleted_mid_period_it_keeps_covering_until_the_paid_period_ends(
        shop, client, subscribed):
    membership, _payment, subscription_id = subscribed
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed", "invoice.paid"))
    shop.frozen.set("2027-03-15T10:00:00+01:00")
    shop.fake.client().v1.subscriptions.cancel(subscription_id)
    deleted = events(shop.fake, "customer.subscription.deleted")

    assert deliver(shop.fake, client, *deleted, *deleted) == ["applied", "repeat"]
    membership = fresh(membership)
    assert membership.status == "active" and membership.cancel_at_period_end
    assert membership.covers_instant(datetime(2027, 3, 31, 9, tzinfo=UTC))
    assert not membership.covers_instant(APRIL_1)

    shop.frozen.set("2027-04-01T08:00:00+02:00")
    assert expire_holds()["subscriptions ended"] == 1
    assert fresh(membership).status == "cancelled" and membership.ended_at == APRIL_1


def test_events_of_an_unknown_subscription_are_recorded_and_change_nothing(
        shop, client, subscribed):
    membership, _payment, _subscription_id = subscribed
    stranger = {"id": "sub_unknown", "object": "subscription", "status": "past_due",
                "customer": "cus_unknown", "metadata": {}, "items": {"data": []},
                "cancel_at_period_end": False}

    response = shop.fake.send_event(client, "customer.subscription.updated", stranger)

    assert response.status_code == 200 and response.get_json()["outcome"] == "unknown subscription"
    assert "unknown subscription" in recorded_events().values()
    assert fresh(membership).status == "pending"


def test_the_portal_over_the_api_is_for_the_members_own_subscription(
        shop, client, api, subscribed, make_user):
    membership, _payment, _subscription_id = subscribed
    deliver(shop.fake, client, *events(shop.fake, "checkout.session.completed"))
    member = api(shop.member)

    opened = member.post(f"/api/v1/memberships/{membership.id}/portal")
    assert opened.status_code == 201
    assert opened.json["url"].startswith(f"{shop.fake.base_url}/portal/")
    assert requests.get(opened.json["url"]).status_code == 200

    assert api(make_user()).post(f"/api/v1/memberships/{membership.id}/portal").status_code == 404
    card, _card_payment = buy(shop.member, shop.card.id, online=True)
    refused = member.post(f"/api/v1/memberships/{card.id}/portal")
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"


def test_a_pass_has_no_portal_and_the_member_reads_why(shop, client, login):
    card, _payment = buy(shop.member, shop.card.id, online=True)
    login(shop.member.email)

    response = client.post(f"/billing/memberships/{card.id}/portal",
                           data={"csrf_token": csrf_token(client, "/account")},
                           follow_redirects=True)

    assert response.request.path == "/account"
    assert 'class="flash error"' in response.get_data(as_text=True)
