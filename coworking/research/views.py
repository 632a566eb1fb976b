"""The research dashboard at /research and its data package download: researchers and
admins only."""
import re
from datetime import date

from babel.numbers import format_decimal
from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_babel import format_date, get_locale, lazy_gettext as _l
from flask_login import current_user

from coworking import permissions
from coworking.errors import InvalidInput
from coworking.page_access import only_for
from coworking.research import calendar, dashboard as charts, service
from coworking.spaces.models import SpaceType
from coworking.spaces.service import WEEKDAYS

bp = Blueprint("research", __name__, url_prefix="/research")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


only_for(bp, permissions.can_read_research)


def _date(name, default, errors):
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        if not _DAY.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = [_l("Not a date in the form YYYY-MM-DD.")]
        return default


def _asked_range():
    """(first, last, errors) from ?from= and ?to=, the last twelve months by default; widened
    to the whole months it touches, as the API and the data package are."""
    errors = {}
    default_first, default_last = service.default_range()
    first = _date("from", default_first, errors)
    last = _date("to", default_last, errors)
    if not errors:
        try:
            first, last = service.window(first, last, "month")
        except InvalidInput as error:
            errors |= error.errors
    return first, last, errors


def _download_url(first, last):
    return url_for("research.download", **{"from": first.isoformat(), "to": last.isoformat()})


@bp.get("")
def dashboard():
    first, last, errors = _asked_range()
    scope = calendar.scope(first, last)
    chosen = None
    asked = request.args.get("space")
    if asked:
        chosen = next((space for space in scope.spaces if space.slug == asked), None)
        if chosen is None:
            errors["space"] = [_l("There is no space called “%(slug)s”.", slug=asked[:60])]
    picture = None if errors or not scope.spaces else charts.picture(scope, chosen)
    if picture is not None:
        chosen = picture["chosen"]
    page = render_template("research/dashboard.html", first=first, last=last, errors=errors,
                           spaces=scope.spaces, chosen=chosen, picture=picture,
                           weekdays=WEEKDAYS, download_url=_download_url(first, last),
                           asked=request.args)
    return page, 422 if errors else 200


@bp.get("/export")
def download():
    first, last, errors = _asked_range()
    if errors:
        scope = calendar.scope(first, last)
        return render_template("research/dashboard.html", first=first, last=last,
                               errors=errors, spaces=scope.spaces, chosen=None, picture=None,
                               weekdays=WEEKDAYS, download_url=None, asked=request.args), 422
    chunks = service.export(current_user, first, last, via="web")
    return Response(stream_with_context(chunks), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{service.file_name(first, last)}"',
        "Cache-Control": "no-store"})


@bp.app_template_global("space_type_label")
def space_type_label(value):
    try:
        return SpaceType(value).label
    except ValueError:
        return value


@bp.app_template_filter("people_present")
def people_present(value):
    """`0,25` in German, `0.25` in English: a mean number of people."""
    return format_decimal(value, format="#,##0.##", locale=get_locale())


@bp.app_template_filter("month_label")
def month_label(day, form="MMM yy"):
    """`Mär 27` in German, `Mar 27` in English: a month in a table; "MMM" and "yyyy" for the
    two lines of an axis label."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return format_date(day, form)
