"""What the booking pages (the grid, any desk, the day pass, a waiting-list offer) answer once a
booking is made, and how their messages name a booking."""
from flask import flash, redirect, session, url_for
from flask_babel import gettext as _

from coworking import formatting, links
from coworking.bookings import day_pass
from coworking.errors import DomainError
from coworking.memberships.models import PaymentMethod


def named(booking):
    """What a message about a booking says: the desk and its town, the day and the times."""
    zone = booking.resource.space.zone
    return {"resource": formatting.place_name(booking.resource),
            "date": formatting.medium_date(booking.start_at.astimezone(zone).date()),
            "start": formatting.local_time(booking.start_at, zone),
            "end": formatting.local_time(booking.end_at, zone)}


def flash_once(message, category):
    """A double tap's first answer never reached the browser; its message waits still."""
    if (category, message) not in session.get("_flashes", []):
        flash(message, category)


def booked(space, booking):
    """After booking: on to Stripe when its day pass is paid online, else to "my bookings"
    with what was booked (and what to pay on site). A repeat of the form has no booking."""
    if booking is None:
        return redirect(url_for("bookings.mine"))
    message = _("Booked: %(resource)s on %(date)s, %(start)s–%(end)s.", **named(booking))
    back = links.site_url(url_for("bookings.mine"))
    try:
        payment = day_pass.checkout(booking, success_url=back, cancel_url=back)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("bookings.mine"))
    if payment is not None and payment.method == PaymentMethod.STRIPE and payment.checkout_url:
        return redirect(payment.checkout_url)
    if payment is not None and payment.method == PaymentMethod.ON_SITE:
        message += " " + _("Please pay the day pass (%(price)s) on site.",
                           price=formatting.money(payment.amount_cents, payment.currency))
    flash_once(message, "success")
    return redirect(url_for("bookings.mine"))
