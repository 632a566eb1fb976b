"""Paying one booking with a day pass on the web: "Mit Tagespass bezahlen" on the booking,
any-desk and waiting-list pages leads here, to the billing details the first time and to the
summary (§ 312j BGB), whose button books and orders the day pass at once."""
import secrets
from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import clock
from coworking.accounts import billing_service
from coworking.bookings import day_pass as day_passes, idempotency, service
from coworking.bookings.page_helpers import booked
from coworking.bookings.views import bp
from coworking.errors import DomainError, Gone
from coworking.extensions import db
from coworking.memberships import cover, ordering
from coworking.memberships.forms import DayPassOrderForm
from coworking.memberships.order_views import billing_step, summary_context
from coworking.spaces.models import Resource, ResourceKind
from coworking.spaces.service import get_space
from coworking.waitlist import service as waitlist_service
from coworking.web import NO_STORE, instant_or_none


def summary_url(space, resource_id=None, kind=None, entry_id=None, start=None, end=None):
    """The day pass's summary for a booking of a resource, of any free one of a kind, or of
    a waiting-list offer."""
    return url_for("bookings.day_pass", slug=space.slug, resource=resource_id, kind=kind,
                   entry=entry_id, start=start, end=end)


class _Wanted:
    """What the day pass is for, read from the summary's query string or its form."""

    def __init__(self, space, resource_id, kind, entry_id, start, end):
        self.entry = None
        if entry_id:
            self.entry = waitlist_service.own_entry(current_user, entry_id)
            if self.entry.space_id != space.id:
                abort(404)
            resource_id, kind = self.entry.resource_id, None
            start, end = self.entry.start_at, self.entry.end_at
        self.resource = db.session.get(Resource, resource_id) if resource_id else None
        if self.resource is not None and self.resource.space_id != space.id:
            self.resource = None
        self.kind = ResourceKind(kind) if kind in set(service.ANY_KINDS) else None
        self.space, self.start, self.end = space, start, end

    @property
    def complete(self):
        """Whether it names a desk (or any hot desk) and a range: a day pass pays for a desk
        day only, never a room or a booth."""
        desk = (service.cover_kind(self.resource) == cover.DESK if self.resource is not None
                else self.kind == ResourceKind.HOT_DESK)
        return desk and self.start is not None and self.end is not None and self.start < self.end

    def url(self):
        return summary_url(self.space, self.resource.id if self.resource else None,
                           self.kind.value if self.kind and not self.resource else None,
                           self.entry.id if self.entry else None,
                           None if self.entry else self.start.isoformat(),
                           None if self.entry else self.end.isoformat())


def _back(space, wanted):
    if wanted.entry is not None:
        return redirect(url_for("waitlist.offer", entry_id=wanted.entry.id))
    day = wanted.start.astimezone(space.zone).date().isoformat() if wanted.start else None
    return redirect(url_for("spaces.show", slug=space.slug, date=day))


def _page(space, wanted, plan, form, status=200):
    return render_template("bookings/day_pass_order.html", space=space, wanted=wanted,
                           form=form, here=wanted.url(),
                           **summary_context(plan, current_user, clock.utcnow())), \
        status, NO_STORE


@bp.get("/spaces/<slug>/day-pass")
@login_required
def day_pass(slug):
    space = get_space(slug)
    wanted = _Wanted(space, request.args.get("resource", type=int), request.args.get("kind"),
                     request.args.get("entry", type=int),
                     instant_or_none(request.args.get("start")),
                     instant_or_none(request.args.get("end")))
    plan = cover.day_pass_plan(space.id)
    if not wanted.complete or plan is None:
        flash(_("No day pass is on offer for this booking. Please choose another time or "
                "a plan."), "error")
        return _back(space, wanted)
    if plan.seller.is_complete and billing_service.missing_fields(
            billing_service.billing_details_of(current_user)):
        return billing_step(wanted.url())
    form = DayPassOrderForm(formdata=None, data={
        "resource_id": wanted.resource.id if wanted.resource else None,
        "kind": wanted.kind.value if wanted.kind and not wanted.resource else "",
        "entry_id": wanted.entry.id if wanted.entry else None,
        "start": wanted.start.isoformat(), "end": wanted.end.isoformat(),
        "key": secrets.token_urlsafe(18)})
    return _page(space, wanted, plan, form)


@bp.post("/spaces/<slug>/day-pass")
@login_required
def order_day_pass(slug):
    """"Zahlungspflichtig bestellen": the booking is made and its day pass ordered together."""
    space = get_space(slug)
    form = DayPassOrderForm()
    wanted = _Wanted(space, form.resource_id.data, form.kind.data or None, form.entry_id.data,
                     instant_or_none(form.start.data), instant_or_none(form.end.data))
    plan = cover.day_pass_plan(space.id)
    if not wanted.complete or plan is None:
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return _back(space, wanted)
    if not form.validate_on_submit():
        form.form_errors.append(_("This form is out of date. Please reload the page and try "
                                  "again."))
        return _page(space, wanted, plan, form, 422)
    purchase = ordering.Purchase(source="web", early_start=bool(form.early_start.data))
    try:
        booking = _book(form, wanted, purchase)
    except ordering.BillingDetailsMissing:
        return billing_step(wanted.url())
    except Gone as error:
        flash(str(error.message), "error")
        return _back(space, wanted)
    except idempotency.KeyReused:
        form.form_errors.append(_("This form was already used for a different booking. "
                                  "Please check your choice and book again."))
        form.key.data = secrets.token_urlsafe(18)
        return _page(space, wanted, plan, form, 422)
    except DomainError as error:
        if error.field == "early_start":
            form.early_start.errors = list(form.early_start.errors) + [error.message]
        else:
            form.form_errors.append(error.message)
        return _page(space, wanted, plan, form, error.status)
    return booked(space, booking)


def _book(form, wanted, purchase):
    """Book what was chosen with a day pass, once per form: sent again, it answers the first
    booking (a waiting-list offer is taken once anyway)."""
    online = day_passes.online()
    if wanted.entry is not None:
        return waitlist_service.accept(current_user, wanted.entry.id, pay="day_pass",
                                       online=online, purchase=purchase)[1]

    def book_call():
        if wanted.resource is not None:
            return service.book(current_user, wanted.resource.id, wanted.start, wanted.end,
                                 source="web", pay="day_pass", online=online,
                                 purchase=purchase)
        return service.book_any(current_user, wanted.space, wanted.kind.value, wanted.start,
                                wanted.end, source="web", pay="day_pass", online=online,
                                purchase=purchase)
    if not form.key.data:
        return book_call()
    request_fingerprint = idempotency.fingerprint({"web-day-pass": [
        wanted.resource.id if wanted.resource else wanted.kind.value,
        wanted.start.astimezone(UTC).isoformat(), wanted.end.astimezone(UTC).isoformat(),
        purchase.early_start]})
    return idempotency.book_once(current_user, form.key.data, request_fingerprint,
                                 lambda booking: (302, None), book_call).booking
