"""Domain events: models record what changed; inside the unit of work, before it commits,
subscribers turn them into rows (outbox messages, audit entries, calendar stamps).

The package that records an event imports none of its subscribers: `coworking/reactions.py`
registers every one of them here, in one list a reader can open.
"""
from collections import defaultdict

from coworking.extensions import db

_subscribers = defaultdict(list)


class Event:
    """A fact the domain reports; `name` is its topic, `payload()` what a worker needs later."""

    name = "event"

    def payload(self):
        return {}


def subscribe(event_type, *handlers):
    """Register handlers for `event_type` and its subclasses, run in the recording unit, in
    the order given. Registering one twice (a second app in the same process) changes nothing."""
    for handler in handlers:
        if handler not in _subscribers[event_type]:
            _subscribers[event_type].append(handler)


def unsubscribe(event_type, handler):
    _subscribers[event_type].remove(handler)


def subscribers():
    """{event type: [handler, ...]}, in the order they run: for what lists the wiring."""
    return {event_type: list(handlers) for event_type, handlers in _subscribers.items()}


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
