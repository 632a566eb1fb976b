"""Deleting an account: the person is erased, what the spaces need to stay true is kept.

Bookings not yet begun are cancelled so their desks are free; past bookings, visits, payments
(kept as the law requires for accounts) and the statistics built on them stay, tied to an
account row that no longer names anyone. Research consent goes with the profile, so no later
export holds the member's visits under any pseudonym."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coworking import clock
from coworking.accounts import research_profile
from coworking.accounts.service import erase
from coworking.bookings.idempotency import IdempotencyKey
from coworking.bookings.service import cancel_all_ahead
from coworking.bookings.waitlist_service import leave_all
from coworking.calendars.models import CalendarToken
from coworking.database import use_case
from coworking.errors import Conflict, InvalidInput
from coworking.extensions import db
from coworking.memberships.models import Membership, MembershipStatus
from coworking.privacy.export import mails_to

RUNNING = (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)


def running_subscriptions(user):
    """Subscriptions that would go on charging the member: they end first, in the portal."""
    return db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.status.in_(RUNNING),
                                 Membership.stripe_subscription_id.is_not(None),
                                 Membership.cancel_at_period_end.is_(False))
    ).all()


@use_case
def delete_account(user, password):
    """Delete `user`'s account, confirmed with their password; returns how many bookings
    ahead were cancelled."""
    if not password or not user.check_password(password):
        raise InvalidInput(_l("This is not your password."), field="password")
    if running_subscriptions(user):
        raise Conflict(_l("Your subscription still runs. Please cancel it first (My membership "
                          "→ manage the subscription); you can delete your account right "
                          "after."))
    now = clock.utcnow()
    cancelled = cancel_all_ahead(user, now)
    leave_all(user)
    for model in (CalendarToken, IdempotencyKey):
        db.session.execute(delete(model).where(model.user_id == user.id))
    research_profile.forget(user)
    for message in mails_to(user):
        db.session.delete(message)
    erase(user, now)
    return cancelled
