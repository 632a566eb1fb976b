"""The feed URLs calendar apps poll."""
from flask import Blueprint, Response, current_app, request
from flask_babel import force_locale
from werkzeug.http import http_date

from coworking.calendars import feeds

bp = Blueprint("calendars", __name__)

CALENDAR = "text/calendar; charset=utf-8"


def _language():
    """The feed's language: German unless its URL asks for another one the site speaks."""
    lang = request.args.get("lang", "")
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def _unchanged(etag, last_modified):
    """Whether the app's copy is current; If-None-Match, when sent, decides alone (RFC 9110)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified <= since


@bp.get("/calendar/<secret>.ics")
def feed(secret):
    """Answered without session or CSRF: the secret in the URL is the key. A 304 reads the
    token and its change stamp only; the feed is built only when it changed."""
    found = feeds.find(secret)
    if found is None:
        # Plain text: calendar apps show no pages, and an error page would set a cookie.
        return Response("Not found\n", status=404, content_type="text/plain; charset=utf-8")
    lang, day = _language(), feeds.today()
    etag, last_modified = feeds.validators(found, day, lang)
    headers = {"ETag": f'"{etag}"', "Last-Modified": http_date(last_modified),
               "Cache-Control": "private, no-cache"}
    if _unchanged(etag, last_modified):
        return Response(status=304, headers=headers)
    with force_locale(lang):
        body = feeds.build(found, day)
    return Response(body, headers=headers, content_type=CALENDAR)
