"""The invoices' part of the OpenAPI document: a member's documents, one with its PDF and
XRechnung, an operator's month and journal for admins, and an admin's refund."""
from coworking.api.schemas import SCHEMAS, ref

AUTH = [{"bearer": []}, {"session": []}]
_TEXT = {"type": "string"}
_CENTS = {"type": "integer", "description": "Cents; negative on a credit note"}
_INVOICE_ID = {"name": "invoice_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "The operator's slug"}
_MONTH = {"name": "month", "in": "query", "required": True,
          "schema": {"type": "string", "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"},
          "description": "YYYY-MM, a year from 2000 to 2100: the documents issued in that "
                         "month"}
_FORMAT = {"name": "format", "in": "query", "required": False,
           "schema": {"enum": ["csv", "datev"], "default": "csv"},
           "description": "csv: one row per document and VAT rate (UTF-8, semicolons); "
                          "datev: DATEV's EXTF Buchungsstapel (format 700, category 21, "
                          "version 13; Windows-1252), revenue accounts per rate as the "
                          "operator sets them (SKR03 by default)"}
_MEMBERSHIP_ID = {"name": "membership_id", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 1}}

SCHEMAS["InvoiceLine"] = {
    "type": "object",
    "required": ["description", "quantity", "net_cents", "vat_rate", "vat_cents",
                 "gross_cents"],
    "properties": {"description": _TEXT, "quantity": {"type": "integer"}, "net_cents": _CENTS,
                   "vat_rate": {"type": "number", "description": "Percent, e.g. 19.0"},
                   "vat_cents": _CENTS, "gross_cents": _CENTS},
}
SCHEMAS["Invoice"] = {
    "type": "object",
    "description": "An issued invoice or credit note, exactly as issued: later edits of the "
                   "operator's or the member's data do not change it.",
    "required": ["id", "number", "kind", "refers_to", "operator", "issued_on",
                 "service_period", "buyer", "lines", "net_cents", "vat_cents", "gross_cents",
                 "currency", "tax_note", "paid_at", "payment_method"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "string", "description": "PREFIX-YYYY-NNNNN, gapless per operator "
                                                    "and year"},
        "kind": {"enum": ["invoice", "credit_note"]},
        "refers_to": {"type": ["string", "null"],
                      "description": "A credit note names the number of its invoice"},
        "operator": {"type": "string", "description": "The seller's slug"},
        "issued_on": {"type": "string", "format": "date"},
        "service_period": {"type": "object", "required": ["start", "end"], "properties": {
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"}}},
        "buyer": {"type": "object", "required": ["name", "company", "address"], "properties": {
            "name": _TEXT, "company": {"type": ["string", "null"]},
            "address": {"type": "object", "properties": {
                "street": _TEXT, "postcode": _TEXT, "city": _TEXT, "country": _TEXT}}}},
        "lines": {"type": "array", "items": ref("InvoiceLine")},
        "net_cents": _CENTS, "vat_cents": _CENTS, "gross_cents": _CENTS,
        "currency": {"type": "string", "description": "ISO 4217, e.g. EUR"},
        "tax_note": {"type": ["string", "null"],
                     "description": "Why no VAT is charged (§ 19 or § 2b UStG), else null"},
        "paid_at": {"type": ["string", "null"], "format": "date-time",
                    "description": "When it was paid (a credit note: refunded); null while a "
                                   "company's monthly invoice is still to be paid by transfer"},
        "payment_method": {"enum": ["stripe", "sepa_debit", "on_site", "credit_transfer"]},
    },
}
SCHEMAS["Refund"] = {
    "type": "object", "required": ["reason"],
    # Not only blanks, and on one line (no control characters).
    "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500,
                              "pattern": "^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$",
                              "description": "Why; kept in the audit log"}},
}


def paths(json, problem, body):
    def download(mimetype, description):
        return {"description": description,
                "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}}}

    mine = {"401": problem("Not signed in"),
            "404": problem("No such invoice, or not yours to see")}
    admins = {"401": problem("Not signed in"), "403": problem("Not an admin"),
              "404": problem("No such operator"),
              "422": problem("A month not in the form YYYY-MM, or an unknown format")}
    return {
        "/api/v1/me/invoices": {"get": {
            "summary": "Your invoices and credit notes, newest first",
            "security": AUTH,
            "responses": {"200": json({"type": "array", "items": ref("Invoice")},
                                      "Every document made out to you"),
                          "401": problem("Not signed in")},
        }},
        "/api/v1/invoices/{invoice_id}": {"get": {
            "summary": "One invoice or credit note",
            "description": "Its owner, or an admin.", "security": AUTH,
            "parameters": [_INVOICE_ID],
            "responses": {"200": json(ref("Invoice"), "The document"), **mine},
        }},
        "/api/v1/invoices/{invoice_id}/pdf": {"get": {
            "summary": "The PDF, a Factur-X invoice (PDF/A-3 with factur-x.xml embedded)",
            "security": AUTH, "parameters": [_INVOICE_ID],
            "responses": {"200": download("application/pdf", "The PDF"), **mine},
        }},
        "/api/v1/invoices/{invoice_id}/xrechnung": {"get": {
            "summary": "The XRechnung (UN/CEFACT CII)",
            "security": AUTH, "parameters": [_INVOICE_ID],
            "responses": {"200": download("application/xml", "The XML"), **mine,
                          "409": problem("Made out to a buyer without a postal address "
                                         "(paid on site without billing details): the PDF "
                                         "is the invoice")},
        }},
        "/api/v1/operators/{slug}/invoices": {"get": {
            "summary": "An operator's documents of a month, by number",
            "description": "For admins.", "security": AUTH, "parameters": [_SLUG, _MONTH],
            "responses": {"200": json({"type": "array", "items": ref("Invoice")},
                                      "The documents"), **admins},
        }},
        "/api/v1/operators/{slug}/journal": {"get": {
            "summary": "The month's journal for the accountant",
            "description": "For admins. One booking per document and VAT rate.",
            "security": AUTH, "parameters": [_SLUG, _MONTH, _FORMAT],
            "responses": {"200": download("text/csv", "The journal"), **admins},
        }},
        "/api/v1/memberships/{membership_id}/refund": {"post": {
            "summary": "Refund a paid plan and issue its credit note",
            "description": "For admins. Through Stripe when it was paid there (Stripe's "
                           "refund event then changes nothing more); paid on site, the "
                           "money goes back outside the system. The plan ends. Two refunds "
                           "at once issue one credit note: the second is a 409.",
            "security": AUTH, "parameters": [_MEMBERSHIP_ID], "requestBody": body(ref("Refund")),
            "responses": {"200": json(ref("Membership"), "The membership, ended"),
                          "400": problem("Malformed JSON, or a session write without its "
                                         "CSRF token"),
                          "401": problem("Not signed in"), "403": problem("Not an admin"),
                          "404": problem("No such membership"),
                          "409": problem("Not paid, or refunded already"),
                          "415": problem("The body is not sent as application/json"),
                          "422": problem("No reason given"),
                          "503": problem("Stripe cannot be reached")},
        }},
    }
