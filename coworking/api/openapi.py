"""The OpenAPI 3.1 description of API v1; a test keeps it in step with the routes."""
from flask import jsonify

from coworking.api import (
    bp,
    openapi_checkins,
    openapi_companies,
    openapi_invoices,
    openapi_operators,
    openapi_push,
    openapi_research,
    openapi_schedules,
    openapi_space_events,
)
from coworking.api.schemas import SCHEMAS, TIME as _TIME, ref as _ref
from coworking.bookings.day_pass import PAY_CHOICES
from coworking.bookings.service import ANY_KINDS
from coworking.companies.cover import NAME as COMPANY_PAYS


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
_MEMBERSHIP_ID = {"name": "membership_id", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 1}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_AUTH = [{"bearer": []}, {"session": []}]
# Text fields refuse C0 control characters and DEL (coworking.text_input); a multi-line one
# keeps tabs and line breaks.
_LINE = "^[^\\x00-\\x1f\\x7f]*$"
_LINES = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"


def _text(max_length=None, multiline=False, **more):
    schema = {"type": "string", "pattern": _LINES if multiline else _LINE, **more}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def _email(max_length=254):
    """An address the server checks as one (an empty or malformed one is a 422)."""
    return _text(max_length, format="email", minLength=3)

_NOT_JSON = _problem("The body is not sent as Content-Type: application/json")
_EARLY_START = {
    "type": "boolean",
    "description": "For consumers (billing details without company and VAT id), who may "
                   "withdraw within 14 days: true is their express request that use begins "
                   "before the withdrawal period ends, with their acknowledgement that they "
                   "lose the right of withdrawal once the service is fully provided (§ 356 "
                   "(4) BGB; show them both, and the withdrawal notice, before sending it). "
                   "false: a plan or pass is usable only once the period is over "
                   "(`usable_from`), and a day pass for a booking within the period is "
                   "refused. A consumer's paid purchase without it is a 422 naming "
                   "`early_start`; businesses need not send it."}
_BILL_TO = {"enum": [COMPANY_PAYS],
            "description": "The member's company pays: a desk day on its monthly invoice, or "
                           "a seat of its plan. 402 when its cover does not reach (a meeting "
                           "room, a space its plan does not cover, seats or days used up); "
                           "422 naming `bill_to` for a member who belongs to no company."}
_SELLER_INCOMPLETE = {"description": "The seller's invoice data is incomplete, so it sells "
                                     "nothing online yet (type …/seller-incomplete, with "
                                     "`missing`)",
                      "content": {"application/problem+json": {
                          "schema": _ref("SellerIncomplete")}}}
_ERRORS = {"400": _problem("Malformed JSON"), "401": _problem("Not signed in"),
           "415": _NOT_JSON, "422": _problem("Invalid fields or a broken booking rule")}
# The rate limits (in Redis, when configured) guard sign-in, registration, resets and bookings.
_LIMITS_DOWN = _problem("The rate limits cannot be counted (type …/rate-limits-unavailable); "
                        "see Retry-After")

