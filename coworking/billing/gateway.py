"""The connection to Stripe: whether this installation takes payments online at all."""
from flask import current_app


def stripe_enabled():
    """Without a secret key the app runs without Stripe: passes are paid on site."""
    return bool(current_app.config["STRIPE_SECRET_KEY"])
