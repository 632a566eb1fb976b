"""The time-first panel's button on a space's page: any free desk (or room, or booth) for
the chosen range, answered as a booking from the grid is."""
import secrets
from datetime import UTC

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coworking import formatting
from coworking.bookings import day_pass, idempotency, service
from coworking.bookings.availability import free_desks
from coworking.bookings.day_pass_views import summary_url
from coworking.bookings.forms import BookAnyForm
from coworking.bookings.page_helpers import booked
from coworking.bookings.views import bp
from coworking.errors import Conflict, DomainError, PaymentRequired, RateLimited
from coworking.memberships.forms import BuyForm
from coworking.memberships.models import PlanKind
from coworking.spaces.models import ResourceKind
from coworking.spaces.service import get_space
from coworking.web import NO_STORE, instant_or_none


@bp.post("/spaces/<slug>/book-any")
@login_required
def book_any(slug):
    """The time-first panel's button: any free resource of a kind for the range, the one the
    member had last time preferred. Booked: as after booking from the grid. Otherwise a page
    that says why: no cover (the offers and the day pass), none free, or a broken rule."""
    space = get_space(slug)
    form = BookAnyForm()
    start, end = instant_or_none(form.start.data), instant_or_none(form.end.data)
    kind = form.kind.data if form.kind.data in set(service.ANY_KINDS) else None
    back = _panel_url(space, kind, start, end)
    if not form.validate_on_submit() or kind is None:
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return redirect(back)
    if form.pay_day_pass.data:
        # A day pass is bought like any plan: its summary first (§ 312j BGB).
        return redirect(summary_url(space, kind=kind, start=start.isoformat(),
                                    end=end.isoformat()), 303)
    pay = None
    status, headers, offers, none_free, problem = 422, dict(NO_STORE), None, False, None
    try:
        booking = _book_any(form, space, kind, start, end, pay)
    except idempotency.KeyReused:
        problem = _("This form was already used for a different booking. "
                    "Please check your choice and book again.")
        form.key.data = secrets.token_urlsafe(18)
    except PaymentRequired as error:
        status, offers = error.status, error.offers
    except DomainError as error:
        status, problem = error.status, str(error.message)
        # Not for a conflict with the member's own booking: waiting would not help there.
        none_free = isinstance(error, Conflict) and not free_desks(
            space, start, end, kind=ResourceKind(kind))
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.retry_after)
    else:
        return booked(space, booking)
    day_pass = next((o for o in offers or () if o["kind"] == PlanKind.DAY_PASS
                     and o["price_cents"]), None)
    return render_template(
        "bookings/book_any.html", space=space, form=form, kind=ResourceKind(kind), start=start,
        end=end, offers=offers, day_pass=day_pass, none_free=none_free, problem=problem,
        here=back, buy_form=BuyForm(formdata=None), kinds=PlanKind), status, headers


def _book_any(form, space, kind, start, end, pay):
    """Book any free one, once per form: sending it again answers the first time."""
    def book_call():
        return service.book_any(current_user, space, kind, start, end, source="web", pay=pay,
                                online=day_pass.online())
    if not form.key.data:
        return book_call()
    request_fingerprint = idempotency.fingerprint({"web-any": [
        space.slug, kind, start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat(),
        pay]})
    return idempotency.book_once(current_user, form.key.data, request_fingerprint,
                                 lambda booking: (302, None), book_call).booking


def _panel_url(space, kind, start, end):
    """The space's page with the panel set to this range, where the member came from."""
    if start is None or end is None:
        return url_for("spaces.show", slug=space.slug, _anchor="time-first")
    zone = space.zone
    return url_for("spaces.show", slug=space.slug, date=start.astimezone(zone).date().isoformat(),
                   kind=kind if kind and kind != ResourceKind.HOT_DESK else None,
                   _anchor="time-first",
                   **{"from": formatting.local_time(start, zone),
                      "until": formatting.local_time(end, zone)})
