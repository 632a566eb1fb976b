"""The feed URLs calendar apps poll, the buttons that rotate them, and the links the account
and host pages show (template globals, since those pages rank below this package)."""
from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user, login_required
from werkzeug.http import http_date

from coworking import clock
from coworking.calendars import event_ics, feeds, tokens
from coworking.calendars.forms import RotateForm
from coworking.space_events import listing as space_events_listing
from coworking.spaces.service import get_space

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


@bp.get("/calendar/events/<slug>.ics")
def space_events_feed(slug):
    """A town's public events, for anyone's calendar app."""
    space = get_space(slug)
    with force_locale(_language()):
        body = event_ics.town_feed(space, space_events_listing.visible_events(
            None, space, first=clock.utcnow() - space_events_listing.FEED_WINDOW,
            include_cancelled=True))
    return Response(body, headers={"Cache-Control": "public, max-age=300"},
                    content_type=CALENDAR)


@bp.post("/account/calendar/rotate")
@login_required
def rotate():
    if RotateForm().validate_on_submit():
        tokens.rotate(current_user)
        flash(_("Your calendar has a new link. The old one no longer works: subscribe to the "
                "new one in your calendar app."), "success")
    return redirect(url_for("accounts.account", _anchor="calendar"))


@bp.post("/account/calendar/spaces/<slug>/rotate")
@login_required
def rotate_space(slug):
    space = get_space(slug)
    if RotateForm().validate_on_submit():
        tokens.rotate(current_user, space)
        flash(_("The calendar of %(space)s has a new link. The old one no longer works.",
                space=space.name), "success")
    return redirect(url_for("host.payments_due", _anchor="calendar"))


def _links(token):
    url = tokens.feed_url(token)
    return {"https": url, "webcal": tokens.webcal_url(url)}


@bp.app_template_global()
def calendar_links(user):
    """The member's own feed as https and webcal links, and the form that rotates it."""
    return {**_links(tokens.token_for(user)), "form": RotateForm(formdata=None)}


@bp.app_template_global()
def host_calendar_links(user):
    """For each space the user hosts (every space for admins): its feed's links."""
    form = RotateForm(formdata=None)
    return [{"space": space, "form": form, **_links(token)}
            for space, token in tokens.host_tokens(user)]
