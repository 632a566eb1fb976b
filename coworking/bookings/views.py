"""Booking a slot from the grid (with the offers and a day pass when nothing covers it),
"my bookings" and cancelling."""
import secrets
from datetime import UTC, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coworking import clock, formatting
from coworking.bookings import (
    changes,
    credit_days,
    day_pass,
    idempotency,
    on_site,
    payers,
    service,
    signed_out_slot,
)
from coworking.bookings.availability import availability, free_slots
from coworking.bookings.forms import BookingForm, CancelForm
from coworking.bookings.page_helpers import booked, named
from coworking.bookings.rules import start_refusal
from coworking.bookings.series import group_by_series
from coworking.clock import iso_local
from coworking.errors import Conflict, DomainError, PaymentRequired, RateLimited
from coworking.memberships.forms import BuyForm
from coworking.memberships.holdings import memberships_by_id, payments_shown_for_bookings
from coworking.memberships.models import PlanKind
from coworking.spaces.booking_changes import OUTCOME_LABELS, latest_changes
from coworking.spaces.service import closures_between, get_space
from coworking.waitlist import service as waitlist_service
from coworking.web import NO_STORE, instant_or_none

bp = Blueprint("bookings", __name__)
# The sign-in and registration pages name the slot a signed-out visitor tapped.
bp.add_app_template_global(signed_out_slot.waiting_slot)
# A pass's history on the account page names the day and town each credit went to.
bp.add_app_template_global(credit_days.credit_labels)

# The confirm page always shows the current state, also when the browser goes back to it.


