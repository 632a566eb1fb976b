"""The waiting list on the web: join a full slot, leave it, and the offer page the e-mail links
to (take the held resource with one button, or decline it)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import clock, formatting
from coworking.bookings import day_pass
from coworking.bookings.day_pass_views import summary_url
from coworking.bookings.page_helpers import booked
from coworking.clock import iso_local
from coworking.errors import DomainError, Gone, PaymentRequired
from coworking.memberships.forms import BuyForm
from coworking.memberships.models import PlanKind
from coworking.spaces.service import get_space
from coworking.waitlist import service as waitlist_service
from coworking.waitlist.forms import AcceptForm, JoinForm, LeaveForm
from coworking.waitlist.models import OPEN_STATUSES, EntryStatus
from coworking.web import NO_STORE, instant_or_none

bp = Blueprint("waitlist", __name__)
# Where a page would offer joining, it names the member's place on the list instead.
bp.add_app_template_global(waitlist_service.place_on_list)


def _back(space, kind, start, end):
    """Where a join returns to: the space's page on that day with the same range and kind, so
    the member sees themselves on the list for what they asked."""
    return url_for("spaces.show", slug=space.slug,
                   date=start.astimezone(space.zone).date().isoformat(), kind=kind,
                   **{"from": formatting.local_time(start, space.zone),
                      "until": formatting.local_time(end, space.zone)})


def _refused(message, status=422):
    return render_template("bookings/waitlist_refused.html", message=message), status, NO_STORE


@bp.post("/waitlist")
@login_required
def join():
    form = JoinForm()
    if not form.validate_on_submit():
        return _refused(next(iter(form.errors.values()))[0])
    space = get_space(form.space.data)
    start, end = instant_or_none(form.start.data), instant_or_none(form.end.data)
    try:
        entry, position, new = waitlist_service.join(current_user, space, form.kind.data,
                                                     start, end)
    except waitlist_service.SlotFree as free:
        flash(_("A place is free after all: %(name)s. Book it now.", name=free.resource.name),
              "info")
        return redirect(url_for("bookings.book", slug=space.slug, resource=free.resource.id,
                                start=iso_local(start, space.zone),
                                end=iso_local(end, space.zone)))
    except DomainError as error:
        return _refused(error.message, error.status)
    if new:
        flash(_("You are on the waiting list (place %(n)s). We e-mail you as soon as a place "
                "becomes free.", n=position), "success")
    else:
        flash(_("You are already on the waiting list (place %(n)s).", n=position), "info")
    return redirect(_back(space, form.kind.data, start, end))


def _offer_page(entry, status=200, offers=None):
    now = clock.utcnow()
    day_pass = next((o for o in offers or () if o["kind"] == PlanKind.DAY_PASS
                     and o["price_cents"]), None)
    return render_template(
        "bookings/waitlist_offer.html", entry=entry, space=entry.space, now=now,
        is_open=entry.offer_open_at(now), statuses=EntryStatus, offers=offers,
        day_pass=day_pass, accept_form=AcceptForm(), leave_form=LeaveForm(),
        buy_form=BuyForm(formdata=None), kinds=PlanKind,
        here=url_for("waitlist.offer", entry_id=entry.id)), status, NO_STORE


def _lapsed_page(entry):
    return render_template("bookings/waitlist_lapsed.html", entry=entry,
                           space=entry.space), 410, NO_STORE


@bp.get("/waitlist/offers/<int:entry_id>")
@login_required
def offer(entry_id):
    entry = waitlist_service.own_entry(current_user, entry_id)
    if entry.status == EntryStatus.BOOKED or entry.status == EntryStatus.WAITING \
            or entry.offer_open_at(clock.utcnow()):
        return _offer_page(entry)
    return _lapsed_page(entry)


@bp.post("/waitlist/offers/<int:entry_id>/accept")
@login_required
def accept(entry_id):
    form = AcceptForm()
    entry = waitlist_service.own_entry(current_user, entry_id)
    if not form.validate_on_submit():
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return redirect(url_for("waitlist.offer", entry_id=entry_id))
    if form.pay_day_pass.data:
        # A day pass is bought like any plan: its summary first (§ 312j BGB).
        return redirect(summary_url(entry.space, entry_id=entry.id), 303)
    try:
        entry, booking, new = waitlist_service.accept(current_user, entry_id,
                                                      online=day_pass.online())
    except Gone:
        return _lapsed_page(waitlist_service.own_entry(current_user, entry_id))
    except PaymentRequired as error:
        return _offer_page(entry, error.status, error.offers)
    except DomainError as error:
        flash(str(error.message), "error")
        return _offer_page(waitlist_service.own_entry(current_user, entry_id), error.status)
    if not new:
        flash(_("You have already taken this offer."), "info")
        return redirect(url_for("bookings.mine"))
    return booked(entry.space, booking)


@bp.post("/waitlist/<int:entry_id>/leave")
@login_required
def leave(entry_id):
    form = LeaveForm()
    entry = waitlist_service.own_entry(current_user, entry_id)
    if form.validate_on_submit():
        was = entry.status
        waitlist_service.leave(current_user, entry_id)
        if was == EntryStatus.OFFERED:
            flash(_("You declined the offer; the place goes to the next on the waiting list."),
                  "success")
        elif was in OPEN_STATUSES:
            flash(_("You have left the waiting list."), "success")
    return redirect(url_for("bookings.mine"))

