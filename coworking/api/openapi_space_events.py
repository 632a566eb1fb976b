"""The events part of the OpenAPI document: upcoming events, a host's new event, its changes
and cancellation, and registrations. Built with the document's own helpers (see openapi.py)."""
from coworking.api.schemas import TIME

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
EVENT_ID = {"name": "event_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1}}
REGISTRATION_ID = {"name": "registration_id", "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 1}}
AUTH = [{"bearer": []}, {"session": []}]
LINE = "^[^\\x00-\\x1f\\x7f]*$"
LINES = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
NULLABLE_LINE = {"type": ["string", "null"], "maxLength": 200, "pattern": LINE}
NULLABLE_TEXT = {"type": ["string", "null"], "maxLength": 20000, "pattern": LINES}
VISIBILITY = {"enum": ["public", "members"],
              "description": "`public`: anyone sees it and guests may register; `members`: "
                             "only signed-in members"}

EVENT = {
    "type": "object",
    "required": ["id", "space", "title", "start", "end", "capacity", "registered",
                 "visibility"],
    "properties": {
        "id": {"type": "integer"}, "space": {"type": "string"},
        "title": {"type": "string"}, "title_en": {"type": ["string", "null"]},
        "description": {"type": "string"}, "description_en": {"type": ["string", "null"]},
        "start": TIME, "end": TIME,
        "resource_id": {"type": ["integer", "null"],
                        "description": "The room booked for it, if any"},
        "capacity": {"type": "integer", "minimum": 1},
        "registered": {"type": "integer", "description": "How many have a place"},
        "visibility": VISIBILITY},
}
REGISTRATION = {
    "type": "object", "required": ["id", "status"],
    "properties": {"id": {"type": "integer"}, "event_id": {"type": "integer"},
                   "status": {"enum": ["confirmed", "waitlisted", "unconfirmed", "offered"],
                              "description": "`unconfirmed`: a guest who has yet to follow "
                                             "the link e-mailed to them"}},
}
CHANGES = {
    "title": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": LINE},
    "description": {"type": "string", "maxLength": 20000, "pattern": LINES},
    "title_en": NULLABLE_LINE, "description_en": NULLABLE_TEXT,
    "start": {**TIME, "description": "Within the space's opening hours"},
    "end": TIME,
    "resource_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1,
                    "description": "A meeting room of the space, booked for the event"},
    "capacity": {"type": "integer", "minimum": 1, "maximum": 10000},
    "visibility": VISIBILITY,
}


def paths(json, problem, body):
    signed_out = problem("Not signed in")
    malformed = problem("Malformed JSON, or a session write without its CSRF token")
    not_host = problem("Not a host of this space nor an admin")
    return {
        "/api/v1/events": {"get": {
            "summary": "Upcoming events",
            "description": "Public events for anyone; members-only ones too for anyone "
                           "signed in. Cancelled events are not listed.",
            "parameters": [
                {"name": "space", "in": "query", "required": False,
                 "schema": {"type": "string", "maxLength": 60}},
                {"name": "from", "in": "query", "required": False,
                 "schema": {"type": "string", "format": "date"},
                 "description": "Events ending on or after this day (default now)"},
                {"name": "to", "in": "query", "required": False,
                 "schema": {"type": "string", "format": "date"},
                 "description": "Events starting on or before this day"}],
            "responses": {"200": json({"type": "array", "items": EVENT}, "The events"),
                          "404": problem("No such space"),
                          "422": problem("A date that is none")}}},
        "/api/v1/spaces/{slug}/events": {"post": {
            "summary": "Create an event in a space",
            "description": "Hosts of the space and admins. With `resource_id` the room is "
                           "booked for the event through the same guards as any booking.",
            "security": AUTH, "parameters": [SLUG],
            "requestBody": body({
                "type": "object",
                "required": ["title", "start", "end", "capacity", "visibility"],
                "properties": CHANGES}),
            "responses": {
                "201": json(EVENT, "The event"), "400": malformed, "401": signed_out,
                "403": not_host, "404": problem("No such space"),
                "409": problem("The room is booked then"),
                "415": problem("The body is not JSON"),
                "422": problem("Outside the opening hours, capacity below 1, no title, a "
                               "resource that is no room of the space; `errors` names the "
                               "field")}}},
        "/api/v1/events/{event_id}": {
            "patch": {
                "summary": "Change an event",
                "description": "What is sent changes. A new time moves its room's booking, "
                               "or answers 409 and changes nothing. Everyone registered is "
                               "told of a new time or room by e-mail.",
                "security": AUTH, "parameters": [EVENT_ID],
                "requestBody": body({"type": "object", "properties": CHANGES}),
                "responses": {
                    "200": json(EVENT, "The event"), "400": malformed, "401": signed_out,
                    "403": not_host, "404": problem("No such event"),
                    "409": problem("The room is booked then, or the event is cancelled or "
                                   "over"),
                    "415": problem("The body is not JSON"),
                    "422": problem("A rule is broken; `errors` names the field")}},
            "delete": {
                "summary": "Cancel an event",
                "description": "Its room is free again and everyone registered is told by "
                               "e-mail. Cancelling twice changes nothing.",
                "security": AUTH, "parameters": [EVENT_ID],
                "responses": {"204": {"description": "Cancelled"}, "400": malformed,
                              "401": signed_out, "403": not_host,
                              "404": problem("No such event"),
                              "409": problem("The event is over")}}},
        "/api/v1/events/{event_id}/registrations": {"post": {
            "summary": "Register for an event",
            "description": "Signed in: the member registers with no body (a second time "
                           "answers 200 with the same registration). Otherwise a guest "
                           "sends `name` and `email`; their registration counts once they "
                           "follow the link e-mailed to them, and their data is deleted "
                           "after the event. A full event puts people on its waiting list; a "
                           "freed place is offered to the first on it for 30 minutes.",
            "parameters": [EVENT_ID],
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 120,
                                        "pattern": LINE},
                               "email": {"type": "string", "format": "email",
                                         "minLength": 3, "maxLength": 254,
                                         "pattern": LINE}}}}}},
            "responses": {
                "200": json(REGISTRATION, "Already registered"),
                "201": json(REGISTRATION, "Registered"), "400": malformed,
                "404": problem("No such event, or members only"),
                "409": problem("The event has started or is cancelled, or this e-mail "
                               "address is registered already"),
                "415": problem("The body is not JSON"),
                "422": problem("A guest's name or address is missing or invalid"),
                "429": problem("Too many guest registrations from this address")}}},
        "/api/v1/events/{event_id}/registrations/{registration_id}": {"delete": {
            "summary": "Withdraw a registration",
            "description": "The registrant; a place it held is offered to the first on the "
                           "waiting list. Guests withdraw through the link e-mailed to them.",
            "security": AUTH, "parameters": [EVENT_ID, REGISTRATION_ID],
            "responses": {"204": {"description": "Withdrawn"}, "400": malformed,
                          "401": signed_out,
                          "404": problem("No such registration of yours")}}},
    }
