"""The OpenAPI 3.1 description of API v1; a test keeps it in step with the routes."""
from flask import jsonify

from coworking.accounts.models import ROLES
from coworking.api import bp
from coworking.bookings.models import BookingStatus
from coworking.spaces.models import ResourceKind

_TIME = {"type": "string", "format": "date-time",
         "description": "ISO 8601 with UTC offset, e.g. 2027-03-30T09:00:00+02:00"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description):
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_BOOKING_ID = {"name": "booking_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
_TOKEN_ID = {"name": "token_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_AUTH = [{"bearer": []}, {"session": []}]
_NOT_JSON = _problem("The body is not sent as Content-Type: application/json")
_ERRORS = {"400": _problem("Malformed JSON"), "401": _problem("Not signed in"),
           "415": _NOT_JSON, "422": _problem("Invalid fields or a broken booking rule")}

SCHEMAS = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "errors": {"type": "object",
                       "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    },
    "User": {
        "type": "object", "required": ["id", "email", "name", "roles", "calendar_url"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "email": {"type": "string", "format": "email"},
            "name": {"type": "string"},
            "roles": {"type": "array",
                      "items": {"enum": list(ROLES)}},
            "calendar_url": {"type": ["string", "null"]},
        },
    },
    "Token": {
        "type": "object", "required": ["token", "id", "name", "expires_at"],
        "additionalProperties": False,
        "properties": {
            "token": {"type": "string", "description": "The secret; shown only in this answer"},
            "id": {"type": "integer"}, "name": {"type": ["string", "null"]},
            "expires_at": _TIME,
        },
    },
    "ApiToken": {
        "type": "object", "required": ["id", "name", "created_at", "last_used_at", "expires_at"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "name": {"type": ["string", "null"]},
            "created_at": _TIME,
            "last_used_at": {**_TIME, "type": ["string", "null"],
                             "description": "Updated at most once a minute; null if never used"},
            "expires_at": {**_TIME, "description": "The token authenticates nothing from then on"},
        },
    },
    "Space": {
        "type": "object",
        "required": ["slug", "name", "town", "address", "timezone", "opening_hours"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"}, "name": {"type": "string"}, "town": {"type": "string"},
            "address": {"type": "string"}, "timezone": {"type": "string"},
            "opening_hours": {"type": "array", "items": {
                "type": "object", "required": ["weekday", "opens", "closes"],
                "additionalProperties": False,
                "properties": {
                    "weekday": {"enum": ["monday", "tuesday", "wednesday", "thursday", "friday",
                                         "saturday", "sunday"]},
                    "opens": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
                    "closes": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
                }}},
        },
    },
    "Resource": {
        "type": "object", "required": ["id", "name", "kind", "capacity"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "kind": {"enum": [kind.value for kind in ResourceKind]},
            "capacity": {"type": "integer", "minimum": 1},
        },
    },
    "Interval": {"type": "object", "required": ["start", "end"], "additionalProperties": False,
                 "properties": {"start": _TIME, "end": _TIME}},
    "Availability": {
        "type": "object", "required": ["slug", "slot_minutes", "days"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"}, "slot_minutes": {"type": "integer"},
            "days": {"type": "array", "items": {
                "type": "object", "required": ["date", "open", "resources"],
                "additionalProperties": False,
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "open": {"type": "boolean"},
                    "resources": {"type": "array", "items": {
                        "type": "object", "required": ["id", "free", "taken"],
                        "additionalProperties": False,
                        "properties": {
                            "id": {"type": "integer"},
                            "free": {"type": "array", "items": _ref("Interval")},
                            "taken": {"type": "array", "items": _ref("Interval")},
                        }}},
                }}},
        },
    },
    "Booking": {
        "type": "object", "required": ["id", "resource_id", "space", "start", "end", "status"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "resource_id": {"type": "integer"},
            "space": {"type": "string", "description": "slug of the space"},
            "start": _TIME, "end": _TIME,
            "status": {"enum": [status.value for status in BookingStatus]},
        },
    },
}

PATHS = {
    "/api/v1/auth/register": {"post": {
        "summary": "Create a member account",
        "requestBody": _body({"type": "object", "required": ["email", "password", "name"],
                              "properties": {"email": {"type": "string", "maxLength": 254},
                                             "password": {"type": "string", "minLength": 8,
                                                          "maxLength": 256},
                                             "name": {"type": "string", "maxLength": 200}}}),
        "responses": {"201": _json(_ref("User"), "The new user"),
                      "400": _problem("Malformed JSON"),
                      "409": _problem("E-mail address taken"),
                      "415": _NOT_JSON,
                      "422": _problem("Invalid fields"),
                      "429": _problem("Too many registrations from this address")},
    }},
    "/api/v1/auth/tokens": {"post": {
        "summary": "Issue an API token; it expires a year after it was issued",
        "requestBody": _body({"type": "object", "required": ["email", "password"],
                              "properties": {"email": {"type": "string"},
                                             "password": {"type": "string"},
                                             "name": {"type": "string", "maxLength": 100,
                                                      "description": "What the token is for"}}}),
        "responses": {"201": _json(_ref("Token"), "A new token, shown once"),
                      "400": _problem("Malformed JSON"),
                      "401": _problem("Wrong e-mail address or password"),
                      "415": _NOT_JSON,
                      "422": _problem("Invalid fields"),
                      "429": _problem("Too many failed attempts; see Retry-After")},
    }},
    "/api/v1/me": {"get": {
        "summary": "The current user", "security": _AUTH,
        "responses": {"200": _json(_ref("User"), "The current user"),
                      "401": _problem("Not signed in")},
    }},
    "/api/v1/me/tokens": {"get": {
        "summary": "Your API tokens that are not revoked, newest first (expired ones included)",
        "security": _AUTH,
        "responses": {"200": _json({"type": "array", "items": _ref("ApiToken")}, "Your tokens"),
                      "401": _problem("Not signed in")},
    }},
    "/api/v1/me/tokens/{token_id}": {"delete": {
        "summary": "Revoke one of your API tokens; it authenticates nothing afterwards",
        "description": "Revoking a token that is already revoked answers 404, like a token "
                       "of someone else: only the tokens GET /api/v1/me/tokens lists can be "
                       "revoked.",
        "security": _AUTH, "parameters": [_TOKEN_ID],
        "responses": {"204": {"description": "Revoked"},
                      "400": _problem("A session write without its CSRF token"),
                      "401": _problem("Not signed in"),
                      "404": _problem("No such token of yours, or already revoked")},
    }},
    "/api/v1/spaces": {"get": {
        "summary": "All spaces",
        "responses": {"200": _json({"type": "array", "items": _ref("Space")}, "All spaces")},
    }},
    "/api/v1/spaces/{slug}/resources": {"get": {
        "summary": "The bookable resources of a space", "parameters": [_SLUG],
        "responses": {"200": _json({"type": "array", "items": _ref("Resource")}, "Resources"),
                      "404": _problem("No such space")},
    }},
    "/api/v1/spaces/{slug}/availability": {"get": {
        "summary": "Free and taken intervals per resource and day",
        "parameters": [
            _SLUG,
            {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"},
             "description": "First local date (default: today in the space's time zone)"},
            {"name": "days", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": 31, "default": 1}},
        ],
        "responses": {"200": _json(_ref("Availability"), "Availability"),
                      "404": _problem("No such space"), "422": _problem("Invalid parameters")},
    }},
    "/api/v1/bookings": {
        "post": {
            "summary": "Book a resource", "security": _AUTH,
            "description": (
                "With an `Idempotency-Key` header, a repeat of the same request body by the same "
                "user within 24 hours books nothing new and answers the first response again "
                "(status and body, marked `Idempotent-Replayed: true`), also to a client whose "
                "connection broke after the booking was made. Only successful bookings (201) "
                "are remembered: a request that failed is processed anew when repeated. The same "
                "key with a different body within 24 hours is a 422 naming the header; after "
                "24 hours the key is free again. Two requests with one key at the same moment "
                "book once and both answer that booking."),
            "parameters": [{
                "name": "Idempotency-Key", "in": "header", "required": False,
                "description": "A key the client chooses per booking it means to make, e.g. "
                               "a UUID: 1 to 200 printable ASCII characters",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                           "pattern": "^[\\x20-\\x7e]+$"}}],
            "requestBody": _body({"type": "object", "required": ["resource_id", "start", "end"],
                                  "properties": {"resource_id": {"type": "integer"},
                                                 "start": _TIME, "end": _TIME}}),
            "responses": {
                "201": {**_json(_ref("Booking"), "The booking, or the first answer again"),
                        "headers": {"Idempotent-Replayed": {
                            "description": "Present on a repeat answered from its "
                                           "Idempotency-Key",
                            "schema": {"type": "string", "enum": ["true"]}}}},
                **_ERRORS,
                "409": _problem("The slot is taken, or you hold a desk then"),
                "422": _problem("Invalid fields or Idempotency-Key, a broken booking rule, or a "
                                "limit of the space reached (type …/limit-reached)"),
                "429": {**_problem("Too many bookings in a short time; see Retry-After"),
                        "headers": {"Retry-After": {"description": "Seconds to wait",
                                                    "schema": {"type": "integer"}}}},
            },
        },
        "get": {
            "summary": "Your bookings; hosts pass ?space=slug for their space's bookings",
            "security": _AUTH,
            "parameters": [{"name": "space", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "array", "items": _ref("Booking")}, "Bookings"),
                          "401": _problem("Not signed in"),
                          "403": _problem("Not a host of that space"),
                          "404": _problem("No such space"),
                          "422": _problem("Invalid parameters")},
        },
    },
    "/api/v1/bookings/{booking_id}": {"get": {
        "summary": "One booking", "security": _AUTH, "parameters": [_BOOKING_ID],
        "responses": {"200": _json(_ref("Booking"), "The booking"),
                      "401": _problem("Not signed in"),
                      "404": _problem("No such booking, or not yours to see")},
    }},
    "/api/v1/bookings/{booking_id}/cancel": {"post": {
        "summary": "Cancel a booking (idempotent)", "security": _AUTH,
        "parameters": [_BOOKING_ID],
        "responses": {"200": _json(_ref("Booking"), "The cancelled booking"),
                      "401": _problem("Not signed in"),
                      "404": _problem("No such booking, or not yours"),
                      "409": _problem("Already over, or checked in")},
    }},
    "/api/v1/openapi.json": {"get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }},
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Coworking booking API", "version": "1.0.0",
             "description": "Spaces, availability and bookings of the StadtLabor Kleinstadt "
                            "pilot coworking spaces. Errors are RFC 9457 problem details. "
                            "A database that cannot be reached answers 503 with Retry-After."},
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "A token from POST /api/v1/auth/tokens"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "The browser session; writes need an X-CSRFToken header"},
        },
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
