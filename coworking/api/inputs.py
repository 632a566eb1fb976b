"""Reading JSON bodies and query strings: shape and type only, every field named in errors."""
import json
import re
from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l

from coworking.clock import EARLIEST_YEAR, LATEST_YEAR, parse_instant
from coworking.errors import DomainError, InvalidInput
from coworking.text_input import control_characters_problem

_INTEGER = re.compile(r"^-?[0-9]{1,12}$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class MalformedBody(DomainError):
    status = 400
    code = "malformed-json"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported-media-type"


class Fields:
    """Collects one message per bad field so a client learns about all of them at once.

    `textual`: every value arrives as text (a query string), so "3" may be a number there;
    in JSON a value has the type it is sent with.
    """

    def __init__(self, source, textual=False):
        self.source = source
        self.textual = textual
        self.errors = {}

    def _missing(self, name):
        self.errors[name] = [_l("This field is required.")]

    def string(self, name, max_length, required=True, multiline=False):
        """Text without control characters; `multiline` keeps tabs and line breaks."""
        value = self.source.get(name)
        if value is None:
            if required:
                self._missing(name)
            return None
        if not isinstance(value, str):
            self.errors[name] = [_l("Must be a string.")]
            return None
        if len(value) > max_length:
            self.errors[name] = [_l("At most %(n)s characters.", n=max_length)]
            return None
        problem = control_characters_problem(value, multiline)
        if problem:
            self.errors[name] = [problem]
            return None
        return value

    def choice(self, name, choices, required=True):
        """One of a few fixed words, e.g. `pay: "day_pass"`."""
        value = self.string(name, 100, required)
        if value is not None and value not in choices:
            self.errors[name] = [_l("Must be one of: %(choices)s.",
                                    choices=", ".join(f"“{c}”" for c in choices))]
            return None
        return value

    def integer(self, name, minimum=None, maximum=None, required=True, default=None):
        value = self.source.get(name)
        if value is None or value == "":
            if required:
                self._missing(name)
            return default
        if isinstance(value, str):
            if not self.textual:
                self.errors[name] = [_l("Must be a number, not text in quotes.")]
                return None
            if not _INTEGER.match(value):
                self.errors[name] = [_l("Must be a whole number.")]
                return None
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = [_l("Must be a whole number.")]
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.errors[name] = [_l("Must be between %(min)s and %(max)s.", min=minimum, max=maximum)]
            return None
        return value

    def instant(self, name, required=True):
        """An ISO 8601 date-time with an offset; one without is refused, never guessed."""
        value = self.string(name, 40, required)
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError as error:
            if str(error) == "separator":
                self.errors[name] = [_l("Separate date and time with “T”, e.g. "
                                        "2027-03-30T09:00:00+02:00.")]
            elif str(error) == "offset":
                self.errors[name] = [_l("The time needs a UTC offset, e.g. 2027-03-30T09:00:00+02:00.")]
            elif str(error) == "range":
                self.errors[name] = [_l("The year must lie between %(first)s and %(last)s.",
                                        first=EARLIEST_YEAR, last=LATEST_YEAR)]
            else:
                self.errors[name] = [_l("Not an ISO 8601 date and time, e.g. 2027-03-30T09:00:00+02:00.")]
            return None

    def day(self, name, required=True, default=None):
        value = self.string(name, 10, required)
        if value is None:
            return default
        try:
            if not _DAY.match(value):
                raise ValueError
            parsed = date.fromisoformat(value)
            if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
                raise ValueError
            return parsed
        except ValueError:
            self.errors[name] = [_l("Not a date in the form YYYY-MM-DD.")]
            return None

    def boolean(self, name, required=True, default=None):
        """true or false, nothing else (no 0/1, no "yes")."""
        value = self.source.get(name)
        if value is None:
            if not required:
                return default
            self._missing(name)
        elif not isinstance(value, bool):
            self.errors[name] = [_l("Send true or false.")]
        else:
            return value
        return None

    def object(self, name, required=True):
        """A JSON object ({} when absent and not required)."""
        value = self.source.get(name)
        if value is None:
            if required:
                self._missing(name)
            return {}
        if not isinstance(value, dict):
            self.errors[name] = [_l("Send a JSON object.")]
            return {}
        return value

    def raise_if_invalid(self):
        if self.errors:
            raise InvalidInput(_l("The request has invalid fields."), errors=self.errors)


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def is_json(req):
    """Whether the body says it is JSON (RFC 8259: in UTF-8), not whether it looks like it."""
    charset = req.mimetype_params.get("charset", "utf-8").lower()
    return req.mimetype == "application/json" and charset in ("utf-8", "utf8")


def require_json(req):
    """A body is read only when it says it is JSON; anything else is refused, not guessed."""
    chunked = "chunked" in req.headers.get("Transfer-Encoding", "").lower()
    has_body = bool(req.content_length) or chunked
    if has_body and not is_json(req):
        raise UnsupportedMediaType(_l("Send the body as JSON with “Content-Type: "
                                      "application/json”."))


def json_fields():
    """Fields of the JSON object in the request body; a body that is not one is refused."""
    try:
        data = json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise MalformedBody(_l("The request body must be valid JSON.")) from None
    except RecursionError:
        raise MalformedBody(_l("The JSON in the request body is nested too deeply.")) from None
    if not isinstance(data, dict):
        raise InvalidInput(_l("The request body must be a JSON object."))
    return Fields(data)


def query_fields():
    return Fields(request.args, textual=True)
