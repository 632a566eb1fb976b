"""The pages below billing pay online through one typed interface; billing implements all of
it, with the same signatures, and the app plugs it in."""
import inspect

from coworking import online_payments
from coworking.billing.online import StripePayments


def test_stripe_implements_every_operation_of_the_interface():
    wanted = {name: inspect.signature(member)
              for name, member in vars(online_payments.OnlinePayments).items()
              if inspect.isfunction(member) and not name.startswith("_")}
    assert set(wanted) == {"enabled", "start_checkout", "refund",
                           "end_subscription_at_period_end"}
    for name, signature in wanted.items():
        assert inspect.signature(getattr(StripePayments, name)).parameters.keys() == \
            signature.parameters.keys(), name


def test_the_app_pays_online_through_stripe(app):
    assert isinstance(online_payments._plugged(), StripePayments)
    app.config.update(STRIPE_SECRET_KEY=None)
    assert online_payments.enabled() is False
