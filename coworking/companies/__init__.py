"""Companies that pay for their people: the account, its invitations and employees, the
bookings billed to it, and the monthly invoices of the operators whose spaces they used."""
