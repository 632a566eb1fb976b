"""What happens to events and registrations, for the subscribers that tell people (mail now;
other channels subscribe beside it)."""
from coworking.events import Event


class RegistrationEvent(Event):
    def __init__(self, registration):
        self.registration = registration

    def payload(self):
        return {"registration_id": self.registration.id,
                "event_id": self.registration.event_id}


class GuestRegistered(RegistrationEvent):
    """A guest gave their name and address: they are sent the link that confirms it.
    `secret` is the link's; it is stored only hashed and never in a payload."""

    name = "space_event.guest_registered"

    def __init__(self, registration, secret):
        super().__init__(registration)
        self.secret = secret


class RegistrationChanged(RegistrationEvent):
    """Someone registered, confirmed, cancelled or took a place: the member's feed changed."""

    name = "space_event.registration_changed"


class PlaceOffered(RegistrationEvent):
    """A freed place is held for the first on the waiting list; they are to be asked. A
    guest's `secret` is a fresh link (the old one was stored only hashed)."""

    name = "space_event.place_offered"

    def __init__(self, registration, secret=None):
        super().__init__(registration)
        self.secret = secret


class SpaceEventChanged(Event):
    """The event's time or place changed (`cancelled`: it was called off); everyone
    registered in any way is told."""

    name = "space_event.changed"

    def __init__(self, event, registrations, cancelled=False):
        self.event = event
        self.registrations = registrations
        self.cancelled = cancelled

    def payload(self):
        return {"event_id": self.event.id, "cancelled": self.cancelled,
                "registrations": [r.id for r in self.registrations]}
