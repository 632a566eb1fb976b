"""Host pages of a space beside its day: the self check-in poster to print, and the occupancy
picture. For the hosts of that space and admins."""
from datetime import date, timedelta

from babel.numbers import format_decimal, format_percent
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from coworking import clock, formatting, permissions
from coworking.checkins import codes, door_display, poster
from coworking.checkins.forms import DoorDeviceForm, HostActionForm
from coworking.checkins.host_access import space_for_host
from coworking.checkins.occupancy_picture import picture
from coworking.errors import InvalidInput

bp = Blueprint("host_pages", __name__, url_prefix="/host")

# A host who is away for some days prints the posters of the days ahead in one go.
POSTER_DAYS_AHEAD = 7
POSTER_LANGUAGE = "de"  # read at the door by everyone, whatever language the host reads


def _hosted_space(slug):
    return space_for_host(slug, permissions.can_manage_space)


def _today(space):
    return clock.utcnow().astimezone(space.zone).date()


def _asked_date(default, earliest, latest):
    """`?date=` kept within [earliest, latest]; `default` when absent or not a date."""
    raw = request.args.get("date", "")
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else default
    except ValueError:
        day = default
    return min(max(day, earliest), latest)


@bp.get("/<slug>/poster")
@login_required
def poster_page(slug):
    space = _hosted_space(slug)
    today = _today(space)
    last = today + timedelta(days=POSTER_DAYS_AHEAD)
    day = _asked_date(today, today, last)
    code = codes.daily_code(space, day)
    url = poster.checkin_url(space, code)
    with force_locale(POSTER_LANGUAGE):
        sheet = render_template(
            "checkins/_poster_sheet.html", space=space, day=day, code=code, url=url,
            address=poster.entry_address(space),
            qr=poster.qr_svg(url, _("QR code for the check-in at %(space)s", space=space.name)))
    return render_template("checkins/poster.html", space=space, day=day, today=today, last=last,
                           sheet=Markup(sheet), lang=POSTER_LANGUAGE)


@bp.get("/<slug>/occupancy")
@login_required
def occupancy_page(slug):
    space = _hosted_space(slug)
    today = _today(space)
    day = _asked_date(today, date(clock.EARLIEST_YEAR + 1, 1, 1), date(clock.LATEST_YEAR, 1, 1))
    return render_template("checkins/occupancy.html", space=space, today=today,
                           picture=picture(space, day))


def _door_page(space, form, new_link=None, status=200):
    return render_template("checkins/door_devices.html", space=space, form=form,
                           revoke_form=HostActionForm(), new_link=new_link,
                           devices=door_display.devices_of(current_user, space)), status, {
                               "Cache-Control": "no-store"}


@bp.get("/<slug>/door")
@login_required
def door_devices(slug):
    """The door display's device links: create one for a tablet, revoke one."""
    space = _day_space(slug)
    return _door_page(space, DoorDeviceForm(formdata=None))


@bp.post("/<slug>/door")
@login_required
def create_door_device(slug):
    space = _day_space(slug)
    form = DoorDeviceForm()
    if not form.validate_on_submit():
        return _door_page(space, form, status=422)
    try:
        _device, link = door_display.create_device(current_user, space, form.name.data)
    except InvalidInput as error:
        form.name.errors = list(form.name.errors) + [str(error.message)]
        return _door_page(space, form, status=422)
    return _door_page(space, DoorDeviceForm(formdata=None), new_link=link, status=201)


@bp.post("/<slug>/door/<int:device_id>/revoke")
@login_required
def revoke_door_device(slug, device_id):
    space = _day_space(slug)
    if HostActionForm().validate_on_submit():
        device = door_display.revoke_device(current_user, space, device_id)
        flash(_("The link of %(name)s no longer works.", name=device.name), "success")
    return redirect(url_for("host_pages.door_devices", slug=slug))


def _day_space(slug):
    return space_for_host(slug, permissions.can_run_space_day)


@bp.app_template_filter("occupancy_percent")
def occupancy_percent(rate):
    """`42 %` in German, `42%` in English; a dash where nothing was open."""
    return "–" if rate is None else format_percent(rate, locale=get_locale())


@bp.app_template_filter("desk_hours")
def desk_hours(hours):
    return format_decimal(hours, format="#,##0.#", locale=get_locale())


@bp.app_template_filter("day_month")
def day_month(day):
    return formatting.day_month(day)
