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
    """`reason`: why the space cancelled it (a desk retired, a closure), for its member."""

    name = "booking.cancelled"

    def __init__(self, booking, reason=None):
        super().__init__(booking)
        self.reason = reason

    def payload(self):
        return super().payload() | ({"reason": self.reason} if self.reason else {})


class BookingExpired(BookingEvent):
    """A payment hold ran out unpaid and freed its desk."""
    name = "booking.expired"


class BookingCheckedIn(BookingEvent):
    name = "booking.checked_in"


class BookingCompleted(BookingEvent):
    name = "booking.completed"


class BookingNoShow(BookingEvent):
    name = "booking.no_show"


class BookingRestored(BookingEvent):
    """A host undid their check-in, check-out or no-show: the booking is as it was before."""
    name = "booking.restored"


class BookingChanged(BookingEvent):
    """Its member moved it to another time or desk; `before`: start, end and resource id."""

    name = "booking.changed"

    def __init__(self, booking, before):
        super().__init__(booking)
        self.before = before

    def payload(self):
        before = self.before
        return super().payload() | {"before": {
            "start": before["start"].astimezone(UTC).isoformat(),
            "end": before["end"].astimezone(UTC).isoformat(),
            "resource_id": before["resource_id"]}}


class BookingMoved(BookingEvent):
    """The space moved it to another resource of the same kind, same times (its own was
    retired); `from_resource` is where it was."""

    name = "booking.moved"

    def __init__(self, booking, from_resource, reason=None):
        super().__init__(booking)
        self.from_resource, self.reason = from_resource, reason

    def payload(self):
        return super().payload() | {"from_resource_id": self.from_resource.id}


class CollectedOnSite(Event):
    """A host took a payment on site for a booking (which was in status `before`): the host's
    day keeps it so it can be undone."""

    name = "booking.collected_on_site"

    def __init__(self, actor, booking, before, payment):
        self.actor, self.booking, self.before, self.payment = actor, booking, before, payment

    def payload(self):
        return {"booking_id": self.booking.id, "payment_id": self.payment.id}


class SeriesBooked(Event):
    """The dates of a series were booked in one go: their member gets one message for all."""

    name = "booking.series_booked"

    def __init__(self, series, bookings):
        self.series = series
        self.bookings = bookings

    def payload(self):
        return {"series_id": self.series.id, "user_id": self.series.user_id,
                "booking_ids": [booking.id for booking in self.bookings]}
