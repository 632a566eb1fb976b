"""Paying online in the browser: a due payment's page and its way to Checkout, the pages
Stripe sends the member back to, the Customer Portal, and Stripe's webhook endpoint."""
import stripe
from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from coworking import clock
from coworking.billing import checkout, gateway, webhooks
from coworking.billing.forms import PayForm, PortalForm
from coworking.billing.portal import open_portal
from coworking.bookings.models import PENDING_PAYMENT, Booking
from coworking.errors import DomainError
from coworking.extensions import csrf, db
from coworking.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from coworking.memberships.service import credits_left
from coworking.problems import problem, title_for

bp = Blueprint("billing", __name__)

BAD_SIGNATURE = _l("The Stripe signature of this request is missing, wrong or too old.")


@bp.post("/webhooks/stripe")
@csrf.exempt
def stripe_webhook():
    """Stripe retries anything but a 2xx: a bad signature is refused for good (400), an
    event that could not be applied yet (Stripe unreachable, database busy) comes again."""
    try:
        event = stripe.Webhook.construct_event(
            request.get_data(), request.headers.get("Stripe-Signature"),
            current_app.config.get("STRIPE_WEBHOOK_SECRET"))
    except (stripe.SignatureVerificationError, ValueError):
        return problem(400, title_for(400), BAD_SIGNATURE, code="bad-signature")
    try:
        outcome = webhooks.receive(event.to_dict())
    except gateway.StripeError as error:
        current_app.logger.warning("stripe event %s not applied yet: %s", event.id, error)
        return problem(503, title_for(503), gateway.UNREACHABLE_MESSAGE,
                       code="payment-provider-unavailable", headers={"Retry-After": "60"})
    return jsonify({"received": True, "outcome": outcome})


def _state(payment):
    """What the member's pages show about a payment, read from the database."""
    now = clock.utcnow()
    membership = db.session.get(Membership, payment.membership_id) \
        if payment.membership_id else None
    booking = db.session.get(Booking, payment.booking_id) if payment.booking_id else None
    processing = payment.awaits_bank
    payable = (payment.method == PaymentMethod.STRIPE and payment.status == PaymentStatus.DUE
               and not processing and payment.expires_at is not None and payment.expires_at > now
               and gateway.stripe_enabled()
               and (booking is None or booking.status == PENDING_PAYMENT)
               and (membership is None or membership.status == MembershipStatus.PENDING))
    return {"payment": payment, "status": payment.shown_status(now).value,
            "membership": membership, "booking": booking, "processing": processing,
            "payable": payable, "credited": booking is not None and membership is not None,
            "credits_left": credits_left(membership) if membership else None,
            "on_site": payment.method == PaymentMethod.ON_SITE}


@bp.get("/billing/payments/<int:payment_id>")
@login_required
def payment_page(payment_id):
    payment = checkout.own_payment(current_user, payment_id)
    return render_template("billing/payment.html", form=PayForm(), **_state(payment))


@bp.post("/billing/payments/<int:payment_id>/checkout")
@login_required
def start(payment_id):
    """(Re)start Checkout for the member's own due payment and go there."""
    checkout.own_payment(current_user, payment_id)
    if PayForm().validate_on_submit():
        try:
            payment = checkout.start_checkout(payment_id, *checkout.return_urls(payment_id))
        except DomainError as error:
            if error.status == 404:
                raise
            flash(str(error.message), "error")
        else:
            return redirect(payment.checkout_url, 303)
    return redirect(url_for("billing.payment_page", payment_id=payment_id))


@bp.get("/billing/return/<int:payment_id>")
@login_required
def checkout_return(payment_id):
    """Back from Checkout: the true state, caught up with Stripe if its webhook is late."""
    checkout.own_payment(current_user, payment_id)
    checkout.catch_up(payment_id, request.args.get("session_id"))
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    return render_template("billing/return.html", form=PayForm(), **_state(payment))


@bp.get("/billing/cancel/<int:payment_id>")
@login_required
def checkout_cancel(payment_id):
    payment = checkout.own_payment(current_user, payment_id)
    return render_template("billing/cancel.html", form=PayForm(), **_state(payment))


@bp.post("/billing/memberships/<int:membership_id>/portal")
@login_required
def portal(membership_id):
    """To the Customer Portal for the member's own subscription; back to the account after."""
    if PortalForm().validate_on_submit():
        try:
            url = open_portal(current_user, membership_id,
                              url_for("accounts.account", _external=True))
        except DomainError as error:
            if error.status == 404:
                raise
            flash(str(error.message), "error")
        else:
            return redirect(url, 303)
    return redirect(url_for("accounts.account"))
