"""The shapes in the OpenAPI document of API v1: what each answer and error looks like."""
from coworking.accounts.models import ROLES
from coworking.accounts.research_profile import QUESTIONS
from coworking.bookings.models import BookingStatus
from coworking.memberships.models import MembershipStatus, PlanKind
from coworking.spaces.models import ResourceKind

TIME = {"type": "string", "format": "date-time",
        "description": "ISO 8601 with UTC offset, e.g. 2027-03-30T09:00:00+02:00"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


_ANSWERS = {question: {"enum": [*choices, None]} for question, choices in QUESTIONS.items()}

SCHEMAS = {
    "ResearchAnswers": {"type": "object", "additionalProperties": False,
                        "properties": _ANSWERS},
    "ResearchProfile": {
        "type": "object", "required": ["consent", "consented_at", "withdrawn_at", "profile"],
        "properties": {"consent": {"type": "boolean"},
                       "consented_at": {**TIME, "type": ["string", "null"]},
                       "withdrawn_at": {**TIME, "type": ["string", "null"]},
                       "profile": {"type": "object", "required": list(QUESTIONS),
                                   "properties": _ANSWERS}}},
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "request_id": {"type": "string", "description": "This request's id (also its "
                           "X-Request-ID header and its log line): quote it to support"},
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
            "calendar_url": {"type": ["string", "null"], "format": "uri",
                             "description": "Your calendar feed (see POST "
                                            "/api/v1/me/calendar-token)"},
        },
    },
    "CalendarToken": {
        "type": "object", "required": ["calendar_url"], "additionalProperties": False,
        "properties": {
            "calendar_url": {"type": "string", "format": "uri",
                             "description": "The feed (text/calendar): every booking from 30 "
                                            "days back on; use webcal:// instead of https:// "
                                            "to open it in a calendar app"},
        },
    },
    "Token": {
        "type": "object", "required": ["token", "id", "name", "expires_at"],
        "additionalProperties": False,
        "properties": {
            "token": {"type": "string", "description": "The secret; shown only in this answer"},
            "id": {"type": "integer"}, "name": {"type": ["string", "null"]},
            "expires_at": TIME,
        },
    },
    "ApiToken": {
        "type": "object", "required": ["id", "name", "created_at", "last_used_at", "expires_at"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "name": {"type": ["string", "null"]},
            "created_at": TIME,
            "last_used_at": {**TIME, "type": ["string", "null"],
                             "description": "Updated at most once a minute; null if never used"},
            "expires_at": {**TIME, "description": "The token authenticates nothing from then on"},
        },
    },
    "Space": {
        "type": "object",
        "required": ["slug", "name", "town", "address", "timezone", "opening_hours",
                     "description", "amenities", "access", "contact", "latitude", "longitude",
                     "map_url"],
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
            "description": {"type": ["string", "null"], "description": "A short introduction"},
            "amenities": {"type": "array", "items": {"type": "string"}},
            "access": {"type": ["string", "null"],
                       "description": "How to get in: door, parking, accessibility"},
            "contact": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["name", "email", "phone"],
                "additionalProperties": False,
                "properties": {"name": {"type": ["string", "null"]},
                               "email": {"type": ["string", "null"]},
                               "phone": {"type": ["string", "null"]}}}]},
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            "map_url": {"type": "string", "format": "uri",
                        "description": "The space on OpenStreetMap (a link, nothing embedded)"},
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
                 "properties": {"start": TIME, "end": TIME}},
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
                            "free": {"type": "array", "items": ref("Interval")},
                            "taken": {"type": "array", "items": ref("Interval")},
                        }}},
                }}},
        },
    },
    "Booking": {
        "type": "object",
        "required": ["id", "resource_id", "space", "start", "end", "status", "covered_by",
                     "payment"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "resource_id": {"type": "integer"},
            "space": {"type": "string", "description": "slug of the space"},
            "start": TIME, "end": TIME,
            "status": {"enum": [status.value for status in BookingStatus]},
            "covered_by": {
                "description": "The membership or pass that covers it; null when a day pass "
                               "pays for it alone (see payment)",
                "oneOf": [{"type": "null"},
                          {"type": "object", "required": ["membership_id"],
                           "additionalProperties": False,
                           "properties": {"membership_id": {"type": "integer"}}}]},
            "payment": ref("Payment"),
            "change": {
                "description": "What the space last did to it when its hours or a closure "
                               "took its time (moved, shortened or cancelled) and why; null "
                               "when the space never changed it",
                "oneOf": [{"type": "null"},
                          {"type": "object", "required": ["by", "outcome", "reason"],
                           "additionalProperties": False,
                           "properties": {
                               "by": {"const": "space"},
                               "outcome": {"enum": ["moved", "shortened", "cancelled"]},
                               "reason": {"type": ["string", "null"]}}}]},
        },
    },
    "Payment": {
        "description": "null when nothing is paid (a membership covers it, or it is free); "
                       "a failed payment shows as expired, a refunded one as paid",
        "oneOf": [
            {"type": "null"},
            {"type": "object", "required": ["method", "checkout_url", "expires_at", "status"],
             "additionalProperties": False,
             "properties": {
                 "method": {"const": "stripe"},
                 "checkout_url": {"type": ["string", "null"], "format": "uri",
                                  "description": "Stripe Checkout, while it is due"},
                 "expires_at": {**TIME, "type": ["string", "null"],
                                "description": "The checkout (and a desk held for it) "
                                               "lapses then"},
                 "status": {"enum": ["due", "paid", "expired"]}}},
            {"type": "object", "required": ["method", "amount_cents", "status"],
             "additionalProperties": False,
             "properties": {
                 "method": {"const": "on_site"},
                 "amount_cents": {"type": "integer", "minimum": 0,
                                  "description": "Paid at the space; a host confirms it"},
                 "status": {"enum": ["due", "paid", "expired"]}}},
        ],
    },
    "Plan": {
        "type": "object",
        "required": ["id", "name", "kind", "price_cents", "currency", "vat_rate", "spaces",
                     "seller", "credits", "days_per_month", "validity_days"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "kind": {"enum": [kind.value for kind in PlanKind]},
            "price_cents": {"type": "integer", "minimum": 0,
                            "description": "Gross, VAT included; 0 is a free trial"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$",
                         "description": "ISO 4217, e.g. EUR"},
            "vat_rate": {"type": "number", "minimum": 0, "maximum": 100,
                         "description": "Percent, e.g. 19"},
            "spaces": {"type": "array", "items": {"type": "string"},
                       "description": "Slugs of the spaces it covers"},
            "seller": {"type": "string",
                       "description": "Slug of the operator that sells it and issues its "
                                      "invoices (GET /api/v1/operators)"},
            "credits": {"type": ["integer", "null"],
                        "description": "Day credits of a pass; null for other plans"},
            "days_per_month": {"type": ["integer", "null"],
                               "description": "Desk days a month of a monthly plan; null: "
                                              "unlimited, or not a monthly plan"},
            "validity_days": {"type": ["integer", "null"],
                              "description": "How long it lasts from payment; null: until "
                                             "cancelled"},
        },
    },
    "Membership": {
        "type": "object",
        "required": ["id", "plan_id", "status", "spaces", "current_period_end", "credits_left",
                     "payment"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"}, "plan_id": {"type": "integer"},
            "status": {"enum": [status.value for status in MembershipStatus]},
            "spaces": {"type": "array", "items": {"type": "string"}},
            "current_period_end": {**TIME, "type": ["string", "null"],
                                   "description": "A pass's validity end, or the end of the "
                                                  "paid period of a subscription"},
            "credits_left": {"type": ["integer", "null"],
                             "description": "Day credits left on a pass; null for other plans"},
            "payment": ref("Payment"),
            "usable_from": {**TIME, "type": ["string", "null"],
                            "description": "A consumer who did not ask for an early start "
                                           "uses it from this time on (the end of the "
                                           "withdrawal period); null: from when it is paid"},
        },
    },
    "PaymentRequired": {
        "allOf": [ref("Problem"), {
            "type": "object", "required": ["offers"],
            "properties": {"offers": {"type": "array", "items": {
                "type": "object", "required": ["plan_id", "name", "kind", "price_cents"],
                "additionalProperties": False,
                "properties": {"plan_id": {"type": "integer"}, "name": {"type": "string"},
                               "kind": {"enum": [kind.value for kind in PlanKind]},
                               "price_cents": {"type": "integer", "minimum": 0},
                               "seller": {"type": "string",
                                          "description": "The selling operator's slug"},
                               "seller_name": {"type": "string",
                                               "description": "Its legal name"},
                               "sells_online": {
                                   "type": "boolean",
                                   "description": "false: the seller's invoice data is "
                                                  "incomplete, so it cannot be bought online "
                                                  "yet (buying answers 409)"}}}}}}],
    },
    "SellerIncomplete": {
        "allOf": [ref("Problem"), {
            "type": "object", "required": ["seller", "missing"],
            "properties": {"seller": {"type": "string", "description": "The operator's slug"},
                           "missing": {"type": "array", "items": {"type": "string"},
                                       "description": "The operator's fields still empty "
                                                      "(as in PUT /api/v1/operators/{slug}); "
                                                      "`errors` names them as seller.<field>"}}}],
    },
    "BillingDetailsMissing": {
        "allOf": [ref("Problem"), {
            "type": "object", "required": ["missing"],
            "properties": {"missing": {"type": "array", "items": {"type": "string"},
                                       "description": "The billing details still missing; "
                                                      "`errors` names them as billing.<field>"}}}],
    },
    "BillingDetails": {
        "type": "object",
        "required": ["name", "company", "street", "postcode", "city", "country", "vat_id",
                     "buyer_reference", "complete", "missing", "consumer", "updated_at"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "maxLength": 200},
            "company": {"type": "string", "maxLength": 200},
            "street": {"type": "string", "maxLength": 200},
            "postcode": {"type": "string", "maxLength": 10},
            "city": {"type": "string", "maxLength": 120},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2, e.g. DE; empty "
                                                         "before anything is saved"},
            "vat_id": {"type": "string", "maxLength": 20},
            "buyer_reference": {"type": "string", "maxLength": 60,
                                "description": "The Leitweg-ID of a public-sector buyer"},
            "complete": {"type": "boolean", "description": "Whether paid plans can be bought"},
            "missing": {"type": "array", "items": {"type": "string"}},
            "consumer": {"type": "boolean",
                         "description": "Without company and VAT id the member buys as a "
                                        "consumer: 14 days to withdraw, and purchases need "
                                        "`early_start`"},
            "updated_at": {**TIME, "type": ["string", "null"]},
        },
    },
}

