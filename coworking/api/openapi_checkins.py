"""The check-in part of the OpenAPI document: check-in, check-out, no-shows, the host's day,
today's code and walk-ins. Built with the document's own helpers (see openapi.py)."""
from coworking.api.schemas import TIME, ref

BOOKING_ID = {"name": "booking_id", "in": "path", "required": True,
              "schema": {"type": "integer", "minimum": 1}}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
AUTH = [{"bearer": []}, {"session": []}]


def paths(json, problem, body):
    csrf = problem("A session write without its CSRF token")
    signed_out = problem("Not signed in")
    return {
        "/api/v1/bookings/{booking_id}/check-in": {"post": {
            "summary": "Check a booking in",
            "description": "The hosts of its space (and admins) check it in without a code; "
                           "its member sends today's check-in code of the space (from the "
                           "poster at the entrance). Possible from 30 minutes before its start "
                           "until its end, also after the grace period as long as it has not "
                           "been released as a no-show. Checking in twice changes nothing. "
                           "A host who has collected what is open on site for it (its day "
                           "pass, or the purchase on site of the plan covering it, shown as "
                           "its `payment`) sends `paid_on_site: true` to confirm that payment "
                           "in the same step; the payment is then `paid`.",
            "security": AUTH, "parameters": [BOOKING_ID],
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"code": {"type": "string", "maxLength": 40,
                                        "description": "Today's code; the member's way in"},
                               "paid_on_site": {"type": "boolean", "default": False,
                                                "description": "Hosts: the payment open on "
                                                               "site was received"}}}}}},
            "responses": {"200": json(ref("Booking"), "The booking, checked_in"),
                          "400": problem("Malformed JSON, or a session write without its "
                                         "CSRF token"),
                          "401": signed_out,
                          "403": problem("Neither its member nor a host of its space, or "
                                         "`paid_on_site` sent by its member"),
                          "404": problem("No such booking, or not yours to see"),
                          "409": problem("Cancelled, over (completed, no-show, ended), not "
                                         "paid yet, earlier than 30 minutes before its "
                                         "start, or `paid_on_site` with nothing open on "
                                         "site (then nothing is checked in)"),
                          "415": problem("The body is not sent as Content-Type: "
                                         "application/json"),
                          "422": problem("The code is missing, wrong, of another day or of "
                                         "another space (errors name `code`), or "
                                         "`paid_on_site` is not a boolean"),
                          "429": problem("Too many wrong codes; see Retry-After")},
        }},
        "/api/v1/bookings/{booking_id}/check-out": {"post": {
            "summary": "Check a booking out: its member, or a host of its space",
            "description": "The rest of its time is free again. Checking out twice changes "
                           "nothing. At closing time everyone still checked in is checked out "
                           "automatically.",
            "security": AUTH, "parameters": [BOOKING_ID],
            "responses": {"200": json(ref("Booking"), "The booking, completed"),
                          "400": csrf, "401": signed_out,
                          "404": problem("No such booking, or not yours to see"),
                          "409": problem("Not checked in")},
        }},
        "/api/v1/bookings/{booking_id}/no-show": {"post": {
            "summary": "Mark a booking as not come: the hosts of its space",
            "description": "Once start + the space's grace period has passed without a "
                           "check-in. The rest of its time is free again; a credit it took "
                           "is not returned. A job does the same every minute.",
            "security": AUTH, "parameters": [BOOKING_ID],
            "responses": {"200": json(ref("Booking"), "The booking, no_show"),
                          "400": csrf, "401": signed_out,
                          "403": problem("Your own booking: only a host marks a no-show"),
                          "404": problem("No such booking, or not yours to see"),
                          "409": problem("Checked in, over, cancelled, or the grace period "
                                         "has not passed yet")},
        }},
        "/api/v1/bookings/{booking_id}/undo": {"post": {
            "summary": "Undo the latest host action on a booking: any host of its space",
            "description": "Takes back the latest check-in, check-out, no-show or \"paid on "
                           "site\" a host recorded on the booking, within 15 minutes of it. "
                           "A no-show taken back restores the booking on its desk, or on "
                           "another free one of the same kind when its own has been taken; "
                           "it then keeps its desk until its end. A payment taken back is "
                           "due again.",
            "security": AUTH, "parameters": [BOOKING_ID],
            "responses": {"200": json(ref("Booking"), "The booking as it was before"),
                          "400": csrf, "401": signed_out,
                          "403": problem("Its member, or a host of another space"),
                          "404": problem("No such booking, or not yours to see"),
                          "409": problem("Nothing to undo, more than 15 minutes ago, the "
                                         "booking changed since, or its desk and every "
                                         "other of its kind taken")},
        }},
        "/api/v1/spaces/{slug}/day": {"get": {
            "summary": "The host's day of a space: its bookings with member names",
            "security": AUTH,
            "parameters": [SLUG, {"name": "date", "in": "query",
                                  "schema": {"type": "string", "format": "date"},
                                  "description": "Local date (default: today in the space's "
                                                 "time zone)"}],
            "responses": {"200": json(ref("Day"), "The day"), "401": signed_out,
                          "403": problem("Not a host of this space"),
                          "404": problem("No such space"),
                          "422": problem("Invalid parameters")},
        }},
        "/api/v1/spaces/{slug}/checkin-code": {"get": {
            "summary": "Today's self check-in code of a space: its hosts and admins",
            "security": AUTH, "parameters": [SLUG],
            "responses": {"200": json(ref("CheckinCode"), "Today's code"),
                          "401": signed_out, "403": problem("Not a host of this space"),
                          "404": problem("No such space")},
        }},
        "/api/v1/spaces/{slug}/walk-ins": {"post": {
            "summary": "Take a walk-in: a free desk from now, checked in at once",
            "description": "For the hosts of the space and admins. The booking starts in the "
                           "slot under way and ends at `end` (on the slot grid, or closing "
                           "time). An e-mail address nobody has yet becomes a guest account "
                           "with `name`, without a usable password until its owner sets one; "
                           "without `email` the guest is known by `name` only and no account "
                           "is made (nobody signs in as them, nothing is sent to them). "
                           "Their plan covers the desk; without one a day pass is due on "
                           "site (payment.method on_site). Without `resource_id` any free hot "
                           "desk is taken; a desk overdue for check-in counts as free and its "
                           "booking becomes a no-show.",
            "security": AUTH, "parameters": [SLUG],
            "requestBody": body({"type": "object", "required": ["end"],
                                 "properties": {
                                     "email": {"type": "string", "maxLength": 254,
                                               "description": "Leave out for a guest known "
                                                              "by name only"},
                                     "name": {"type": "string", "maxLength": 200,
                                              "description": "Needed for a new guest, and "
                                                             "without `email`"},
                                     "resource_id": {"type": "integer", "minimum": 1},
                                     "end": TIME}}),
            "responses": {"201": json(ref("Booking"), "The booking, checked_in"),
                          "400": problem("Malformed JSON, or a session write without its "
                                         "CSRF token"),
                          "401": signed_out, "403": problem("Not a host of this space"),
                          "404": problem("No such space"),
                          "409": problem("Nothing free until then, or the person holds a "
                                         "desk then already"),
                          "415": problem("The body is not sent as Content-Type: "
                                         "application/json"),
                          "422": problem("Invalid e-mail address, a new guest without a "
                                         "name, an end not after now or beyond closing time, "
                                         "the space closed now, or no way to pay"),
                          "429": problem("Too many bookings for this person in a short "
                                         "time; see Retry-After")},
        }},
    }
