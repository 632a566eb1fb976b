"""Domain events: models record what changed; inside the unit of work, before it commits,
subscribers turn them into rows (outbox messages, audit entries, calendar stamps).

The package that records an event imports none of its subscribers: they register here.
"""
from collections import defaultdict

from coworking.extensions import db

_subscribers = defaultdict(list)


class Event:
    """A fact the domain reports; `name` is its topic, `payload()` what a worker needs later."""

    name = "event"

    def payload(self):
        return {}


def subscribe(event_type):
    """Register a handler for `event_type` and its subclasses, run in the recording unit."""

    def register(handler):
        _subscribers[event_type].append(handler)
        return handler

    return register


def record(event):
    db.session().info.setdefault("events", []).append(event)


def pending(session):
    return bool(session.info.get("events"))


def dispatch(session):
    """Hand every recorded event to its subscribers; what they record is handed on too."""
    while queue := session.info.pop("events", None):
        for event in queue:
            for event_type in type(event).__mro__:
                for handler in _subscribers.get(event_type, ()):
                    handler(event)
        session.flush()


def discard(session):
    session.info.pop("events", None)
