"""The OpenAPI document's enums are the code's, and keep the values the contract promises."""
from coworking.api.openapi import DOCUMENT
from coworking.bookings.models import BookingStatus
from coworking.spaces.models import ResourceKind


def test_the_documents_enums_come_from_the_code_and_keep_the_contracts_values():
    schemas = DOCUMENT["components"]["schemas"]
    assert schemas["Booking"]["properties"]["status"]["enum"] == [s.value for s in BookingStatus]
    assert set(BookingStatus) == {"pending_payment", "confirmed", "checked_in", "completed",
                                  "cancelled", "no_show"}
    assert schemas["Resource"]["properties"]["kind"]["enum"] == [k.value for k in ResourceKind]
    assert set(ResourceKind) == {"hot_desk", "fixed_desk", "meeting_room", "phone_booth"}