# The host's day lists each booking with its member.
SCHEMAS["DayBooking"] = {
    **SCHEMAS["Booking"],
    "required": SCHEMAS["Booking"]["required"] + ["member"],
    "properties": {
        **SCHEMAS["Booking"]["properties"],
        "member": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                   "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    },
}
SCHEMAS["Day"] = {
    "type": "object", "required": ["date", "desks", "present", "bookings"],
    "additionalProperties": False,
    "properties": {
        "date": {"type": "string", "format": "date",
                 "description": "The local date in the space's time zone"},
        "desks": {"type": "integer", "minimum": 0, "description": "Active desks of the space"},
        "present": {"type": "integer", "minimum": 0,
                    "description": "People checked in now; 0 for a day other than today"},
        "bookings": {"type": "array", "items": ref("DayBooking"),
                     "description": "The day's bookings by start, cancelled ones left out"},
    },
}
SCHEMAS["CheckinCode"] = {
    "type": "object", "required": ["code", "url", "valid_on"], "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^[A-Z2-9]+$",
                 "description": "Today's self check-in code of the space"},
        "url": {"type": "string", "format": "uri",
                "description": "The self check-in page with the code: what the poster's QR "
                               "code carries"},
        "valid_on": {"type": "string", "format": "date",
                     "description": "The local date it is valid on; it changes at local "
                                    "midnight"},
    },
}
