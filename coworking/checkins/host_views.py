"""The host's day: one page per space to run it from, on a phone or a tablet at the front
desk. Today's bookings with one tap each to check in, check out, mark as not come or mark a
day pass paid; walk-ins; who is present; the days ahead."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coworking import clock, formatting, permissions
from coworking.bookings.availability import desks_free_from
from coworking.bookings.models import Booking
from coworking.bookings.on_site import collect_on_site, due_on_site
from coworking.bookings.rules import describe_intervals, walk_in_ends
from coworking.checkins import day as days, occupancy_picture, service, undo, walk_ins
from coworking.checkins.forms import HostActionForm, WalkInForm
from coworking.checkins.host_access import space_for_host
from coworking.clock import iso_local, parse_instant
from coworking.errors import DomainError, RuleViolation
from coworking.extensions import db
from coworking.memberships.models import PaymentMethod, PaymentStatus
from coworking.spaces.models import Resource
from coworking.spaces.service import list_spaces
from coworking.web import NO_STORE

bp = Blueprint("host_day", __name__, url_prefix="/host")



def _hosted_space(slug):
    return space_for_host(slug, permissions.can_run_space_day)


@bp.get("")
@login_required
def index():
    """The spaces the user runs; a host of one space goes straight to its day."""
    if not permissions.hosts_any_space(current_user):
        abort(403)
    spaces = [space for space in list_spaces(drafts=True)
              if permissions.can_run_space_day(current_user, space.id)]
    if len(spaces) == 1:
        return redirect(url_for("host_day.day", slug=spaces[0].slug))
    return render_template("checkins/hosted.html", spaces=spaces)


def _asked_day(today):
    raw = request.args.get("date", "")
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else today
    except ValueError:
        day = today
    return min(max(day, date(clock.EARLIEST_YEAR + 1, 1, 1)), date(clock.LATEST_YEAR, 1, 1))


def _walk_in_choices(form, space, now):
    """Fill the walk-in form's desks and ends from what is free now; the reason when the
    space is closed."""
    try:
        start, closes = walk_ins.walk_in_times(space, now)
    except RuleViolation as error:
        return error.message
    free = [(desk, until) for desk, until in desks_free_from(space, start, closes, now)
            if until > now]
    latest = max((until for _desk, until in free), default=now)
    form.resource_id.choices = [("", _("Any free desk"))] + [
        (str(desk.id), _("%(desk)s (free until %(time)s)", desk=desk.name,
                         time=formatting.local_time(until, space.zone)))
        for desk, until in free]
    form.end.choices = [(iso_local(end, space.zone), formatting.local_time(end, space.zone))
                        for end in walk_in_ends(space, start, closes) if now < end <= latest]
    if not free:
        return _("No desk is free at the moment.")
    return None


def _page(space, form=None, status=200):
    shown = days.host_day(current_user, space, _asked_day(days.local_today(space, clock.utcnow())))
    form = form or WalkInForm(formdata=None)
    walk_in_closed = _walk_in_choices(form, space, shown.now) if shown.is_today else None
    if form.end.data is None and form.end.choices:
        form.end.data = form.end.choices[-1][0]
    code = days.checkin_code(current_user, space)[0] if shown.is_today else None
    return render_template(
        "checkins/day.html", shown=shown, space=space, form=form, action_form=HostActionForm(),
        walk_in_closed=walk_in_closed, code=code, can_check_in_now=service.can_check_in_now,
        early=service.EARLY_CHECK_IN, on_site_due=_on_site_due, step=timedelta(days=1),
        undoable=undo.undoable(shown.bookings, shown.now), undo_labels=undo.LABELS,
        undo_until=undo.undo_until,
        hours=describe_intervals(shown.opening.intervals, space),
        occupancy=occupancy_picture.picture(space, shown.day)), status, NO_STORE


def _on_site_due(payment):
    return (payment is not None and payment.method == PaymentMethod.ON_SITE
            and payment.status == PaymentStatus.DUE)


@bp.get("/<slug>")
@login_required
def day(slug):
    return _page(_hosted_space(slug))


def _booking_of(space, booking_id):
    """The booking if it is one of this space's; 404 otherwise, whoever asks."""
    booking = db.session.scalar(
        select(Booking).join(Booking.resource)
        .where(Booking.id == booking_id, Resource.space_id == space.id)) \
        if 0 < booking_id < 2**31 else None
    if booking is None:
        abort(404)
    return booking


