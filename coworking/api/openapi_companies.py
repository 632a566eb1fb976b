"""The companies' part of the OpenAPI document: opening a company account, inviting an
employee, joining by the link's token, and the days used per employee its admin sees."""
from coworking.api.schemas import SCHEMAS

AUTH = [{"bearer": []}, {"session": []}]
_LINE = "^[^\\x00-\\x1f\\x7f]*$"
_COMPANY_ID = {"name": "company_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
_MONTH = {"name": "month", "in": "query", "required": True,
          "schema": {"type": "string", "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"},
          "description": "YYYY-MM, a year from 2000 to 2100"}


def _text(max_length):
    return {"type": "string", "pattern": _LINE, "maxLength": max_length}


SCHEMAS["Company"] = {
    "type": "object", "required": ["id", "name"], "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
SCHEMAS["CompanyInvitation"] = {
    "type": "object", "required": ["url", "expires_at"], "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "format": "uri",
                "description": "The link to send the employee; it works once. Its last path "
                               "segment is the token POST /api/v1/companies/join takes."},
        "expires_at": {"type": "string", "format": "date-time"}},
}
SCHEMAS["CompanyUsage"] = {
    "type": "object", "required": ["month", "members"], "additionalProperties": False,
    "description": "Days used per employee, and nothing else: no times, desks or spaces.",
    "properties": {
        "month": {"type": "string"},
        "members": {"type": "array", "items": {
            "type": "object", "required": ["name", "days"], "additionalProperties": False,
            "properties": {"name": {"type": "string"},
                           "days": {"type": "integer", "minimum": 0,
                                    "description": "Days with a desk booking billed to the "
                                                   "company (cancelled ones do not count)"}}}}},
}


def paths(json, problem, body):
    writes = {"400": problem("Malformed JSON, or a session write without its CSRF token"),
              "401": problem("Not signed in"),
              "415": problem("The body is not sent as application/json")}
    return {
        "/api/v1/companies": {"post": {
            "summary": "Open a company account; you become its admin",
            "description": "The company pays for its employees' desk days (bookings with "
                           "`bill_to: \"company\"`): per day on one monthly invoice from the "
                           "operator of each space used, or with a monthly plan for a number "
                           "of seats. The billing details are checked as a member's are; "
                           "each bad field is named in `errors` as `billing.<field>`. A "
                           "member belongs to one company at a time (else 409).",
            "security": AUTH,
            "requestBody": body({
                "type": "object", "required": ["name", "billing"],
                "properties": {
                    "name": _text(200),
                    "billing": {"type": "object",
                                "required": ["name", "street", "postcode", "city", "country"],
                                "properties": {
                                    "name": _text(200), "street": _text(200),
                                    "postcode": _text(10), "city": _text(120),
                                    "country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                                    "vat_id": _text(20), "buyer_reference": _text(60)}}}}),
            "responses": {"201": json({"$ref": "#/components/schemas/Company"}, "Opened"),
                          **writes, "409": problem("You belong to a company already"),
                          "422": problem("Bad fields, each named in `errors`")},
        }},
        "/api/v1/companies/{company_id}/invitations": {"post": {
            "summary": "Invite an employee by link",
            "description": "For the company's admin. The link works once and for seven "
                           "days; only its hash is stored, so this answer is the one chance "
                           "to read it. The invitation page tells the employee that the "
                           "company will see on how many days they used a desk it paid for.",
            "security": AUTH, "parameters": [_COMPANY_ID],
            "requestBody": body({"type": "object", "required": ["email"],
                                 "properties": {"email": {**_text(254), "format": "email",
                                                          "minLength": 3}}}),
            "responses": {"201": json({"$ref": "#/components/schemas/CompanyInvitation"},
                                      "The link"), **writes,
                          "404": problem("No such company of yours"),
                          "422": problem("Not an e-mail address")},
        }},
        "/api/v1/companies/join": {"post": {
            "summary": "Join the company an invitation is from",
            "security": AUTH,
            "requestBody": body({"type": "object", "required": ["token"],
                                 "properties": {"token": _text(200)}}),
            "responses": {"200": json({"$ref": "#/components/schemas/Company"}, "Joined"),
                          **writes,
                          "409": problem("You belong to a company already"),
                          "410": problem("The link was used already, ran out or never "
                                         "existed"),
                          "422": problem("No token")},
        }},
        "/api/v1/companies/{company_id}/usage": {"get": {
            "summary": "Days used per employee in a month",
            "description": "For the company's admin only (anyone else: 404).",
            "security": AUTH, "parameters": [_COMPANY_ID, _MONTH],
            "responses": {"200": json({"$ref": "#/components/schemas/CompanyUsage"},
                                      "Days per employee"),
                          "401": problem("Not signed in"),
                          "404": problem("No such company of yours"),
                          "422": problem("A month not in the form YYYY-MM")},
        }},
    }
