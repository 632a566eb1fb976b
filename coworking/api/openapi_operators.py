"""The operators' part of the OpenAPI document: who runs each space and sells its plans."""
from coworking.api.schemas import SCHEMAS, ref
from coworking.operators.models import REQUIRED_FIELDS, TaxMode

AUTH = [{"bearer": []}, {"session": []}]
_TEXT = {"type": "string"}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The operator's slug, e.g. moelln or programmbuero"}
_ACCOUNTS = {"type": "object", "additionalProperties": {"type": "string",
                                                         "pattern": "^[0-9]{4,8}$"},
             "description": "Revenue account per VAT rate in basis points, for the "
                            "accountant's journal; SKR03 by default: "
                            "{\"1900\": \"8400\", \"700\": \"8300\", \"0\": \"8200\"}"}

SCHEMAS["OperatorAddress"] = {
    "type": "object", "required": ["street", "postcode", "city", "country"],
    "properties": {"street": _TEXT, "postcode": _TEXT, "city": _TEXT,
                   "country": {"type": "string", "description": "ISO 3166-1 alpha-2, e.g. DE"}},
}
SCHEMAS["OperatorSummary"] = {
    "type": "object",
    "required": ["slug", "legal_name", "address", "email", "phone", "spaces", "complete"],
    "properties": {
        "slug": _TEXT, "legal_name": _TEXT, "address": ref("OperatorAddress"),
        "email": _TEXT, "phone": _TEXT,
        "spaces": {"type": "array", "items": _TEXT, "description": "Slugs of the spaces it runs"},
        "complete": {"type": "boolean",
                     "description": "Its invoice data is complete, so it sells online"},
    },
}
_FIELDS = {
    "legal_name": _TEXT, "representative": _TEXT,
    "register": {"type": "string", "description": "Register court and number; optional"},
    "tax_number": {"type": "string", "description": "German tax number, e.g. 21/815/08150"},
    "vat_id": {"type": "string", "description": "e.g. DE136695976 (check digit verified)"},
    "tax_mode": {"enum": [mode.value for mode in TaxMode],
                 "description": "standard: VAT at each plan's rate; small_business: § 19 UStG; "
                                "exempt_public: § 2b UStG, a public body not yet taxable"},
    "invoice_prefix": {"type": "string", "description": "2 to 10 letters or digits, unique; "
                                                        "numbers read PREFIX-YYYY-NNNNN"},
    "iban": {"type": "string", "description": "Checked by its mod-97 check digits"},
    "bic": _TEXT, "bank_name": _TEXT, "email": _TEXT, "phone": _TEXT,
    "revenue_accounts": _ACCOUNTS,
}
SCHEMAS["Operator"] = {
    "type": "object",
    "required": ["slug", "legal_name", "address", *[n for n in _FIELDS if n != "legal_name"],
                 "spaces", "runs_portal", "sample_data", "complete", "missing"],
    "properties": {
        "slug": _TEXT, "address": ref("OperatorAddress"), **_FIELDS,
        "spaces": {"type": "array", "items": _TEXT},
        "runs_portal": {"type": "boolean",
                        "description": "The programme office: its legal pages are the site's"},
        "sample_data": {"type": "boolean",
                        "description": "Invented by seed-demo in development"},
        "complete": {"type": "boolean"},
        "missing": {"type": "array",
                    "items": {"enum": list(REQUIRED_FIELDS) + ["tax_number"]},
                    "description": "The invoice data still empty (the address's parts by their "
                                   "own names; tax_number: a tax number or a VAT id)"},
    },
}
SCHEMAS["OperatorUpdate"] = {
    "type": "object",
    "description": "Any of the fields; one left out stays as it is, an empty string or null "
                   "empties it. The read-only fields of the answer may be sent back and are "
                   "ignored; any other unknown field is a 422.",
    "properties": {
        "address": {"type": "object", "properties": {
            "street": _TEXT, "postcode": _TEXT, "city": _TEXT, "country": _TEXT}},
        **{name: ({"type": ["string", "null"]} if schema.get("type") == "string" else schema)
           for name, schema in _FIELDS.items()},
        "sample_data": {"type": "boolean", "description": "false once the data are real"},
    },
}


def paths(json, problem, body):
    return {
        "/api/v1/operators": {"get": {
            "summary": "The operators and the spaces they run",
            "description": "Public. An operator sells online only once `complete`.",
            "responses": {"200": json({"type": "array", "items": ref("OperatorSummary")},
                                      "Every operator, the portal's first")},
        }},
        "/api/v1/operators/{slug}": {
            "get": {
                "summary": "Every field of an operator",
                "description": "For admins.",
                "security": AUTH, "parameters": [_SLUG],
                "responses": {"200": json(ref("Operator"), "The operator"),
                              "401": problem("Not signed in"),
                              "403": problem("Not an admin"),
                              "404": problem("No such operator")},
            },
            "put": {
                "summary": "Change an operator's data",
                "description": "For admins; audit-logged. A change applies to invoices and "
                               "credit notes issued afterwards; issued ones keep their data. "
                               "Refused with 422 naming the field (`address.postcode`, "
                               "`iban`, ...): an IBAN whose check digits fail, a BIC, VAT id, "
                               "German tax number or postcode of the wrong form, an invoice "
                               "prefix another operator has.",
                "security": AUTH, "parameters": [_SLUG],
                "requestBody": body(ref("OperatorUpdate")),
                "responses": {"200": json(ref("Operator"), "The operator as saved"),
                              "400": problem("Malformed JSON, or a session write without its "
                                             "CSRF token"),
                              "401": problem("Not signed in"),
                              "403": problem("Not an admin"),
                              "404": problem("No such operator"),
                              "409": problem("Another admin took the same invoice prefix at "
                                             "the same moment"),
                              "415": problem("The body is not sent as Content-Type: "
                                             "application/json"),
                              "422": problem("Invalid fields (errors name each)")},
            },
        },
    }