def _act(slug, booking_id, action, message):
    """One tap on a booking of the day page; back to the page, at that booking."""
    space = _hosted_space(slug)
    name = _booking_of(space, booking_id).user.name
    if HostActionForm().validate_on_submit():
        try:
            action(current_user, booking_id)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            flash(str(error.message), "error")
        else:
            flash(message(name), "success")
    else:
        flash(_("This form is out of date. Please reload the page and try again."), "error")
    return redirect(url_for("host_day.day", slug=slug, _anchor=f"booking-{booking_id}"))


@bp.post("/<slug>/bookings/<int:booking_id>/check-in")
@login_required
def check_in(slug, booking_id):
    return _act(slug, booking_id, service.check_in,
                lambda name: _("%(name)s is checked in.", name=name))


@bp.post("/<slug>/bookings/<int:booking_id>/check-in-paid")
@login_required
def check_in_paid(slug, booking_id):
    """Check in and confirm what was paid on site, in one tap."""
    return _act(slug, booking_id,
                lambda actor, booking_id: service.check_in(actor, booking_id, paid_on_site=True),
                lambda name: _("%(name)s is checked in and has paid.", name=name))


@bp.post("/<slug>/bookings/<int:booking_id>/check-out")
@login_required
def check_out(slug, booking_id):
    return _act(slug, booking_id, service.check_out,
                lambda name: _("%(name)s is checked out.", name=name))


@bp.get("/<slug>/bookings/<int:booking_id>/no-show")
@login_required
def confirm_no_show(slug, booking_id):
    """A no-show releases the desk and tells the member: the host confirms it first."""
    space = _hosted_space(slug)
    booking = _booking_of(space, booking_id)
    return render_template("checkins/no_show_confirm.html", space=space, booking=booking,
                           action_form=HostActionForm(),
                           minutes=int(undo.UNDO_WINDOW.total_seconds() // 60)), 200, NO_STORE


@bp.post("/<slug>/bookings/<int:booking_id>/undo")
@login_required
def undo_action(slug, booking_id):
    return _act(slug, booking_id, undo.undo,
                lambda name: _("Undone: %(name)s's booking is as it was before.", name=name))


@bp.post("/<slug>/bookings/<int:booking_id>/no-show")
@login_required
def no_show(slug, booking_id):
    return _act(slug, booking_id, service.mark_no_show,
                lambda name: _("%(name)s is marked as not come; the desk is free again. You "
                               "can undo this for 15 minutes.", name=name))


@bp.post("/<slug>/bookings/<int:booking_id>/paid")
@login_required
def paid(slug, booking_id):
    return _act(slug, booking_id, collect_on_site,
                lambda name: _("%(name)s has paid on site.", name=name))


@bp.post("/<slug>/walk-ins")
@login_required
def walk_in(slug):
    space = _hosted_space(slug)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _page(space, form, 422)
    resource_id = int(form.resource_id.data) if (form.resource_id.data or "").isdecimal() else None
    try:
        booking = walk_ins.walk_in(current_user, space, form.email.data,
                                   parse_instant(form.end.data), name=form.name.data or None,
                                   resource_id=resource_id)
    except DomainError as error:
        if error.status == 403:
            raise
        for name, messages in (error.errors or {}).items():
            field = getattr(form, name, None)
            if field is not None and name != "csrf_token":
                field.errors = list(field.errors) + list(messages)
        if not error.errors or not any(hasattr(form, name) for name in error.errors):
            form.form_errors.append(error.message)
        return _page(space, form, error.status)
    message = _("%(name)s is checked in at %(desk)s until %(end)s.", name=booking.user.name,
                desk=booking.resource.name, end=formatting.local_time(booking.end_at, space.zone))
    payment = due_on_site(booking)
    if payment is not None:
        message += " " + _("Please collect %(price)s for %(plan)s.", plan=payment.plan.name,
                           price=formatting.money(payment.amount_cents, payment.currency))
    flash(message, "success")
    return redirect(url_for("host_day.day", slug=slug, _anchor=f"booking-{booking.id}"))
