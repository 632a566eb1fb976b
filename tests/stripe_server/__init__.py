"""A local Stripe-compatible server for tests (see server.py); the app never imports it."""
from .server import FakeStripe

__all__ = ["FakeStripe"]