PATHS = {
    "/api/v1/auth/register": {"post": {
        "summary": "Create a member account",
        "description": "The new member is e-mailed a link that confirms the address (valid "
                       "for 7 days). Members book at once, and buy plans once it is followed.",
        "requestBody": _body({"type": "object", "required": ["email", "password", "name"],
                              "properties": {"email": _email(),
                                             "password": _text(256, minLength=8),
                                             "name": _text(200, minLength=1)}}),
        "responses": {"201": _json(_ref("User"), "The new user"),
                      "400": _problem("Malformed JSON"),
                      "409": _problem("E-mail address taken"),
                      "415": _NOT_JSON,
                      "422": _problem("Invalid fields"),
                      "429": _problem("Too many registrations from this address"),
                      "503": _LIMITS_DOWN},
    }},
    "/api/v1/auth/tokens": {"post": {
        "summary": "Issue an API token; it expires a year after it was issued",
        "requestBody": _body({"type": "object", "required": ["email", "password"],
                              "properties": {"email": _text(1000),
                                             "password": _text(1000),
                                             "name": _text(100, description="What the token "
                                                                            "is for")}}),
        "responses": {"201": _json(_ref("Token"), "A new token, shown once"),
                      "400": _problem("Malformed JSON"),
                      "401": _problem("Wrong e-mail address or password"),
                      "415": _NOT_JSON,
                      "422": _problem("Invalid fields"),
                      "429": _problem("Too many failed attempts; see Retry-After"),
                      "503": _LIMITS_DOWN},
    }},
    "/api/v1/auth/password-reset": {"post": {
        "summary": "E-mail a link to choose a new password",
        "description": "If an account has the address, it is sent a single-use link valid for "
                       "one hour. The answer is 202 either way, so it reveals nothing about "
                       "which addresses have accounts. Requests are limited per address asked "
                       "for and per client.",
        "requestBody": _body({"type": "object", "required": ["email"],
                              "properties": {"email": _email()}}),
        "responses": {"202": {"description": "Accepted; a link is on its way if the account "
                                             "exists"},
                      "400": _problem("Malformed JSON"),
                      "415": _NOT_JSON,
                      "422": _problem("Not an e-mail address"),
                      "429": {**_problem("Too many requests for this address or from this "
                                         "client; see Retry-After"),
                              "headers": {"Retry-After": {"description": "Seconds to wait",
                                                          "schema": {"type": "integer"}}}},
                      "503": _LIMITS_DOWN},
    }},
    "/api/v1/contracts/cancel": {"post": {
        "summary": "Cancel a contract (§ 312k BGB), signed in or not",
        "description": "Cancels the running monthly plans and fixed desks of the account with "
                       "this address (or the one `membership_id`) at the end of the period "
                       "paid for; passes do not renew and have nothing to cancel. Signed in "
                       "as that account it takes effect at once and `contracts` lists what "
                       "ends when (a Stripe subscription is cancelled at its period's end "
                       "through Stripe; `confirmation` is `pending` while Stripe has not "
                       "answered, the end date follows by e-mail). Otherwise a link e-mailed "
                       "to the account confirms it and `confirmation` is `email`. The answer "
                       "is 202 whatever the address, so it reveals nothing; a confirmation "
                       "e-mail states when the cancellation arrived and when the plan ends. "
                       "Limited like the password reset.",
        "requestBody": _body({
            "type": "object", "required": ["email"],
            "description": "An optional field sent as null counts as absent.",
            "properties": {
                "email": _email(),
                "membership_id": {"type": ["integer", "null"], "minimum": 1,
                                  "maximum": 2**31 - 1,
                                  "description": "One contract; all running ones when absent"},
                "name": _text(200, type=["string", "null"],
                              description="Who cancels; the account's name when absent"),
                "kind": {"enum": ["ordinary", "extraordinary", None], "default": "ordinary"},
                "reason": _text(1000, multiline=True, type=["string", "null"],
                                description="The serious reason, for an extraordinary one")},
            # An extraordinary cancellation is refused (422) without a reason that is more
            # than blanks.
            "if": {"required": ["kind"], "properties": {"kind": {"const": "extraordinary"}}},
            "then": {"required": ["reason"],
                     "properties": {"reason": {"type": "string", "pattern": "\\S"}}}}),
        "responses": {"202": _json({
            "type": "object", "required": ["received_at", "confirmation", "contracts"],
            "properties": {
                "received_at": {"type": "string", "format": "date-time"},
                "confirmation": {"type": "string", "enum": ["done", "pending", "email"]},
                "contracts": {"type": "array", "items": {
                    "type": "object", "required": ["membership_id", "ends_at"],
                    "properties": {"membership_id": {"type": "integer"},
                                   "ends_at": {"type": ["string", "null"],
                                               "format": "date-time"}}}}}},
            "Received; when it arrived, and (signed in) what ends when"),
                      "400": _problem("Malformed JSON, or a session write without its CSRF "
                                      "token"),
                      "415": _NOT_JSON,
                      "422": _problem("Not an e-mail address, or another field of the wrong "
                                      "type or length (an extraordinary cancellation needs "
                                      "its `reason`)"),
                      "429": {**_problem("Too many requests for this address or from this "
                                         "client; see Retry-After"),
                              "headers": {"Retry-After": {"description": "Seconds to wait",
                                                          "schema": {"type": "integer"}}}}},
    }},
    "/api/v1/auth/password-reset/confirm": {"post": {
        "summary": "Set a new password with the token from a reset link",
        "description": "The token is the last path segment of the link in the e-mail. A new "
                       "password ends every session of the account and makes its other reset "
                       "links unusable; API tokens keep working.",
        "requestBody": _body({"type": "object", "required": ["token", "password"],
                              "properties": {"token": _text(1000),
                                             "password": _text(256, minLength=8)}}),
        "responses": {"204": {"description": "The new password is set"},
                      "400": _problem("Malformed JSON"),
                      "410": _problem("The link is used, expired, or unknown"),
                      "415": _NOT_JSON,
                      "422": _problem("A password that will not do, or a missing field")},
    }},
    "/api/v1/me": {
        "get": {
            "summary": "The current user", "security": _AUTH,
            "responses": {"200": _json(_ref("User"), "The current user"),
                          "401": _problem("Not signed in")},
        },
        "delete": {
            "summary": "Delete your account, confirmed with your password",
            "description": "Your name, e-mail address and password are erased and every "
                           "session, API token and calendar link stops working; bookings not "
                           "yet begun are cancelled (without refund); past bookings, visits "
                           "and payments stay, without your name. A subscription that still "
                           "runs must be cancelled first (409).",
            "security": _AUTH,
            "requestBody": _body({"type": "object", "required": ["password"],
                                  "properties": {"password": _text(306)}}),
            "responses": {"204": {"description": "Deleted; the session ends"}, **_ERRORS,
                          "409": _problem("A subscription still runs"),
                          "422": _problem("The password is missing or wrong")},
        },
    },
    "/api/v1/me/calendar-token": {"post": {
        "summary": "A new secret address for your calendar feed",
        "description": "Revokes the address in force: it answers 404 from now on, and calendar "
                       "apps subscribe to the new one. The feed is German unless the address "
                       "asks for English (`?lang=en`, given to clients that ask in English).",
        "security": _AUTH,
        "responses": {"201": _json(_ref("CalendarToken"), "The feed's new address"),
                      "400": _problem("A session write without its CSRF token"),
                      "401": _problem("Not signed in")},
    }},
    "/api/v1/me/export": {"get": {
        "summary": "Everything the system holds about you, as one JSON document",
        "description": "`account`, `tables` (every table with rows of yours, and rows hanging "
                       "off them, without password or token hashes), `emails` still kept, "
                       "`research_consent_history`.",
        "security": _AUTH,
        "responses": {"200": _json({"type": "object"}, "Your data"),
                      "401": _problem("Not signed in")},
    }},
    "/api/v1/me/research": {
        "get": {
            "summary": "Your research consent and answers (not in the design's table)",
            "security": _AUTH,
            "responses": {"200": _json(_ref("ResearchProfile"), "Consent and answers"),
                          "401": _problem("Not signed in")},
        },
        "put": {
            "summary": "Give, change or take back research consent, with optional answers",
            "description": "Answers are kept only with consent; taking consent back clears "
                           "them. Every answer is optional; an unknown one is a 422 naming "
                           "`profile.<question>`.",
            "security": _AUTH,
            "requestBody": _body({"type": "object", "required": ["consent"], "properties": {
                "consent": {"type": "boolean"},
                "profile": {"anyOf": [_ref("ResearchAnswers"), {"type": "null"}],
                            "description": "null or absent: no answers"}},
                # Answers only with consent: without it every answer is null (else a 422).
                "if": {"properties": {"consent": {"const": False}}},
                "then": {"properties": {"profile": {"anyOf": [
                    {"type": "null"},
                    {"type": "object", "additionalProperties": {"type": "null"}}]}}}}),
            "responses": {"200": _json(_ref("ResearchProfile"), "Consent and answers"),
                          **_ERRORS},
        },
    },
    "/api/v1/me/billing": {
        "get": {
            "summary": "Your billing details: who your invoices are made out to",
            "security": _AUTH,
            "responses": {"200": _json(_ref("BillingDetails"), "Your billing details (empty "
                                                                "fields before the first save)"),
                          "401": _problem("Not signed in")},
        },
        "put": {
            "summary": "Set your billing details",
            "description": "All fields at once; an optional one left out is cleared. Postcodes "
                           "are checked by country (Germany: five digits), the country is an "
                           "ISO 3166-1 alpha-2 code, a VAT id has its EU member state's format "
                           "(a German one its check digit too), a Leitweg-ID its format and "
                           "check digits. Each bad field is named in `errors`. Invoices issued "
                           "already keep the details they were issued with.",
            "security": _AUTH,
            "requestBody": _body({
                "type": "object", "required": ["name", "street", "postcode", "city", "country"],
                "properties": {"name": _text(200),
                               "company": _text(200),
                               "street": _text(200),
                               "postcode": _text(10),
                               "city": _text(120),
                               "country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                               "vat_id": _text(20),
                               "buyer_reference": _text(60)}}),
            "responses": {"200": _json(_ref("BillingDetails"), "Saved"), **_ERRORS,
                          "422": _problem("Bad fields, each named in `errors`")},
        },
    },
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
            "summary": "Book a resource, or any free one of a kind", "security": _AUTH,
            "description": (
                "Either a particular `resource_id`, or `space` (its slug) and `kind`: any "
                "resource of that kind free for all of [start, end) is booked, the one the "
                "member had last time in that space first; when another member takes it at the "
                "same moment the next free one is booked, and 409 only when none is left. "
                "The member's cover pays for it (a credit or a quota day). Without cover the "
                "answer is 402 with the offers that would cover it; `pay: \"day_pass\"` pays for "
                "this booking alone: held as pending_payment with payment.checkout_url when the "
                "installation takes payments online, else confirmed with an on-site payment due. "
                "A member whose cover pays for the booking pays no day pass. A day pass is "
                "bought like any plan: its seller (the space's operator or the programme "
                "office) must sell online (else 409), the member needs billing details (else "
                "422), and a consumer says `early_start`. "
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
            "requestBody": _body({"oneOf": [
                {"type": "object", "required": ["resource_id", "start", "end"],
                 "properties": {"resource_id": {"type": "integer"}, "start": _TIME,
                                "end": _TIME, "pay": {"enum": list(PAY_CHOICES)},
                                "early_start": _EARLY_START, "bill_to": _BILL_TO}},
                {"type": "object", "required": ["space", "kind", "start", "end"],
                 "properties": {"space": {"type": "string", "description": "The space's slug"},
                                "kind": {"enum": [str(kind) for kind in ANY_KINDS]},
                                "start": _TIME, "end": _TIME,
                                "pay": {"enum": list(PAY_CHOICES)},
                                "early_start": _EARLY_START, "bill_to": _BILL_TO}},
            ]}),
            "responses": {
                "201": {**_json(_ref("Booking"), "The booking, or the first answer again"),
                        "headers": {"Idempotent-Replayed": {
                            "description": "Present on a repeat answered from its "
                                           "Idempotency-Key",
                            "schema": {"type": "string", "enum": ["true"]}}}},
                **_ERRORS,
                "402": {"description": "No membership or pass covers it (with `bill_to`: the "
                                       "company's cover does not reach)",
                        "content": {"application/problem+json": {
                            "schema": _ref("PaymentRequired")}}},
                "409": {"description": "The slot is taken (none of the kind is free), you hold "
                                       "a desk then, or the day pass's seller sells nothing "
                                       "online yet (type …/seller-incomplete, with "
                                       "`missing`)",
                        "content": {"application/problem+json": {"schema": {"anyOf": [
                            _ref("Problem"), _ref("SellerIncomplete")]}}}},
                "503": _problem("Paying online is not possible at the moment, or the rate "
                                "limits cannot be counted (type …/rate-limits-unavailable); "
                                "see Retry-After"),
                "422": _problem("Invalid fields or Idempotency-Key, a broken booking rule, a "
                                "limit of the space reached (type …/limit-reached), or for "
                                "`pay`: billing details missing (type "
                                "…/billing-details-missing, with `missing`) or a consumer's "
                                "`early_start` missing or false for a booking within the "
                                "withdrawal period"),
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
    }, "patch": {
        "summary": "Change a booking's time and/or resource in one step, keeping its cover",
        "description": "Its member, before it starts. What is not sent stays; a new `start` "
                       "alone keeps the length. The new slot is checked like a new booking "
                       "(another resource of the same kind in the same space); its id, cover "
                       "and payment stay. When the new slot is taken the booking is unchanged.",
        "security": _AUTH, "parameters": [_BOOKING_ID],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": False,
            "properties": {"start": {"type": "string", "format": "date-time"},
                           "end": {"type": "string", "format": "date-time"},
                           "resource_id": {"type": "integer", "minimum": 1}}}}}},
        "responses": {"200": _json(_ref("Booking"), "The changed booking"),
                      "400": _problem("Malformed JSON, or a session write without its CSRF "
                                      "token"),
                      "401": _problem("Not signed in"),
                      "403": _problem("Not its member (a host of its space)"),
                      "404": _problem("No such booking, or not yours to see"),
                      "409": _problem("The new slot is taken, or the booking has started"),
                      "422": _problem("A rule broken or bad input, naming the field")},
    }},
    "/api/v1/bookings/{booking_id}/cancel": {"post": {
        "summary": "Cancel a booking (idempotent)", "security": _AUTH,
        "parameters": [_BOOKING_ID],
        "responses": {"200": _json(_ref("Booking"), "The cancelled booking"),
                      "401": _problem("Not signed in"),
                      "404": _problem("No such booking, or not yours"),
                      "409": _problem("Already over, or checked in")},
    }},
    "/api/v1/bookings/{booking_id}/ics": {"get": {
        "summary": "One booking as a calendar file (RFC 5545, METHOD:PUBLISH)",
        "description": "For whoever may see the booking (GET /api/v1/bookings/{booking_id}). "
                       "The event's UID stays the same through every change of the booking; "
                       "its SEQUENCE grows with each.",
        "security": _AUTH, "parameters": [_BOOKING_ID],
        "responses": {"200": {"description": "The booking as an iCalendar file",
                              "content": {"text/calendar": {"schema": {"type": "string"}}}},
                      "401": _problem("Not signed in"),
                      "404": _problem("No such booking, or not yours to see")},
    }},
    "/api/v1/memberships/{membership_id}/portal": {"post": {
        "summary": "Open the Stripe Customer Portal for your subscription",
        "description": "Answers the address of a portal session in which you change your "
                       "payment method or cancel the subscription; what you do there reaches "
                       "the membership through Stripe's webhooks. The portal sends you back "
                       "to your account page. A pass has no subscription: 409.",
        "security": _AUTH, "parameters": [_MEMBERSHIP_ID],
        "responses": {"201": _json({"type": "object", "required": ["url"],
                                    "additionalProperties": False,
                                    "properties": {"url": {"type": "string", "format": "uri"}}},
                                   "The portal session's address, valid for a few minutes"),
                      "400": _problem("A session write without its CSRF token"),
                      "401": _problem("Not signed in"),
                      "404": _problem("No such membership of yours"),
                      "409": _problem("A pass or plan without a Stripe subscription"),
                      "503": _problem("Stripe cannot be reached; see Retry-After")},
    }},
    "/api/v1/bookings/{booking_id}/confirm-payment": {"post": {
        "summary": "Confirm a day pass paid on site (an extension of the design's table)",
        "description": "For the hosts of the booking's space and admins, when the installation "
                       "takes no payments online. Confirming twice changes nothing.",
        "security": _AUTH, "parameters": [_BOOKING_ID],
        "responses": {"200": _json(_ref("Booking"), "The booking with its payment paid"),
                      "400": _problem("A session write without its CSRF token"),
                      "401": _problem("Not signed in"),
                      "403": _problem("Your own booking: a host confirms its payment"),
                      "404": _problem("No such booking, or not yours to see"),
                      "409": _problem("Nothing to pay on site: covered, paid online, or "
                                      "cancelled")},
    }},
    "/api/v1/plans": {"get": {
        "summary": "The plans and passes on offer",
        "responses": {"200": _json({"type": "array", "items": _ref("Plan")}, "Plans on sale")},
    }},
    "/api/v1/me/memberships": {"get": {
        "summary": "Your memberships and passes, newest first", "security": _AUTH,
        "responses": {"200": _json({"type": "array", "items": _ref("Membership")},
                                   "Your memberships"),
                      "401": _problem("Not signed in")},
    }},
    "/api/v1/memberships": {"post": {
        "summary": "Buy a plan or pass",
        "description": "A free plan is active at once. A paid one is checked first: its "
                       "seller must sell online, the member needs billing details (GET|PUT "
                       "/api/v1/me/billing), and a consumer says `early_start`; what they "
                       "agreed to is kept with the purchase. Paid online, the membership is "
                       "pending with its payment's Stripe checkout_url (card, or for plans and "
                       "passes also SEPA Direct Debit: active once the debit arrives). Paid on "
                       "site (an installation without Stripe), it is active at once with its "
                       "payment `due` until a host confirms it; a member has one such open "
                       "purchase at a time. "
                       "Members buy once they have confirmed their e-mail address with the "
                       "link sent after registration; before that the answer is 403 with type "
                       "…/email-unverified.",
        "security": _AUTH,
        "requestBody": _body({"type": "object", "required": ["plan_id"],
                              "properties": {"plan_id": {"type": "integer", "minimum": 1},
                                             "early_start": _EARLY_START}}),
        "responses": {"201": _json(_ref("Membership"), "The new membership"),
                      "400": _problem("Malformed JSON, or a session write without its CSRF "
                                      "token"),
                      "401": _problem("Not signed in"),
                      "403": _problem("The e-mail address is not confirmed yet (type "
                                      "…/email-unverified)"),
                      "409": {**_SELLER_INCOMPLETE,
                              "description": "A free trial used already, no fixed desk free, "
                                             "a purchase on site still to be paid, or the "
                                             "seller sells nothing online yet (type "
                                             "…/seller-incomplete, with `missing`)",
                              "content": {"application/problem+json": {"schema": {"anyOf": [
                                  _ref("Problem"), _ref("SellerIncomplete")]}}}},
                      "415": _NOT_JSON,
                      "422": {"description": "No such plan on offer, plan_id not a number, "
                                             "billing details missing for a paid plan (type "
                                             "…/billing-details-missing, with `missing`), or "
                                             "a consumer's `early_start` missing",
                              "content": {"application/problem+json": {"schema": {"anyOf": [
                                  _ref("Problem"), _ref("BillingDetailsMissing")]}}}},
                      "503": _problem("Paying online is not possible at the moment")},
    }},
    "/api/v1/memberships/{membership_id}/confirm-payment": {"post": {
        "summary": "Confirm a plan paid on site",
        "description": "For hosts of a space the plan covers and admins. Confirming twice "
                       "changes nothing.",
        "security": _AUTH, "parameters": [_MEMBERSHIP_ID],
        "responses": {"200": _json(_ref("Membership"), "The membership, active"),
                      "400": _problem("A session write without its CSRF token"),
                      "401": _problem("Not signed in"),
                      "403": _problem("Your own membership: a host confirms its payment"),
                      "404": _problem("No such membership, or not yours to confirm"),
                      "409": _problem("The membership has ended, or it is paid online")},
    }},
    "/api/v1/openapi.json": {"get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.1 document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }},
}

PATHS.update(openapi_checkins.paths(_json, _problem, _body))
PATHS.update(openapi_research.paths(_json, _problem))
PATHS.update(openapi_schedules.paths(_json, _problem, _body))
PATHS.update(openapi_operators.paths(_json, _problem, _body))
PATHS.update(openapi_invoices.paths(_json, _problem, _body))
PATHS.update(openapi_space_events.paths(_json, _problem, _body))
PATHS.update(openapi_companies.paths(_json, _problem, _body))
PATHS.update(openapi_push.paths(_json, _problem, _body))

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Coworking booking API", "version": "1.0.0",
             "description": "Spaces, availability, bookings, plans and memberships of the "
                            "StadtLabor Kleinstadt pilot coworking spaces. Errors are RFC 9457 "
                            "problem details. A database, or a Redis holding the rate limits, "
                            "that cannot be reached answers 503 with Retry-After."},
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
