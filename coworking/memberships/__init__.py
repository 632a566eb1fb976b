"""Plans, memberships and passes, the credit ledger, payments, and what covers a booking."""
