"""The research part of the OpenAPI document: the metrics as JSON and the data package."""
from coworking.api.schemas import SCHEMAS, ref
from coworking.research.calendar import GRANULARITIES

AUTH = [{"bearer": []}, {"session": []}]
_NUMBER = {"type": ["number", "null"]}
_INTEGER = {"type": ["integer", "null"]}

SCHEMAS["ResearchRow"] = {
    "type": "object",
    "description": "One space and period. A suppressed row (fewer than min_cell distinct "
                   "members, or one that would reveal such a row) has null figures except "
                   "its keys and open_desk_hours. See codebook.md in the export for every "
                   "definition.",
    "required": ["space", "granularity", "period_start", "period_end", "open_desk_hours",
                 "unique_members", "suppressed"],
    "properties": {
        "space": {"type": "string"},
        "granularity": {"enum": list(GRANULARITIES)},
        "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"},
        "open_desk_hours": {"type": "number"},
        "booked_desk_hours": _NUMBER, "occupancy_rate": _NUMBER, "visits": _INTEGER,
        "visit_hours": _NUMBER, "utilisation": _NUMBER, "unique_members": _INTEGER,
        "new_members": _INTEGER, "bookings": _INTEGER, "cancellations": _INTEGER,
        "mean_cancellation_lead_hours": _NUMBER, "no_shows": _INTEGER,
        "no_show_rate": _NUMBER, "median_visit_hours": _NUMBER,
        "suppressed": {"type": "boolean"},
    },
}
SCHEMAS["ResearchStats"] = {
    "type": "object", "required": ["min_cell", "rows"],
    "properties": {"min_cell": {"type": "integer", "minimum": 1},
                   "rows": {"type": "array", "items": ref("ResearchRow")}},
}

_DAY = {"type": "string", "format": "date"}
_FROM = {"name": "from", "in": "query", "required": True, "schema": _DAY,
         "description": "First local date, YYYY-MM-DD; the window is widened back to the "
                        "start of its period"}
_WINDOWS = ("Windows are whole periods: `from` is widened back to the first day of its "
            "period and `to` forward to the last day of its period (days as asked; weeks "
            "Monday to Sunday; months the 1st to the last day), and only periods the widened "
            "window holds whole are published, each labelled with the days it covers. So "
            "no two windows can be subtracted to recover a suppressed day.")
_TO = {"name": "to", "in": "query", "required": True, "schema": _DAY,
       "description": "Last local date, YYYY-MM-DD, included (at most about three years "
                      "after `from`)"}


def paths(json, problem):
    signed_out = problem("Not signed in")
    forbidden = problem("Not a researcher or admin")
    return {
        "/api/v1/research/stats": {"get": {
            "summary": "Usage metrics per space and day, ISO week or month",
            "description": "For researchers and admins. Aggregated in the space's local time; "
                           "disclosure control applied (min_cell distinct members per row, "
                           "and secondary suppression of a day where it could be recovered "
                           "from its whole week or month, decided the same whichever window "
                           "asks). " + _WINDOWS,
            "security": AUTH,
            "parameters": [_FROM, _TO,
                           {"name": "granularity", "in": "query",
                            "schema": {"enum": list(GRANULARITIES), "default": "month"}},
                           {"name": "space", "in": "query", "schema": {"type": "string"},
                            "description": "One space's slug (default: every space)"}],
            "responses": {"200": json(ref("ResearchStats"), "The rows"),
                          "401": signed_out, "403": forbidden,
                          "422": problem("Missing or invalid from, to, granularity or space "
                                         "(errors name the field)")},
        }},
        "/api/v1/research/export": {"get": {
            "summary": "The research data package (Frictionless Data Package, zip)",
            "description": "For researchers and admins; every export is audit-logged. The zip "
                           "holds datapackage.json, spaces.csv, space_metrics.csv, "
                           "presence.csv, visits.csv (pseudonymised, consenting members "
                           "only), profiles.csv, commute.csv and codebook.md (German and "
                           "English). It is streamed as it is written. The range is "
                           "widened to whole months (the file name and the codebook give the "
                           "months covered); weeks that run past its first or last day are "
                           "left out.",
            "security": AUTH, "parameters": [_FROM, _TO],
            "responses": {"200": {"description": "The data package",
                                  "content": {"application/zip": {
                                      "schema": {"type": "string",
                                                 "contentMediaType": "application/zip"}}}},
                          "401": signed_out, "403": forbidden,
                          "422": problem("Missing or invalid from or to (errors name the "
                                         "field)"),
                          "503": problem("RESEARCH_KEY is not set on the server")},
        }},
    }
