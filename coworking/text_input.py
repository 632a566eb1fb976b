"""Text as the app accepts it: no control characters, wherever text comes in.

PostgreSQL refuses NUL in text (a 500 if it got that far) and SQLite would store it; neither
is ever what a person meant. Query strings and form fields are checked here before any view
runs, path segments too (they name things, so one with control characters names nothing:
404); JSON fields are checked where they are read (coworking.api.inputs).
"""
import re

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l

from coworking.errors import InvalidInput

# C0 controls and DEL; a multi-line field keeps tabs and line breaks. Lone surrogates, which
# a JSON escape can produce, are no text either and no database driver stores them.
_SINGLE_LINE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

SINGLE_LINE_MESSAGE = _l("Must not contain control characters such as tabs or line breaks.")
MULTI_LINE_MESSAGE = _l("Must not contain control characters.")


def control_characters_problem(text, multiline=False):
    """The message for a field holding `text`, or None when it is fine."""
    if multiline:
        return MULTI_LINE_MESSAGE if _MULTI_LINE.search(text) else None
    return SINGLE_LINE_MESSAGE if _SINGLE_LINE.search(text) else None


def allows_line_breaks(*names):
    """Mark a view whose form fields `names` are multi-line text (tabs and line breaks kept)."""
    def mark(view):
        view.multiline_fields = frozenset(names)
        return view

    return mark


def _shown(name):
    return _SINGLE_LINE.sub("\N{REPLACEMENT CHARACTER}", name)


def refuse_control_characters():
    if any(isinstance(value, str) and _SINGLE_LINE.search(value)
           for value in (request.view_args or {}).values()):
        abort(404)
    view = current_app.view_functions.get(request.endpoint)
    multiline = getattr(view, "multiline_fields", frozenset())
    errors = {}
    for source, multiline_names in ((request.args, frozenset()), (request.form, multiline)):
        for name, value in source.items(multi=True):
            message = (SINGLE_LINE_MESSAGE if _SINGLE_LINE.search(name) else
                       control_characters_problem(value, multiline=name in multiline_names))
            if message:
                errors.setdefault(_shown(name), [message])
    if errors:
        raise InvalidInput(_l("“%(field)s” must not contain control characters.",
                              field=next(iter(errors))), errors=errors)


def register(app):
    app.before_request(refuse_control_characters)
