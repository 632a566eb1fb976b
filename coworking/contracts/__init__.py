"""Cancelling contracts as § 312k BGB asks: a page and an API call anyone can use without
signing in, a confirmation e-mail stating when the cancellation arrived, and the plan ending
at its period's end (through Stripe for a Stripe subscription)."""
