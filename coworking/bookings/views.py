"""Booking a slot from the grid, "my bookings" and cancelling."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking.bookings import service
from coworking.bookings.availability import availability
from coworking.bookings.forms import BookingForm, CancelForm
from coworking import clock
from coworking.clock import iso_local, parse_instant
from coworking.errors import DomainError, RateLimited
from coworking.spaces.service import get_space

bp = Blueprint("bookings", __name__)


def _end_choices(space, resource_id, start):
    """The resource and the ends the member can pick: every slot end up to where the free
    stretch or the maximum length ends; no ends when `start` does not begin a free slot."""
    (day,) = availability(space, start.astimezone(space.zone).date(), 1)
    resource_day = next((rd for rd in day.resources if rd.resource.id == resource_id), None)
    if resource_day is None:
        return None, []
    step = timedelta(minutes=space.slot_minutes)
    stretch_end = next((b for a, b in resource_day.free
                        if a <= start < b and not (start - a) % step), None)
    if stretch_end is None:
        return resource_day.resource, []
    last = min(stretch_end, start + timedelta(minutes=space.max_booking_minutes))
    return resource_day.resource, [start + step * n for n in range(1, (last - start) // step + 1)]


def _parse(value):
    try:
        return parse_instant(value or "")
    except ValueError:
        return None


@bp.route("/spaces/<slug>/book", methods=["GET", "POST"])
@login_required
def book(slug):
    space = get_space(slug)
    form = BookingForm()
    if request.method == "GET":
        form.resource_id.data = request.args.get("resource", type=int)
        form.start.data = request.args.get("start", "")
    start = _parse(form.start.data)
    resource, ends = (None, [])
    if start and form.resource_id.data:
        resource, ends = _end_choices(space, form.resource_id.data, start)
    form.end.choices = [(iso_local(e, space.zone), e.astimezone(space.zone).strftime("%H:%M"))
                        for e in ends]
    if request.method == "GET":
        if not ends:
            flash(_("This slot is no longer free. Please choose another one."), "error")
            return redirect(url_for("spaces.show", slug=slug,
                                    date=start.astimezone(space.zone).date().isoformat()
                                    if start else None))
        default = ends[-1] if resource.is_desk else ends[0]
        form.end.data = iso_local(default, space.zone)
    headers = {}
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking = service.book(current_user, form.resource_id.data, start,
                                   _parse(form.end.data), source="web")
        except DomainError as error:
            if isinstance(error, RateLimited):
                status, headers["Retry-After"] = error.status, str(error.retry_after)
            target = getattr(form, error.field, None) if error.field else None
            if target is not None and target is not form.resource_id and target is not form.start:
                target.errors = list(target.errors) + [error.message]
            else:
                form.form_errors.append(error.message)
        else:
            local = booking.start_at.astimezone(space.zone)
            flash(_("Booked: %(resource)s on %(date)s, %(start)s–%(end)s.",
                    resource=booking.resource.name, date=local.strftime("%d.%m.%Y"),
                    start=local.strftime("%H:%M"),
                    end=booking.end_at.astimezone(space.zone).strftime("%H:%M")), "success")
            return redirect(url_for("bookings.mine"))
    return render_template("bookings/book.html", space=space, form=form, resource=resource,
                           start=start), status, headers


@bp.get("/bookings")
@login_required
def mine():
    bookings = service.bookings_of(current_user)
    now = clock.utcnow()
    upcoming = [b for b in bookings if b.end_at > now and b.is_active]
    past = [b for b in reversed(bookings) if b not in upcoming]
    return render_template("bookings/mine.html", upcoming=upcoming, past=past, now=now,
                           cancel_form=CancelForm())


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id):
    form = CancelForm()
    if form.validate_on_submit():
        try:
            service.cancel(current_user, booking_id)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("bookings.mine"))
