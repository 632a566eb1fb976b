"""Subscribing a member's device to Web Push and ending it again."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from coworking import clock
from coworking.database import savepoint, use_case
from coworking.errors import Conflict, InvalidInput, NotFound
from coworking.extensions import db
from coworking.push import keys
from coworking.push.endpoints import endpoint_problem
from coworking.push.models import ENDPOINT_MAX, PushSubscription

# A member's devices; the oldest goes when one more subscribes (a phone replaced, a browser
# reset: their subscriptions are never ended by the browser that lost them).
MAX_PER_MEMBER = 10


class PushNotConfigured(Conflict):
    code = "push-not-configured"


def subscription_problems(endpoint, p256dh, auth):
    """Field -> messages for what the server cannot use; empty when all is well."""
    errors = {}
    if endpoint is not None:
        problem = (_l("At most %(n)s characters.", n=ENDPOINT_MAX) if len(endpoint) > ENDPOINT_MAX
                   else endpoint_problem(endpoint))
        if problem:
            errors["endpoint"] = [problem]
    if p256dh is not None and keys.device_key_problem(p256dh):
        errors["keys.p256dh"] = [_l("Not a P-256 public key (65 bytes, base64url).")]
    if auth is not None and keys.auth_secret_problem(auth):
        errors["keys.auth"] = [_l("Not an authentication secret (16 bytes, base64url).")]
    return errors


@use_case
def subscribe(user, endpoint, p256dh, auth):
    """Store (or take over) the subscription of one of `user`'s devices."""
    errors = subscription_problems(endpoint, p256dh, auth)
    if errors:
        raise InvalidInput(_l("The subscription cannot be used."), errors=errors)
    if not keys.configured():
        raise PushNotConfigured(_l("Notifications to phones are not set up on this server."))
    user_id, now = user.id, clock.utcnow()
    values = {"user_id": user_id, "p256dh": p256dh.strip().rstrip("="),
              "auth": auth.strip().rstrip("=")}
    subscription = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint).with_for_update())
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, created_at=now, **values)
        try:
            with savepoint():
                db.session.add(subscription)
        except IntegrityError:
            # The same browser sent it twice at once; the other request stored it.
            raise Conflict(_l("This subscription was stored at the same moment; send it "
                              "again.")) from None
    else:
        if subscription.user_id != user_id:
            subscription.created_at = now
        for name, value in values.items():
            setattr(subscription, name, value)
    db.session.flush()
    _keep_newest(user)
    return subscription


def _keep_newest(user):
    kept = select(PushSubscription.id).where(PushSubscription.user_id == user.id) \
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc()) \
        .limit(MAX_PER_MEMBER)
    db.session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == user.id, PushSubscription.id.not_in(kept.scalar_subquery())))


@use_case
def unsubscribe(user, subscription_id):
    """End one of `user`'s subscriptions; NotFound for another member's or one gone already."""
    subscription = None
    if isinstance(subscription_id, int) and 0 < subscription_id < 2**31:
        subscription = db.session.scalar(
            select(PushSubscription).where(PushSubscription.id == subscription_id,
                                           PushSubscription.user_id == user.id)
            .with_for_update())
    if subscription is None:
        raise NotFound(_l("You have no push subscription %(id)s.", id=subscription_id))
    db.session.delete(subscription)


def subscriptions_of(user):
    return db.session.scalars(
        select(PushSubscription).where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at, PushSubscription.id)).all()


@use_case
def drop(subscription_id):
    """The push service says the subscription is gone (404, 410): so is ours."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))


@use_case
def sent(subscription_id):
    subscription = db.session.get(PushSubscription, subscription_id)
    if subscription is not None:
        subscription.last_sent_at = clock.utcnow()


def forget_devices(event):
    """Signing out everywhere (a lost phone) and a new password end notifications too: a
    phone in other hands must not show the member's offers and bookings."""
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == event.user.id))
