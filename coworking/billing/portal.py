"""The Stripe Customer Portal, where a member changes or cancels their subscription; what
they do there comes back as webhook events."""
from flask_babel import lazy_gettext as _l

from coworking import clock
from coworking.billing import gateway
from coworking.errors import Conflict
from coworking.memberships.service import own_membership


def open_portal(user, membership_id, return_url):
    """The portal's address for the member's own subscription; a pass has none (409)."""
    membership = own_membership(user, membership_id)
    if not membership.plan.kind.is_subscription or not membership.stripe_subscription_id \
            or not membership.stripe_customer_id:
        raise Conflict(_l("This pass has no subscription to manage; it simply runs out."))
    # One portal session a minute: a double click opens the same one.
    minute = int(clock.utcnow().timestamp()) // 60
    try:
        session = gateway.create_portal_session(
            membership.stripe_customer_id, return_url,
            idempotency_key=f"portal-membership-{membership.id}-{minute}")
    except (gateway.StripeError, gateway.ProviderUnreachable) as error:
        gateway.log.warning("portal for membership %s failed: %s", membership.id, error)
        raise gateway.ProviderUnreachable() from None
    return session["url"]

