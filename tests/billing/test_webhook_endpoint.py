"""POST /webhooks/stripe: only Stripe's signature counts, every event id is applied once (also
when Stripe delivers it twice at the same moment), and types we do not handle are noted."""
import json
import threading

import pytest
from flask.testing import FlaskClient

from coworking.billing import sessions, webhooks
from coworking.errors import Conflict
from coworking.memberships.service import buy, credits_left
from tests.billing.paying import checkout, deliver, events, fresh, ledger, recorded_events


@pytest.fixture
def paid_card(shop):
    """The member paid for the card on the hosted page; the events are not delivered yet."""
    membership, payment = buy(shop.member, shop.card.id, online=True)
    payment = checkout(payment)
    shop.fake.complete_session(payment.checkout_session_id)
    return membership, events(shop.fake, "checkout.session.completed")[0]


def assert_refused(response):
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 400


@pytest.mark.parametrize("forgery", ["wrong secret", "stale", "no signature", "edited body"])
def test_a_request_without_a_valid_recent_signature_changes_nothing(shop, client, paid_card,
                                                                   forgery):
    membership, completed = paid_card
    fake = shop.fake
    if forgery == "wrong secret":
        response = fake.deliver(client, completed, secret="whsec_someone_else")
    elif forgery == "stale":  # replayed after Stripe's five minutes of tolerance
        response = fake.deliver(client, completed, timestamp=fake.now() - 301)
    else:
        payload, headers = fake.signed(completed)
        if forgery == "no signature":
            del headers["Stripe-Signature"]
        else:
            payload = payload.replace('"paid"', '"no_payment_required"')
        response = client.post("/webhooks/stripe", data=payload.encode(), headers=headers)

    assert_refused(response)
    assert recorded_events() == {} and fresh(membership).status == "pending"


def test_a_signed_body_that_is_not_an_event_is_refused(shop, client):
    payload, headers = shop.fake.signed("this is not JSON")
    assert_refused(client.post("/webhooks/stripe", data=payload.encode(), headers=headers))


def test_without_a_webhook_secret_every_request_is_refused(shop, client, app, paid_card):
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    assert_refused(shop.fake.deliver(client, paid_card[1]))


def test_a_type_we_do_not_handle_is_recorded_as_ignored(shop, client):
    event = shop.fake.event("customer.created", {"id": "cus_new", "object": "customer"})

    assert deliver(shop.fake, client, event, event) == ["ignored", "repeat"]
    assert recorded_events() == {event["id"]: "ignored"}


def test_two_deliveries_of_one_event_at_the_same_moment_apply_it_once(shop, app, paid_card):
    membership, completed = paid_card
    barrier, answers = threading.Barrier(2), []

    def deliver_once():
        barrier.wait(timeout=30)
        answers.append(shop.fake.deliver(FlaskClient(app), completed).get_json()["outcome"])

    threads = [threading.Thread(target=deliver_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == ["applied", "repeat"]
    assert ledger(membership) == [(10, "purchase")]


def test_a_delivery_that_loses_the_race_inside_its_unit_rolls_back_whole(
        shop, app, client, paid_card, monkeypatch):
    """Both deliveries pass the early look-up; the event's row decides, and the loser's
    effects are rolled back with it."""
    membership, completed = paid_card
    raced = []

    def prefetch_while_the_other_delivery_applies(session):
        if not raced:  # the first delivery lets the second one run to its end meanwhile
            raced.append(True)
            other = threading.Thread(
                target=lambda: raced.append(shop.fake.deliver(FlaskClient(app), completed)))
            other.start()
            other.join(timeout=60)
        return sessions.prefetch(session)

    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed",
                        (prefetch_while_the_other_delivery_applies, sessions.apply))

    assert deliver(shop.fake, client, completed) == ["repeat"]
    assert raced[1].get_json()["outcome"] == "applied"
    assert recorded_events() == {completed["id"]: "applied"}
    assert ledger(membership) == [(10, "purchase")] and credits_left(fresh(membership)) == 10


def test_an_event_that_needs_stripe_while_it_is_unreachable_comes_again(shop, app, client):
    membership, payment = buy(shop.member, shop.monthly.id, online=True)
    shop.fake.complete_session(checkout(payment).checkout_session_id)
    completed = events(shop.fake, "checkout.session.completed")[0]
    shop.fake.stop()

    response = shop.fake.deliver(client, completed)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert recorded_events() == {}

    shop.fake.start()  # Stripe is back (on a new port) and sends the event again
    app.config["STRIPE_API_BASE"] = shop.fake.base_url
    assert deliver(shop.fake, client, completed) == ["applied"]
    assert fresh(membership).status == "active"


def test_an_event_our_rules_refuse_is_recorded_once_and_leaves_no_half_change(
        shop, client, paid_card, monkeypatch):
    membership, completed = paid_card

    def apply_then_refuse(*args):
        sessions.apply(*args)  # activates the card...
        raise Conflict("This membership has ended.")  # ...then a rule says no

    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed",
                        (None, apply_then_refuse))

    assert deliver(shop.fake, client, completed, completed) == [
        "refused: This membership has ended.", "repeat"]
    assert fresh(membership).status == "pending" and ledger(membership) == []


def test_the_answer_names_what_was_done(shop, client, paid_card):
    response = shop.fake.deliver(client, paid_card[1])
    assert json.loads(response.get_data()) == {"received": True, "outcome": "applied"}
