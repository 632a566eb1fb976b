"""The "book a series" page of a space: the form, the preview of its dates, booking the free
ones in one go, and cancelling a whole series."""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coworking import clock
from coworking.bookings import on_site, series
from coworking.bookings.forms import CancelForm, SeriesForm
from coworking.bookings.service import ANY_KINDS
from coworking.errors import DomainError, PaymentRequired
from coworking.spaces.hours import schedule_of
from coworking.spaces.models import ResourceKind
from coworking.spaces.service import get_space, local_today
from coworking.web import NO_STORE

bp = Blueprint("series", __name__)



def _times(space):
    """Every slot boundary from the earliest opening to the latest closing of the weeks in
    force from today on: hours that applied only before today do not widen the grid."""
    schedule = schedule_of(space)
    weeks = schedule.weeks[max(schedule.index_on(local_today(space)), 0):]
    hours = [interval for week in weeks for day in week.values() for interval in day]
    if not hours:
        return []
    step = timedelta(minutes=space.slot_minutes)
    at = datetime.combine(date.min, min(opens for opens, _closes in hours))
    last = datetime.combine(date.min, max(closes for _opens, closes in hours))
    times = []
    while at <= last:
        times.append(at.strftime("%H:%M"))
        at += step
    return times


def _form(space, formdata, csrf):
    form = SeriesForm(formdata=formdata, meta={"csrf": csrf})
    form.kind.choices = [SelectChoice(str(kind), ResourceKind(kind).label)
                         for kind in ANY_KINDS]
    times = _times(space)
    form.start_time.choices = [SelectChoice(t, t) for t in times[:-1]]
    form.end_time.choices = [SelectChoice(t, t) for t in times[1:]]
    if formdata is None:
        today = clock.utcnow().astimezone(space.zone).date()
        form.first_day.data = today + timedelta(days=1)
        form.weeks.data = 4
        form.start_time.data = "09:00" if "09:00" in times else (times[0] if times else None)
        form.end_time.data = "17:00" if "17:00" in times else (times[-1] if times else None)
    return form


def _values(form):
    return (form.kind.data, form.weekdays.data, time.fromisoformat(form.start_time.data),
            time.fromisoformat(form.end_time.data), form.first_day.data, form.weeks.data)


def _show_error(form, error):
    """Beside the field it names, else on top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.name in form._fields:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def _page(space, form, preview=None, offers=None, status=200):
    """The form, and the preview with what pays for its dates. The button books the covered
    free dates (all free ones when none is covered: booking then lists the offers)."""
    summary = series.cover_summary(space, preview) if preview else None
    free = sum(1 for d in preview or () if d.state == series.FREE)
    if summary is not None and len(summary.uncovered) < free:
        free -= len(summary.uncovered)
    return render_template("bookings/series.html", space=space, form=form, preview=preview,
                           free=free, summary=summary, offers=offers,
                           asked=request.args), status, NO_STORE


@bp.get("/spaces/<slug>/series")
@login_required
def show(slug):
    space = get_space(slug)
    if "first_day" not in request.args:
        return _page(space, _form(space, None, csrf=False))
    form = _form(space, request.args, csrf=False)
    if not form.validate():
        return _page(space, form, status=422)
    try:
        preview = series.preview_series(current_user, space, *_values(form))
    except DomainError as error:
        _show_error(form, error)
        return _page(space, form, status=error.status)
    return _page(space, form, preview)


@bp.post("/spaces/<slug>/series")
@login_required
def book(slug):
    space = get_space(slug)
    form = _form(space, request.form, csrf=True)
    if not form.validate():
        return _page(space, form, status=422)
    try:
        result = series.book_series(current_user, space, *_values(form))
    except PaymentRequired as error:
        form.form_errors.append(str(error.message))
        return _page(space, form, offers=error.offers, status=error.status)
    except DomainError as error:
        _show_error(form, error)
        return _page(space, form, status=error.status)
    due = on_site.due_on_site(result.booked[0].booking) if result.booked else None
    return render_template("bookings/series_booked.html", space=space, result=result,
                           due=due), NO_STORE


@bp.post("/series/<int:series_id>/cancel")
@login_required
def cancel(series_id):
    if CancelForm().validate_on_submit():
        cancelled, kept = series.cancel_series(current_user, series_id)
        flash(_("Series cancelled: %(count)s dates.", count=len(cancelled)), "success")
        if kept:
            flash(_("%(count)s dates are past their cancellation deadline and stay booked.",
                    count=len(kept)), "error")
    return redirect(url_for("bookings.mine"))
