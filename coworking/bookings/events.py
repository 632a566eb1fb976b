"""What happens to bookings, as domain events for the outbox, calendars, mail and research."""
from datetime import UTC

from coworking.events import Event


class BookingEvent(Event):
    def __init__(self, booking):
        self.booking = booking

    def payload(self):
        booking = self.booking
        return {"booking_id": booking.id, "user_id": booking.user_id,
                "resource_id": booking.resource_id, "status": booking.status.value,
                "start": booking.start_at.astimezone(UTC).isoformat(),
                "end": booking.end_at.astimezone(UTC).isoformat()}


class BookingHeld(BookingEvent):
    """A desk is held while its member pays."""
    name = "booking.held"


class BookingConfirmed(BookingEvent):
    name = "booking.confirmed"


class BookingCancelled(BookingEvent):
    name = "booking.cancelled"


class BookingExpired(BookingEvent):
    """A payment hold ran out unpaid and freed its desk."""
    name = "booking.expired"


class BookingCheckedIn(BookingEvent):
    name = "booking.checked_in"


class BookingCompleted(BookingEvent):
    name = "booking.completed"


class BookingNoShow(BookingEvent):
    name = "booking.no_show"
