"""Booking a slot from the grid (with the offers and a day pass when nothing covers it),
"my bookings" and cancelling."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking.bookings import payments, service
from coworking.bookings.availability import availability
from coworking.bookings.forms import BookingForm, CancelForm
from coworking import clock, formatting, online_payments
from coworking.clock import iso_local, parse_instant
from coworking.errors import DomainError, PaymentRequired
from coworking.memberships.forms import BuyForm
from coworking.memberships.models import PaymentMethod, PlanKind
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
    form.end.choices = [(iso_local(e, space.zone), formatting.local_time(e, space.zone))
                        for e in ends]
    if request.method == "GET":
        if not ends:
            flash(_("This slot is no longer free. Please choose another one."), "error")
            return redirect(url_for("spaces.show", slug=slug,
                                    date=start.astimezone(space.zone).date().isoformat()
                                    if start else None))
        default = ends[-1] if resource.is_desk else ends[0]
        form.end.data = iso_local(default, space.zone)
    elif form.validate_on_submit():
        return _submit(space, form, start, resource)
    return _page(space, form, resource, start, status=422 if request.method == "POST" else 200)


def _page(space, form, resource, start, status, offers=None):
    """The confirm page; without cover (`offers` not None) it lists the offers and the
    day-pass option."""
    day_pass = next((o for o in offers or () if o["kind"] == PlanKind.DAY_PASS
                     and o["price_cents"]), None)
    here = url_for("bookings.book", slug=space.slug, resource=form.resource_id.data,
                   start=form.start.data)
    return render_template("bookings/book.html", space=space, form=form, resource=resource,
                           start=start, offers=offers, day_pass=day_pass, here=here,
                           buy_form=BuyForm(formdata=None), kinds=PlanKind), status


def _submit(space, form, start, resource):
    pay = "day_pass" if form.pay_day_pass.data else None
    try:
        booking = service.book(current_user, form.resource_id.data, start, _parse(form.end.data),
                               source="web", pay=pay, online=online_payments.enabled())
    except PaymentRequired as error:
        return _page(space, form, resource, start, status=402, offers=error.offers)
    except DomainError as error:
        target = getattr(form, error.field, None) if error.field else None
        if target is not None and target is not form.resource_id and target is not form.start:
            target.errors = list(target.errors) + [error.message]
        else:
            form.form_errors.append(error.message)
        return _page(space, form, resource, start, status=422)
    message = _("Booked: %(resource)s on %(date)s, %(start)s–%(end)s.",
                resource=booking.resource.name,
                date=formatting.medium_date(booking.start_at.astimezone(space.zone).date()),
                start=formatting.local_time(booking.start_at, space.zone),
                end=formatting.local_time(booking.end_at, space.zone))
    back = online_payments.site_url(url_for("bookings.mine"))
    try:
        payment = payments.day_pass_checkout(booking, success_url=back, cancel_url=back)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("bookings.mine"))
    if payment is not None and payment.method == PaymentMethod.STRIPE and payment.checkout_url:
        return redirect(payment.checkout_url)
    if payment is not None and payment.method == PaymentMethod.ON_SITE:
        message += " " + _("Please pay the day pass (%(price)s) on site.",
                           price=formatting.money(payment.amount_cents, payment.currency))
    flash(message, "success")
    return redirect(url_for("bookings.mine"))


@bp.get("/bookings")
@login_required
def mine():
    bookings = service.bookings_of(current_user)
    now = clock.utcnow()
    upcoming = [b for b in bookings if b.end_at > now and b.is_active]
    past = [b for b in reversed(bookings) if b not in upcoming]
    memberships, paid_with = payments.cover_and_payments(bookings)
    return render_template("bookings/mine.html", upcoming=upcoming, past=past, now=now,
                           cancel_form=CancelForm(), memberships=memberships,
                           paid_with=paid_with)


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id):
    form = CancelForm()
    if form.validate_on_submit():
        try:
            service.cancel(current_user, booking_id)
        except DomainError as error:
            if error.status == 404:
                raise  # not theirs to see: the page does not exist for them, as in the API
            flash(str(error.message), "error")
        else:
            flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("bookings.mine"))
