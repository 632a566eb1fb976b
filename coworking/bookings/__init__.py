"""Bookings: the model, the rules, availability, booking and cancelling."""