def _start_choices(space, resource, start):
    """[(value, label)] of every slot start in the free stretch `start` lies in, from now on:
    a member who chose a desk may begin later than where its free stretch begins."""
    if resource is None or start is None:
        return []
    (day,) = availability(space, start.astimezone(space.zone).date(), 1)
    resource_day = next((rd for rd in day.resources if rd.resource.id == resource.id), None)
    step = timedelta(minutes=space.slot_minutes)
    stretch = next(((a, b) for a, b in (resource_day.free if resource_day else ())
                    if a <= start < b), None)
    if stretch is None:
        return []
    earliest = clock.utcnow() + timedelta(minutes=space.min_notice_minutes)
    first, last = stretch
    starts = [first + step * n for n in range((last - first) // step)]
    return [_end_option(space, at) for at in starts if at >= earliest]


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


def _end_option(space, end):
    return iso_local(end, space.zone), formatting.local_time(end, space.zone)


def _keep_chosen_end(form, space):
    """A re-shown form keeps the end the member chose, even where it is no longer free, so the
    field (and the message beside it) stays instead of vanishing."""
    end = instant_or_none(form.end.data)
    if end is None:
        return
    value, label = _end_option(space, end)
    if value not in dict(form.end.choices):
        form.end.choices = sorted(form.end.choices + [(value, label)])
    form.end.data = value


def _alternatives(space, resource, start, end, wanted=3):
    """Free stretches as long as the one asked for: the same time on another resource of the
    same kind, then the nearest time on the same resource. Times the member already holds a
    desk are left out for desks, since one person holds one desk at a time."""
    length, step = end - start, timedelta(minutes=space.slot_minutes)
    (day,) = availability(space, start.astimezone(space.zone).date(), 1)
    held = [(b.start_at, b.end_at) for b in service.own_bookings_between(
        current_user, space, day.intervals[0][0], day.intervals[-1][1]) if b.holds_desk
    ] if resource.is_desk and day.intervals else []

    def fits(resource_day, at):
        return (any(a <= at and at + length <= b for a, b in resource_day.free)
                and not any(a < at + length and at < b for a, b in held))

    found = [(rd.resource, start) for rd in day.resources
             if rd.resource.kind == resource.kind and rd.resource.id != resource.id
             and fits(rd, start)][:wanted - 1]
    same = next((rd for rd in day.resources if rd.resource.id == resource.id), None)
    if same is not None:
        starts = [at for at in free_slots(same, step) if at != start and fits(same, at)]
        if starts:
            found.append((resource, min(starts, key=lambda at: (abs(at - start), at))))
    return [(r, at, at + length) for r, at in found]


def _book(form, space, start, pay):
    """Book what the form asks for, once per form: sending it again answers the first time."""
    end = instant_or_none(form.end.data)
    online = day_pass.online()
    bill_to = form.bill_to.data or None
    if not form.key.data:
        return service.book(current_user, form.resource_id.data, start, end, source="web",
                            pay=pay, online=online, bill_to=bill_to)
    request_fingerprint = idempotency.fingerprint({"web": [
        form.resource_id.data, start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat(),
        pay] + ([bill_to] if bill_to else [])})
    answer = idempotency.book_once(
        current_user, form.key.data, request_fingerprint, lambda booking: (302, None),
        lambda: service.book(current_user, form.resource_id.data, start, end, source="web",
                             pay=pay, online=online, bill_to=bill_to))
    return answer.booking


def _show_error(form, error):
    """Beside the end when changing it may help (a taken stretch, a broken end rule), on top
    of the form otherwise."""
    if isinstance(error, Conflict) or error.field == "end":
        form.end.errors = list(form.end.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def _why_not(space, start):
    """What a link to a slot that cannot be booked tells the member: the rule it breaks (past,
    closed, beyond the horizon), or that someone else took it."""
    if start is None:
        return _("This link names no time that can be booked. Please choose a slot.")
    day = start.astimezone(space.zone).date()
    refusal = start_refusal(space, start, clock.utcnow(), closures_between(space, day, day))
    return str(refusal) if refusal else _("This slot is no longer free. Please choose another "
                                          "one.")


def _your_booking(space, resource_id, start):
    """The member's booking of this resource at `start`, for a confirm page shown again."""
    if start is None or resource_id is None:
        return None
    bookings = service.own_bookings_between(current_user, space, start,
                                            start + timedelta(minutes=space.slot_minutes))
    return next((b for b in bookings if b.resource_id == resource_id and b.start_at <= start),
                None)


@bp.route("/spaces/<slug>/book", methods=["GET", "POST"])
@login_required
def book(slug):
    space = get_space(slug, current_user)
    form = BookingForm()
    if request.method == "GET":
        form.resource_id.data = request.args.get("resource", type=int)
        form.start.data = request.args.get("start", "")
        form.key.data = secrets.token_urlsafe(18)
    start = instant_or_none(form.start.data)
    resource, ends = (None, [])
    if start and form.resource_id.data:
        resource, ends = _end_choices(space, form.resource_id.data, start)
    form.end.choices = [_end_option(space, e) for e in ends]
    if request.method == "GET":
        if not ends:
            yours = _your_booking(space, form.resource_id.data, start)
            if yours is not None:
                return render_template("bookings/yours.html", space=space, booking=yours,
                                       due=on_site.due_on_site(yours)), NO_STORE
            flash(_why_not(space, start), "error")
            return redirect(url_for("spaces.show", slug=slug,
                                    date=start.astimezone(space.zone).date().isoformat()
                                    if start else None))
        wanted = instant_or_none(request.args.get("end"))
        default = wanted if wanted in ends else (ends[-1] if resource.is_desk else ends[0])
        form.end.data = iso_local(default, space.zone)
        return _page(space, form, resource, start), NO_STORE

    status, headers, alternatives, offers, waitlist = 422, dict(NO_STORE), [], None, None
    if form.validate_on_submit() and form.pay_day_pass.data:
        # A day pass is bought like any plan: its summary first (§ 312j BGB).
        from coworking.bookings.day_pass_views import summary_url
        return redirect(summary_url(space, resource_id=form.resource_id.data,
                                    start=start.isoformat(), end=form.end.data), 303)
    if form.validate_on_submit():
        try:
            booking = _book(form, space, start, None)
        except idempotency.KeyReused:
            form.form_errors.append(_("This form was already used for a different booking. "
                                      "Please check your choice and book again."))
            form.key.data = secrets.token_urlsafe(18)
        except PaymentRequired as error:
            status, offers = error.status, error.offers
        except DomainError as error:
            if isinstance(error, RateLimited):
                status, headers["Retry-After"] = error.status, str(error.retry_after)
            _show_error(form, error)
            end = instant_or_none(form.end.data)
            if isinstance(error, Conflict) and resource is not None and end and end > start:
                alternatives = _alternatives(space, resource, start, end)
                waitlist = waitlist_service.can_wait(resource, start, end, alternatives)
        else:
            return booked(space, booking)
    _keep_chosen_end(form, space)
    return _page(space, form, resource, start, alternatives, offers, waitlist), status, headers


def _page(space, form, resource, start, alternatives=(), offers=None, waitlist=None):
    """The confirm page; without cover (`offers` not None) it lists the offers and the
    day-pass option."""
    day_pass = next((o for o in offers or () if o["kind"] == PlanKind.DAY_PASS
                     and o["price_cents"]), None)
    # Whoever else pays for the member's bookings (their company) is offered as a choice.
    form.bill_to.choices = [SelectChoice("", _("I pay myself"))] + [
        SelectChoice(name, label) for name, label in payers.choices_for(current_user)]
    here = url_for("bookings.book", slug=space.slug, resource=form.resource_id.data,
                   start=form.start.data)
    return render_template("bookings/book.html", space=space, form=form, resource=resource,
                           start=start, starts=_start_choices(space, resource, start),
                           alternatives=alternatives, offers=offers,
                           day_pass=day_pass, here=here, buy_form=BuyForm(formdata=None),
                           kinds=PlanKind, waitlist=waitlist)


@bp.get("/bookings")
@login_required
def mine():
    bookings = service.bookings_of(current_user)
    now = clock.utcnow()
    upcoming = [b for b in bookings if b.end_at > now and b.is_active]
    past = [b for b in reversed(bookings) if b not in upcoming]
    # What covers each booking, and the day pass or on-site purchase still paying for it.
    memberships = memberships_by_id(b.membership_id for b in bookings)
    paid_with = payments_shown_for_bookings(bookings)
    series_groups, upcoming = group_by_series(upcoming)
    return render_template("bookings/mine.html", upcoming=upcoming, past=past, now=now,
                           cancel_form=CancelForm(), memberships=memberships,
                           paid_with=paid_with, series_groups=series_groups,
                           waitlist=waitlist_service.entries_of(current_user),
                           changes=latest_changes([b.id for b in bookings]),
                           change_labels=OUTCOME_LABELS,
                           can_change=lambda b: changes.can_change(current_user, b, now))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id):
    form = CancelForm()
    if form.validate_on_submit():
        try:
            booking = service.cancel(current_user, booking_id)
        except DomainError as error:
            if error.status == 404:
                raise  # not theirs to see: the page does not exist for them, as in the API
            flash(str(error.message), "error")
        else:
            flash(_("Cancelled: %(resource)s on %(date)s, %(start)s–%(end)s.", **named(booking)),
                  "success")
    return redirect(url_for("bookings.mine"))


# The time-first panel's button books through this blueprint too, and so does the order of
# a day pass for one booking.
from coworking.bookings import book_any_views, change_views, day_pass_views  # noqa: E402,F401
