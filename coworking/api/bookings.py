"""Booking, listing and cancelling, and paying for a single booking with a day pass."""
import re
from contextlib import nullcontext

from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coworking import clock, database, links
from coworking.api import bp
from coworking.api.common import (
    booking_json,
    bookings_json,
    login_required,
    new_booking_json,
    one_booking_json,
)
from coworking.api.inputs import json_fields
from coworking.bookings import changes, day_pass, idempotency, payers, service
from coworking.database import use_case
from coworking.errors import InvalidInput, NotFound
from coworking.memberships import ordering
from coworking.spaces.service import get_space

IDEMPOTENCY_KEY = "Idempotency-Key"
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]{1,%d}$" % idempotency.KEY_MAX)


def idempotency_key():
    """The request's Idempotency-Key, or None when it sends none."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is not None and not _PRINTABLE_ASCII.match(key):
        raise InvalidInput(_l("The Idempotency-Key header must be 1 to %(n)s printable ASCII "
                              "characters.", n=idempotency.KEY_MAX), field=IDEMPOTENCY_KEY)
    return key


@bp.post("/bookings")
@login_required
def create_booking():
    key = idempotency_key()
    fields = json_fields()
    # `{space, kind}` instead of `resource_id`: any free resource of that kind.
    by_kind = "resource_id" not in fields.source and "space" in fields.source
    if by_kind:
        slug = fields.string("space", 60)
        kind = fields.choice("kind", service.ANY_KINDS)
    else:
        resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1)
    start = fields.instant("start")
    end = fields.instant("end")
    pay = fields.choice("pay", day_pass.PAY_CHOICES, required=False)
    early_start = fields.boolean("early_start", required=False)
    bill_to = fields.choice("bill_to", payers.names(), required=False)
    fields.raise_if_invalid()
    online = day_pass.online()
    purchase = ordering.Purchase(source="api", early_start=early_start) if pay else None
    if by_kind:
        try:
            space = get_space(slug)
        except NotFound:
            raise InvalidInput(_l("There is no space called “%(slug)s”.", slug=slug),
                               field="space") from None

        def book_call():
            return service.book_any(current_user, space, kind, start, end, source="api",
                                    pay=pay, online=online, purchase=purchase,
                                    bill_to=bill_to)
    else:
        def book_call():
            return service.book(current_user, resource_id, start, end, source="api", pay=pay,
                                online=online, purchase=purchase, bill_to=bill_to)
    if key is None:
        booking, body = _book_and_show(book_call, alone=not by_kind)
        return jsonify(_with_checkout(booking) if _opens_checkout(body) else body), 201
    try:
        answer = idempotency.book_once(
            current_user, key, idempotency.fingerprint(fields.source),
            lambda booking: (201, new_booking_json(booking)), book_call)
    except idempotency.KeyReused:
        raise InvalidInput(_l("This Idempotency-Key was used in the last 24 hours with a "
                              "different request body; send a new key for a new booking."),
                           field=IDEMPOTENCY_KEY) from None
    body = answer.body
    if _opens_checkout(body) or (answer.replayed and body.get("payment") is not None):
        # A booking paid on its own: its Checkout opens after the booking's unit has committed,
        # and a repeated answer shows the payment as it stands now.
        body = _with_checkout(answer.booking)
    response = jsonify(body)
    response.status_code = answer.status
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@use_case(race_message=service.TAKEN_MESSAGE)
def _book_and_show(book_call, alone):
    """The booking and its JSON, made in one unit: the request's one commit. `alone`: one
    resource is tried, and its failure is the request's (any free one goes on to the next)."""
    with database.alone() if alone else nullcontext():
        booking = book_call()
    return booking, new_booking_json(booking)


def _opens_checkout(body):
    return day_pass.opens_checkout(body.get("payment"))


def _with_checkout(booking):
    """The booking's JSON once its day pass, if it has one to pay online, has a Checkout."""
    back = links.site_url(url_for("bookings.mine"))
    payment = day_pass.checkout(booking, success_url=back, cancel_url=back)
    if payment is None:
        return one_booking_json(booking)  # covered, perhaps by a purchase still to pay on site
    return booking_json(booking, payment, clock.utcnow())


@bp.get("/bookings")
@login_required
def list_bookings():
    slug = request.args.get("space")
    if slug:
        found = service.bookings_in_space(current_user, get_space(slug))
    else:
        found = service.bookings_of(current_user)
    return jsonify(bookings_json(found))


@bp.get("/bookings/<int:booking_id>")
@login_required
def show_booking(booking_id):
    return jsonify(one_booking_json(service.visible_booking(current_user, booking_id)))


@bp.patch("/bookings/<int:booking_id>")
@login_required
def change_booking(booking_id):
    fields = json_fields()
    start = fields.instant("start", required=False)
    end = fields.instant("end", required=False)
    resource_id = fields.integer("resource_id", minimum=1, maximum=2**31 - 1, required=False)
    fields.raise_if_invalid()
    return jsonify(one_booking_json(changes.change(current_user, booking_id, start=start,
                                                   end=end, resource_id=resource_id)))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id):
    return jsonify(one_booking_json(service.cancel(current_user, booking_id)))


@bp.post("/bookings/<int:booking_id>/confirm-payment")
@login_required
def confirm_booking_payment(booking_id):
    """Not in the design's table: the host's side of `pay: "day_pass"` without Stripe."""
    return jsonify(one_booking_json(day_pass.confirm_on_site(current_user, booking_id)))
