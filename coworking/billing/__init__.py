"""Stripe: Checkout for passes and plans, the Customer Portal, and webhooks applied once."""
