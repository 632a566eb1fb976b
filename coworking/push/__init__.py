"""Web Push: members' devices subscribed to notifications, and `notify`, which sends one to
each of a member's devices through the outbox (waiting-list offers, reminders, changes)."""
from coworking.push.sending import notify  # noqa: F401
