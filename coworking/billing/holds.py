"""What runs out on its own: desks held for a payment, purchases whose checkout lapsed
unpaid, purchases on site nobody came to use, and subscriptions cancelled at the end of
their period."""
from coworking.bookings import on_site, service as bookings
from coworking.memberships import payments

BATCH = 100


def _drain(step):
    """Run a batched step until a batch comes back short; returns how many it handled."""
    done = 0
    while True:
        handled = step(BATCH)
        done += handled
        if handled < BATCH:
            return done


def expire_holds():
    """Holds past `hold_until` free their desk (reads treated them as free already) and
    pending purchases whose checkout ran out end as expired. Safe to run twice at once."""
    return {"holds": _drain(bookings.expire_lapsed_holds),
            "purchases": _drain(payments.expire_lapsed_purchases),
            "unused purchases on site": _drain(on_site.lapse_unused_purchases),
            "subscriptions ended": _drain(payments.end_finished_subscriptions)}
