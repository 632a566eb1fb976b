"""The schedules part of the OpenAPI document: a space's hours on a day, new hours from a
date, and closures, with what becomes of the bookings they hit. Built with the document's
own helpers (see openapi.py)."""

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
AUTH = [{"bearer": []}, {"session": []}]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HH_MM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
WEEK = {"type": "object", "additionalProperties": False,
        "properties": {day: {"type": "array", "items": {
            "type": "array", "items": HH_MM, "minItems": 2, "maxItems": 2,
            "description": "[opens, closes]"}}
            for day in DAYS},
        "description": "Opening intervals per weekday in local wall-clock time; a day "
                       "absent or [] is closed"}
ON_CONFLICT = {"enum": ["refuse", "move", "shorten", "cancel"], "default": "refuse",
               "description": "What becomes of the bookings the change hits: `refuse` "
                              "changes nothing and answers 409 listing them; `move` gives "
                              "each the nearest free time that day on a free resource of its "
                              "kind (else shortens, else cancels); `shorten` keeps the part "
                              "the new hours hold when at least one slot long (else cancels); "
                              "`cancel` cancels with the credit returned. Each member gets "
                              "one e-mail for the change."}
OUTCOMES = {"type": "object", "additionalProperties": {"enum": ["move", "shorten", "cancel"]},
            "description": "Per booking id, overrides `on_conflict` for that booking"}
AFFECTED = {"type": "array", "items": {
    "type": "object", "required": ["booking_id", "outcome"], "additionalProperties": False,
    "properties": {"booking_id": {"type": "integer"},
                   "outcome": {"enum": ["moved", "shortened", "cancelled"]}}}}


def paths(json, problem, body):
    signed_out = problem("Not signed in")
    not_yours = problem("Not a host of this space nor an admin")
    malformed = problem("Malformed JSON, or a session write without its CSRF token")
    return {
        "/api/v1/spaces/{slug}/hours": {
            "get": {
                "summary": "The opening hours that apply on a date",
                "parameters": [SLUG, {"name": "on", "in": "query", "required": False,
                                      "schema": {"type": "string", "format": "date"},
                                      "description": "Local date; today unless given"}],
                "responses": {
                    "200": json({"type": "object", "required": ["effective_from", "hours"],
                                 "properties": {
                                     "effective_from": {"type": ["string", "null"],
                                                        "format": "date"},
                                     "hours": WEEK}},
                                "The week in force on that date, and its first day"),
                    "404": problem("No such space"),
                    "422": problem("`on` is not a date")}},
            "put": {
                "summary": "New opening hours from a date",
                "description": "Applies from `effective_from` (today or later) until the "
                               "next change already planned; the hours before stay as they "
                               "were, so past days keep theirs.",
                "security": AUTH, "parameters": [SLUG],
                "requestBody": body({
                    "type": "object", "required": ["effective_from", "hours"],
                    "properties": {"effective_from": {"type": "string", "format": "date"},
                                   "hours": WEEK, "on_conflict": ON_CONFLICT,
                                   "reason": {"type": "string", "maxLength": 300},
                                   "outcomes": OUTCOMES}}),
                "responses": {
                    "200": json({"type": "object", "required": ["effective_from", "affected"],
                                 "properties": {"effective_from": {"type": "string",
                                                                   "format": "date"},
                                                "affected": AFFECTED}},
                                "Saved; what became of each booking hit"),
                    "400": malformed, "401": signed_out, "403": not_yours,
                    "404": problem("No such space"),
                    "409": problem("Bookings are hit and `on_conflict` is `refuse`: "
                                   "`bookings` lists their ids"),
                    "415": problem("The body is not JSON"),
                    "422": problem("A date in the past, hours that overlap or end before "
                                   "they start; `errors` names the field")}},
        },
        "/api/v1/spaces/{slug}/closures": {"post": {
            "summary": "Close the space on a day, or part of it",
            "security": AUTH, "parameters": [SLUG],
            "requestBody": body({
                "type": "object", "required": ["date", "reason"],
                "properties": {"date": {"type": "string", "format": "date"},
                               "start": HH_MM, "end": HH_MM,
                               "reason": {"type": "string", "maxLength": 200},
                               "reason_en": {
                                   "type": "string", "maxLength": 200,
                                   "description": "The reason in English (optional): English "
                                                  "visitors read the German one, marked as "
                                                  "German, without it"},
                               "on_conflict": ON_CONFLICT, "outcomes": OUTCOMES}}),
            "responses": {
                "201": json({"type": "object", "required": ["id", "affected"],
                             "properties": {"id": {"type": "integer"},
                                            "affected": AFFECTED}},
                            "Saved; what became of each booking hit"),
                "400": malformed, "401": signed_out, "403": not_yours,
                "404": problem("No such space"),
                "409": problem("Bookings are hit and `on_conflict` is `refuse`"),
                "415": problem("The body is not JSON"),
                "422": problem("A day in the past, a time outside the opening hours, an end "
                               "before the start; `errors` names the field")}}},
    }
