"""The member's "Change" and "Book again" pages for one of their bookings: the form sits on
`changes.change` and `service.book`, which hold every rule."""
from datetime import datetime, time, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from coworking import clock, formatting
from coworking.bookings import changes, service
from coworking.bookings.forms import AgainForm, ChangeForm
from coworking.bookings.views import bp
from coworking.errors import DomainError, PaymentRequired
from coworking.extensions import db
from coworking.spaces.models import Resource


def _own_booking(booking_id):
    """The member's own booking; 404 for anyone else's, as in the API."""
    booking = service.visible_booking(current_user, booking_id)
    if booking.user_id != current_user.id:
        abort(404)
    return booking


def _times(space):
    """Every slot boundary from the earliest opening to the latest closing of the week."""
    hours = space.opening_hours
    if not hours:
        return []
    first = min(h.opens for h in hours)
    last = max(h.closes for h in hours)
    step = timedelta(minutes=space.slot_minutes)
    at, found = datetime.combine(datetime.min.date(), first), []
    while at.time() <= last and at.date() == datetime.min.date():
        found.append(at.time().strftime("%H:%M"))
        at += step
    return found


def _instant(day, hhmm, space):
    return clock.lenient_local_to_utc(datetime.combine(day, time.fromisoformat(hhmm)),
                                      space.zone)


def _show_errors(form, error):
    fields = {"start": form.start_time, "end": form.end_time, "resource_id": form.resource_id}
    target = fields.get(error.field)
    if target is not None:
        target.errors = list(target.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


@bp.route("/bookings/<int:booking_id>/change", methods=["GET", "POST"])
@login_required
def change(booking_id):
    booking = _own_booking(booking_id)
    space = booking.resource.space
    now = clock.utcnow()
    refusal = changes.change_refusal(current_user, booking, now)
    if refusal is not None:
        flash(str(refusal), "error")
        return redirect(url_for("bookings.mine"))
    form = ChangeForm()
    times = _times(space)
    form.start_time.choices = form.end_time.choices = [(t, t) for t in times]
    form.resource_id.choices = [(r.id, r.name) for r in db.session.scalars(
        select(Resource).where(Resource.space_id == space.id, Resource.kind ==
                               booking.resource.kind, Resource.active.is_(True))
        .order_by(Resource.name, Resource.id))]
    status = 200
    if not form.is_submitted():
        form.day.data = booking.start_at.astimezone(space.zone).date()
        form.start_time.data = formatting.local_time(booking.start_at, space.zone)
        form.end_time.data = formatting.local_time(booking.end_at, space.zone)
        form.resource_id.data = booking.resource_id
    elif form.validate():
        start = _instant(form.day.data, form.start_time.data, space)
        end = _instant(form.day.data, form.end_time.data, space)
        try:
            changed = changes.change(current_user, booking.id, start=start, end=end,
                                     resource_id=form.resource_id.data)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            _show_errors(form, error)
            status = error.status
        else:
            flash(_("Changed: %(resource)s on %(date)s, %(start)s–%(end)s.",
                    resource=changed.resource.name,
                    date=formatting.medium_date(changed.start_at.astimezone(space.zone).date()),
                    start=formatting.local_time(changed.start_at, space.zone),
                    end=formatting.local_time(changed.end_at, space.zone)), "success")
            return redirect(url_for("bookings.mine", _anchor=f"booking-{changed.id}"))
    else:
        status = 422
    return render_template("bookings/change.html", form=form, booking=booking,
                           space=space), status


@bp.route("/bookings/<int:booking_id>/again", methods=["GET", "POST"])
@login_required
def again(booking_id):
    """The same resource and local times as a past booking, on a day the member picks."""
    booking = _own_booking(booking_id)
    space = booking.resource.space
    form = AgainForm()
    status = 200
    if not form.is_submitted():
        form.day.data = clock.utcnow().astimezone(space.zone).date() + timedelta(days=1)
    elif form.validate():
        start = _instant(form.day.data, formatting.local_time(booking.start_at, space.zone),
                         space)
        end = start + (booking.end_at - booking.start_at)
        try:
            new = service.book(current_user, booking.resource_id, start, end, source="web")
        except PaymentRequired as error:
            form.form_errors.append(str(error.message))
            status = 402
        except DomainError as error:
            if error.status in (403, 404):
                raise
            (form.day.errors if error.field in ("start", "end") else form.form_errors
             ).append(str(error.message))
            status = error.status
        else:
            flash(_("Booked again: %(resource)s on %(date)s, %(start)s–%(end)s.",
                    resource=new.resource.name,
                    date=formatting.medium_date(new.start_at.astimezone(space.zone).date()),
                    start=formatting.local_time(new.start_at, space.zone),
                    end=formatting.local_time(new.end_at, space.zone)), "success")
            return redirect(url_for("bookings.mine", _anchor=f"booking-{new.id}"))
    else:
        status = 422
    return render_template("bookings/again.html", form=form, booking=booking,
                           space=space), status
