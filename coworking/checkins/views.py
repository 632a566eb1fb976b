"""Self check-in at the door: the poster's QR code leads a member's phone here with the code
of the day. Signed in, they check into their booking or take a free desk from now; signed
out, they sign in first and come back with the code kept."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import formatting
from coworking.bookings.on_site import due_on_site
from coworking.bookings.service import visible_booking
from coworking.checkins import door_display, poster, service, sign_in, walk_ins
from coworking.checkins.door import at_the_door
from coworking.checkins.forms import CheckInForm, CheckOutForm, WalkUpForm
from coworking.clock import iso_local, parse_instant
from coworking.errors import DomainError, PaymentRequired
from coworking.memberships.models import PlanKind
from coworking.spaces.service import get_space
from coworking.web import NO_STORE

bp = Blueprint("checkins", __name__)
bp.add_app_template_global(sign_in.door_space)



def _page(space, code, walk_up_form=None, day_pass=None, status=200):
    door = at_the_door(current_user, space, code)
    walk_up_form = walk_up_form or WalkUpForm(formdata=None)
    walk_up_form.code.data = code
    walk_up_form.end.choices = [(iso_local(end, space.zone),
                                 formatting.local_time(end, space.zone))
                                for end in door.walk_in_ends]
    if walk_up_form.end.data is None and door.walk_in_ends:
        walk_up_form.end.data = walk_up_form.end.choices[-1][0]
    check_in_form = CheckInForm(formdata=None, code=code,
                                booking_id=door.to_check_in.id if door.to_check_in else None)
    check_out_form = CheckOutForm(formdata=None,
                                  booking_id=door.checked_in.id if door.checked_in else None)
    if door.code_error and status == 200:
        status = 422
    due = due_on_site(door.to_check_in) if door.to_check_in else None
    return render_template("checkins/self_check_in.html", space=space, door=door, due=due,
                           check_in_form=check_in_form, walk_up_form=walk_up_form,
                           check_out_form=check_out_form, day_pass=day_pass), status, NO_STORE


@bp.get("/door/<slug>")
def door(slug):
    """The door display, opened with a device link (no sign-in: the tablet has no account).
    It reloads itself every minute, so the code switches at local midnight."""
    space = get_space(slug)
    shown = door_display.door_display(space, request.args.get("device"))
    qr = poster.qr_svg(shown.url, _("QR code for the check-in at %(space)s",
                                    space=space.name)) if shown.url else None
    return render_template("checkins/door.html", shown=shown, space=space, qr=qr,
                           address=poster.entry_address(space)), 200, NO_STORE


@bp.get("/checkin/<slug>")
@login_required
def self_check_in(slug):
    return _page(get_space(slug), request.args.get("code"))


def _back(slug, code=None):
    return redirect(url_for("checkins.self_check_in", slug=slug, code=code or None))


def _checked_in_message(booking):
    zone = booking.resource.space.zone
    message = _("You are checked in at %(desk)s until %(end)s. Have a good day!",
                desk=booking.resource.name, end=formatting.local_time(booking.end_at, zone))
    due = due_on_site(booking)
    if due is not None:
        message += " " + _("Payment on site open: please pay %(price)s for %(plan)s to the "
                           "host.", price=formatting.money(due.amount_cents, due.currency),
                           plan=due.plan.name)
    return message


@bp.post("/checkin/<slug>")
@login_required
def check_in(slug):
    space = get_space(slug)
    form = CheckInForm()
    if not form.validate_on_submit():
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return _back(slug, form.code.data)
    try:
        booking = service.self_check_in(current_user, form.booking_id.data, form.code.data)
    except DomainError as error:
        _refused(error)
        return _back(space.slug, form.code.data)
    flash(_checked_in_message(booking), "success")
    return _back(space.slug, form.code.data)


def _refused(error):
    """Not theirs is an error page (404), as in the API; a wrong code the page shows beside
    the code field itself; anything else is a message on top."""
    if error.status in (403, 404):
        raise error
    if error.field != "code":
        flash(str(error.message), "error")


@bp.post("/checkin/<slug>/walk-up")
@login_required
def walk_up(slug):
    space = get_space(slug)
    form = WalkUpForm()
    if not form.validate_on_submit():
        return _page(space, form.code.data, form, status=422)
    try:
        booking = walk_ins.walk_up(current_user, space, form.code.data,
                                   parse_instant(form.end.data),
                                   pay="day_pass" if form.pay_day_pass.data else None)
    except PaymentRequired as error:
        day_pass = next((offer for offer in error.offers
                         if offer["kind"] == PlanKind.DAY_PASS and offer["price_cents"]), None)
        if day_pass is None:
            flash(str(error.message), "error")
        return _page(space, form.code.data, form, day_pass=day_pass, status=402)
    except DomainError as error:
        _refused(error)
        return _back(space.slug, form.code.data)
    flash(_checked_in_message(booking), "success")
    return _back(space.slug, form.code.data)


@bp.post("/checkin/<slug>/check-out")
@login_required
def check_out(slug):
    space = get_space(slug)
    form = CheckOutForm()
    if not form.validate_on_submit():
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return _back(slug)
    booking = visible_booking(current_user, form.booking_id.data)
    if booking.user_id != current_user.id or booking.resource.space_id != space.id:
        abort(404)
    try:
        service.check_out(current_user, booking.id)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("You are checked out. See you soon!"), "success")
    return _back(space.slug)
